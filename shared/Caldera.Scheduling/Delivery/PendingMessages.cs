using Caldera.Scheduling.Planning;

namespace Caldera.Scheduling.Delivery;

/// <summary>
/// The messages one stored write still has to send (<c>ScheduledWrite.Pending</c>), each already classified: a
/// recipient in <see cref="InternalUsers"/> is delivered here, one in <see cref="ExternalRecipients"/> by email;
/// any other recipient had SCHEDULE-STATUS 3.7 (or 5.3) and gets nothing.
/// </summary>
/// <param name="Owner">The calendar owner, for whom the messages are sent (also when a sharee wrote).</param>
public sealed record PendingMessages(
    string Owner,
    IReadOnlyList<PlannedMessage> Messages,
    IReadOnlyDictionary<string, string> InternalUsers,
    IReadOnlySet<string> ExternalRecipients);

using Caldera.Imip.Itip;
using Caldera.Imip.Processing;
using Caldera.Scheduling.Planning;
using Caldera.Storage.Imip;
using Microsoft.Extensions.Logging;

namespace Caldera.Scheduling.Delivery;

/// <summary>
/// Delivers one planned message to a Caldera user through the same iTIP engine as inbound email
/// (<see cref="ItipParser"/>, <see cref="ItipDelivery"/>, <see cref="ItipApplier"/>: SEQUENCE/DTSTAMP ordering,
/// stale and duplicate messages ignored), then files it in the user's scheduling inbox. No sender check: the sender
/// is the authenticated calendar user whose write produced the message.
/// </summary>
public sealed class InternalDelivery(ItipDelivery delivery, ScheduleInbox inbox, ILogger<InternalDelivery> log)
{
    /// <exception cref="IOException">The recipient's calendars could not be written (an outage): the caller retries.</exception>
    public async Task<ImipOutcome> DeliverAsync(string user, PlannedMessage planned, CancellationToken ct)
    {
        var (message, refusal) = ItipParser.Parse(planned.Method, planned.Text);
        if (message is null)
        {
            // The planner's own output: a bug, not a transient fault, so it is logged and not retried.
            log.LogError("Scheduling message {Method} for {Uid} to {User} is not valid iTIP: {Code} {Reason}",
                planned.Method, planned.Uid, user, refusal!.Code, refusal.Reason);
            return new ImipOutcome(ImipStatus.Quarantined, refusal.Code, refusal.Reason);
        }
        // For a REPLY (and COUNTER/REFRESH) the message speaks for the replying attendee.
        var attendee = SenderCheck.IsOrganizerMethod(message.Method) ? null : planned.From;
        var outcome = await delivery.DeliverAsync(user, planned.Recipient, message, attendee, planned.Text, ct);
        log.LogInformation("Scheduling {Method} for {Uid} from {From} to {User}: {Status} {Code} {Reason}",
            message.Method, message.Uid, planned.From, user, outcome.Status, outcome.Code, outcome.Reason);
        // The inbox shows what arrived; a message the engine refused as not belonging to the recipient is not filed.
        if (outcome.Status != ImipStatus.Quarantined)
            await inbox.PutAsync(user, message, ct);
        return outcome;
    }
}

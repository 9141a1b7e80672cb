namespace Caldera.Scheduling.Planning;

/// <summary>Whose side of a scheduling object resource the calendar owner is on (RFC 6638 §3.1).</summary>
public enum SchedulingRole
{
    /// <summary>Not a scheduling object resource (no ORGANIZER, or no ATTENDEE other than the organizer, or none of the owner's addresses).</summary>
    None,
    Organizer,
    Attendee,
}

/// <summary>One iTIP message to send: to one recipient, one METHOD, the whole iCalendar text with METHOD.</summary>
/// <param name="Recipient">Lower-case email of the recipient (from a mailto: calendar user address).</param>
/// <param name="From">Lower-case email of the calendar user the message speaks for (organizer or replying attendee).</param>
/// <param name="Summary">The SUMMARY of the first component, for an email subject, or null.</param>
public sealed record PlannedMessage(string Recipient, string From, string Method, string Uid, string Text, string? Summary);

/// <summary>A failed RFC 6638 §3.2.4 precondition: the CALDAV: element's local name and why.</summary>
public sealed record SchedulingRefusal(string Precondition, string Reason);

/// <summary>What a write or delete of a scheduling object resource comes to.</summary>
/// <param name="StoredText">The object text to store when the server changes it (SCHEDULE-STATUS set, SCHEDULE-FORCE-SEND gone); null to store what the client sent (or for a delete).</param>
/// <param name="ScheduleTagChanges">Whether this write gives the object a new Schedule-Tag (RFC 6638 §3.2.10).</param>
public sealed record SchedulingPlan(
    SchedulingRole Role,
    string? StoredText,
    IReadOnlyList<PlannedMessage> Messages,
    bool ScheduleTagChanges,
    SchedulingRefusal? Refusal = null)
{
    public static readonly SchedulingPlan NotScheduling = new(SchedulingRole.None, null, [], false);
}

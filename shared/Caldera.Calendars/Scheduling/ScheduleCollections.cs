namespace Caldera.Calendars.Scheduling;

/// <summary>
/// The scheduling inbox and outbox (RFC 6638 §2.2, §2.1) live in the calendar home under these reserved names. The
/// inbox is a store calendar created on first delivery, shown as <c>CALDAV:schedule-inbox</c> (never as a calendar
/// and never a target of delivery or free-busy); the outbox has no storage of its own.
/// </summary>
public static class ScheduleCollections
{
    public const string Inbox = "inbox";
    public const string Outbox = "outbox";

    /// <summary>Whether a calendar segment is one of the reserved scheduling collections (MKCALENDAR refuses these names).</summary>
    public static bool IsReserved(string segment) => segment is Inbox or Outbox;
}

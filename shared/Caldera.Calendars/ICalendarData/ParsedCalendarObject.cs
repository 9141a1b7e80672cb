using Ical.Net;

namespace Caldera.Calendars;

/// <summary>A calendar object resource that passed validation, with what the index needs to know about it.</summary>
public sealed record ParsedCalendarObject
{
    public required byte[] Body { get; init; }
    public required Calendar Calendar { get; init; }
    public required string Uid { get; init; }
    /// <summary>VEVENT, VTODO, VJOURNAL or VFREEBUSY.</summary>
    public required string Component { get; init; }
    public bool Recurring { get; init; }
    /// <summary>Envelope of all instances (UTC); null start = unknown, null end = open-ended.</summary>
    public DateTimeOffset? RangeStart { get; init; }
    public DateTimeOffset? RangeEnd { get; init; }
    /// <summary>
    /// True when [RangeStart, RangeEnd) is exactly the object's single instance: not recurring, no floating or
    /// DATE values, positive duration. A plain time-range filter is then decided by the envelope alone.
    /// </summary>
    public bool EnvelopeExact { get; init; }
    /// <summary>The Schedule-Tag to store with the object (RFC 6638 §3.2.10), or null when it is not a scheduling object resource.</summary>
    public string? ScheduleTag { get; init; }
}

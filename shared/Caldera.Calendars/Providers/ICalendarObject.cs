namespace Caldera.Calendars.Providers;

/// <summary>One calendar object resource (the seed's <c>ICalendarObject</c>): metadata is cheap, the body is loaded on demand.</summary>
public interface ICalendarObject
{
    string Name { get; }
    /// <summary>Quoted strong ETag.</summary>
    string ETag { get; }
    long Size { get; }
    string ContentType { get; }
    DateTimeOffset LastModified { get; }
    string Uid { get; }
    /// <summary>VEVENT, VTODO, VJOURNAL or VFREEBUSY.</summary>
    string Component { get; }
    /// <summary>The object's dead properties as the engine stored them (XML), or null.</summary>
    string? DeadProperties => null;
    /// <summary>The object's Schedule-Tag (RFC 6638 §3.2.10), quoted; null when it is not a scheduling object resource or the provider keeps none.</summary>
    string? ScheduleTag => null;
    /// <summary>The iCalendar body; null if it vanished since the metadata was read.</summary>
    Task<byte[]?> GetDataAsync(CancellationToken ct);
    /// <summary>
    /// The object's one instance when the index knows it exactly (see <see cref="ObjectEnvelope"/>), else null:
    /// a plain time-range filter on <see cref="Component"/> is then decided without reading the body.
    /// </summary>
    ObjectEnvelope? Envelope => null;
}

/// <summary>
/// The exact UTC span [Start, End) of a non-recurring object's single instance (no floating or DATE values,
/// End &gt; Start). RFC 4791 §9.9: a time-range (start, end) matches iff start &lt; End and end &gt; Start.
/// </summary>
public sealed record ObjectEnvelope(DateTimeOffset Start, DateTimeOffset End)
{
    /// <summary>Whether a time-range with these bounds (null: open) overlaps the instance.</summary>
    public bool Overlaps(DateTimeOffset? rangeStart, DateTimeOffset? rangeEnd) =>
        (rangeStart is null || rangeStart < End) && (rangeEnd is null || rangeEnd > Start);
}

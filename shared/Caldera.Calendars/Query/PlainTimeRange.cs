using Caldera.Calendars.Providers;

namespace Caldera.Calendars.Query;

/// <summary>
/// The filter most clients send: VCALENDAR &gt; VEVENT with a time-range and nothing else (no prop-filter, no
/// nested comp-filter, no is-not-defined). It asks only whether some VEVENT instance overlaps the range
/// (RFC 4791 §9.9), which an exact index envelope or a <see cref="Timeline"/> answers without evaluating the body.
/// VTODO and VJOURNAL keep the full evaluator: their §9.9 rows depend on DUE, COMPLETED, CREATED and DATE values.
/// </summary>
public sealed record PlainTimeRange(TimeRange Range)
{
    public static PlainTimeRange? Of(CompFilter root) =>
        root is { IsNotDefined: false, PropFilters.Count: 0, CompFilters: [{ IsNotDefined: false, TimeRange: { } range } only] }
        && root.Name.Equals("VCALENDAR", StringComparison.OrdinalIgnoreCase)
        && only is { Name: "VEVENT", PropFilters.Count: 0, CompFilters.Count: 0 }
            ? new PlainTimeRange(range)
            : null;

    /// <summary>
    /// The answer from the index alone when the object's one instance is known exactly, else null. An exact
    /// envelope is never floating, so the calendar's time zone plays no part.
    /// </summary>
    public bool? ByEnvelope(ICalendarObject candidate) =>
        candidate.Envelope is { } envelope && candidate.Component == "VEVENT"
            ? envelope.Overlaps(Utc(Range.Start), Utc(Range.End))
            : null;

    static DateTimeOffset? Utc(DateTime? value) =>
        value is { } v ? new DateTimeOffset(DateTime.SpecifyKind(v, DateTimeKind.Utc)) : null;
}

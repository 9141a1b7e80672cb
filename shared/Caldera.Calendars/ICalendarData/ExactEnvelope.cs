using Ical.Net.CalendarComponents;
using Ical.Net.DataTypes;

namespace Caldera.Calendars;

/// <summary>
/// Whether an object's one instance pins its envelope exactly, so that a time-range on VEVENT is decided by
/// the envelope alone (<see cref="ParsedCalendarObject.EnvelopeExact"/>). RFC 4791 §9.9 gives a VEVENT with
/// an end after its start the overlap rule (start &lt; DTEND AND end &gt; DTSTART) that the envelope answers; a
/// zero-duration one (no DTEND/DURATION, or DTEND = DTSTART) has rules of its own, and floating or DATE values
/// move with the calendar's time zone, so neither is exact.
/// </summary>
static class ExactEnvelope
{
    public static bool Holds(Occurrence instance) =>
        instance.Source is CalendarEvent e
        && (e.DtEnd is { } dtEnd ? Fixed(dtEnd) : e.Properties.ContainsKey("DURATION"))
        && Fixed(instance.Period.StartTime)
        && instance.Period.EffectiveEndTime is { } end && Fixed(end)
        && end.AsUtc > instance.Period.StartTime.AsUtc;

    /// <summary>A DATE-TIME in UTC or in a named zone: the same instant whatever the viewer's time zone.</summary>
    static bool Fixed(CalDateTime value) => value.HasTime && !value.IsFloating;
}

using System.Globalization;
using Ical.Net;
using Calendar = Ical.Net.Calendar;
using Ical.Net.CalendarComponents;
using Ical.Net.DataTypes;
using Ical.Net.Evaluation;

namespace Caldera.Calendars.Query;

/// <summary>
/// One instance of an event as a calendar view shows it. Timed instances are UTC instants; all-day ones
/// (DATE values) are dates with <see cref="End"/> exclusive. <see cref="Title"/> is SUMMARY as plain text.
/// </summary>
public sealed record EventInstance(string Uid, string? RecurrenceId, string Title, string? Location, bool AllDay, DateTime Start, DateTime End)
{
    /// <summary>ISO 8601: yyyy-MM-dd for all-day, else yyyy-MM-ddTHH:mm:ssZ.</summary>
    public static string Format(DateTime value, bool allDay) => allDay
        ? value.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)
        : value.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
}

/// <summary>
/// The event instances of one stored object that overlap a range, through the same recurrence code as the
/// calendar-query expand (<see cref="Instances"/>: RRULE, RDATE, EXDATE, RECURRENCE-ID overrides, VTIMEZONE rules).
/// </summary>
public static class EventInstances
{
    /// <param name="limit">Most instances returned; more makes <c>Truncated</c> true.</param>
    /// <param name="floatingZone">Where floating times and dates lie (the calendar's time zone); UTC when null.</param>
    public static (List<EventInstance> Instances, bool Truncated) Of(string text, DateTime start, DateTime end, int limit,
        TimeZoneInfo? floatingZone = null)
    {
        var found = new List<EventInstance>();
        Calendar? calendar;
        try
        {
            calendar = Calendar.Load(text);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            return (found, false);
        }
        if (calendar is null || calendar.Events.Count == 0)
            return (found, false);
        var zone = floatingZone ?? TimeZoneInfo.Utc;
        // Floating instances placed in another zone lie up to 14 h either side of where Ical.Net finds them.
        var slack = zone == TimeZoneInfo.Utc ? TimeSpan.FromSeconds(1) : FloatingTimeZone.WidestOffset;
        using var zones = ObjectTimeZones.Use(calendar);
        var seen = 0;
        foreach (var occurrence in Instances.Of(calendar, new CalDateTime(start - slack, "UTC"), CalendarObjectParser.Evaluation)
                     .TakeWhileBefore(new CalDateTime(end + slack, "UTC")))
        {
            // Counting what is looked at bounds the work of a dense series, as the expand does.
            if (++seen > CalendarDataFilter.DefaultMaxInstances)
                return (found, true);
            if (occurrence.Source is not CalendarEvent source)
                continue;
            var allDay = !occurrence.Period.StartTime.HasTime;
            var (s, f) = Span(occurrence.Period, allDay, zone);
            if (!Overlaps(s, f, start, end))
                continue;
            if (found.Count >= limit)
                return (found, true);
            found.Add(new EventInstance(source.Uid ?? "", RecurrenceIdOf(source, occurrence.Period), source.Summary ?? "", source.Location,
                allDay, allDay ? occurrence.Period.StartTime.Value.Date : s, allDay ? EndDate(occurrence.Period) : f));
        }
        return (found, false);
    }

    /// <summary>The instance in UTC (a date runs from its midnight in <paramref name="zone"/>).</summary>
    static (DateTime Start, DateTime End) Span(Period period, bool allDay, TimeZoneInfo zone)
    {
        var s = FloatingTimeZone.Utc(period.StartTime, zone);
        var f = period.EffectiveEndTime is { } e ? FloatingTimeZone.Utc(e, zone) : allDay ? s.AddDays(1) : s;
        return (s, f < s ? s : f);
    }

    /// <summary>RFC 4791 §9.9: a span overlaps when it starts before the end and ends after the start; an instant when inside.</summary>
    static bool Overlaps(DateTime s, DateTime f, DateTime start, DateTime end) =>
        f > s ? s < end && f > start : s >= start && s < end;

    static DateTime EndDate(Period period)
    {
        var startDate = period.StartTime.Value.Date;
        var end = period.EffectiveEndTime?.Value.Date ?? startDate.AddDays(1);
        return end > startDate ? end : startDate.AddDays(1);
    }

    /// <summary>An override's RECURRENCE-ID, a series instance's original start, or null for a single event.</summary>
    static string? RecurrenceIdOf(CalendarEvent source, Period period)
    {
        if (source.RecurrenceIdentifier is { } rid)
            return Stamp(rid.StartTime);
        var recurring = source.RecurrenceRule is not null || source.RecurrenceDates.GetAllDates().Any() || source.RecurrenceDates.GetAllPeriods().Any();
        return recurring ? Stamp(period.StartTime) : null;
    }

    static string Stamp(CalDateTime value) => value.HasTime
        ? EventInstance.Format(value.AsUtc, allDay: false)
        : EventInstance.Format(value.Value.Date, allDay: true);
}

using System.Text;
using Ical.Net;
using Ical.Net.CalendarComponents;
using Ical.Net.DataTypes;
using Ical.Net.Evaluation;

namespace Caldera.Calendars.Query;

/// <summary>One busy span in UTC with its RFC 5545 FBTYPE (BUSY, BUSY-TENTATIVE, BUSY-UNAVAILABLE or an x-name).</summary>
public sealed record BusyPeriod(DateTime Start, DateTime End, string Type);

/// <summary>
/// Busy time for CALDAV:free-busy-query (RFC 4791 §7.10): opaque VEVENT instances (TENTATIVE → BUSY-TENTATIVE,
/// CANCELLED and TRANSPARENT → free), recurrence honoured, and the FREEBUSY periods of VFREEBUSY components,
/// clipped to the range; <see cref="Merge"/> coalesces overlapping periods of the same type.
/// </summary>
public static class FreeBusyCalculator
{
    static readonly TimeSpan FloatingSlack = FloatingTimeZone.WidestOffset;

    /// <param name="floatingZone">Where floating date-times and DATE values lie (RFC 4791 §7.3); UTC when null.</param>
    public static List<BusyPeriod> Of(string text, DateTime start, DateTime end, TimeZoneInfo? floatingZone = null,
        int maxInstances = CalendarDataFilter.DefaultMaxInstances)
    {
        var busy = new List<BusyPeriod>();
        var calendar = Calendar.Load(text);
        if (calendar is null)
            return busy;
        var zone = floatingZone ?? TimeZoneInfo.Utc;
        // Placed in a zone other than UTC, floating instances lie up to 14 h either side of where Ical.Net finds them.
        var (before, after) = zone == TimeZoneInfo.Utc ? (TimeSpan.FromSeconds(1), TimeSpan.Zero) : (FloatingSlack, FloatingSlack);
        using var zones = ObjectTimeZones.Use(calendar);
        if (calendar.Events.Count > 0)
        {
            int seen = 0;
            foreach (var occurrence in Instances.Of(calendar, new CalDateTime(start - before, "UTC"), CalendarObjectParser.Evaluation)
                         .TakeWhileBefore(new CalDateTime(end + after, "UTC")))
            {
                if (++seen > maxInstances)
                    throw new InstanceLimitException(maxInstances);
                if (occurrence.Source is not CalendarEvent e || TypeOf(e) is not { } type)
                    continue;
                var s = FloatingTimeZone.Utc(occurrence.Period.StartTime, zone);
                var f = occurrence.Period.EffectiveEndTime is { } pe ? FloatingTimeZone.Utc(pe, zone) : s;
                if (f > s && s < end && f > start) // an instant takes no time (§7.10: DATE-TIME DTSTART alone is not busy)
                    busy.Add(new BusyPeriod(Max(s, start), Min(f, end), type));
            }
        }
        if (calendar.Children.Any(c => c.Name.Equals("VFREEBUSY", StringComparison.OrdinalIgnoreCase)))
        {
            foreach (var fb in ContentComponent.Parse(text).Children.Where(c => c.Name == "VFREEBUSY"))
                foreach (var line in fb.Properties.Where(p => p.Name == "FREEBUSY"))
                {
                    var type = (line.Parameter("FBTYPE") ?? "BUSY").ToUpperInvariant();
                    if (type == "FREE")
                        continue;
                    foreach (var value in line.Value.Split(','))
                        if (CalendarDataFilter.ParsePeriod(value) is { } p && p.End > p.Start && p.Start < end && p.End > start)
                            busy.Add(new BusyPeriod(Max(p.Start, start), Min(p.End, end), type));
                }
        }
        return busy;
    }

    /// <summary>RFC 4791 §7.10 table: the FBTYPE an event instance contributes, or null if it leaves the time free.</summary>
    static string? TypeOf(CalendarEvent e)
    {
        var transp = e.Properties.Get<string>("TRANSP")?.Trim().ToUpperInvariant();
        if (transp == "TRANSPARENT")
            return null;
        return e.Properties.Get<string>("STATUS")?.Trim().ToUpperInvariant() switch
        {
            "CANCELLED" => null,
            "TENTATIVE" => "BUSY-TENTATIVE",
            _ => "BUSY",
        };
    }

    /// <summary>Sorted by start; periods of one type that overlap or touch become one.</summary>
    public static List<BusyPeriod> Merge(IEnumerable<BusyPeriod> periods)
    {
        var merged = new List<BusyPeriod>();
        foreach (var group in periods.GroupBy(p => p.Type))
        {
            BusyPeriod? current = null;
            foreach (var p in group.OrderBy(p => p.Start))
            {
                if (current is not null && p.Start <= current.End)
                    current = current with { End = Max(current.End, p.End) };
                else
                {
                    if (current is not null) merged.Add(current);
                    current = p;
                }
            }
            if (current is not null) merged.Add(current);
        }
        return merged.OrderBy(p => p.Start).ThenBy(p => p.Type, StringComparer.Ordinal).ToList();
    }

    /// <summary>The VCALENDAR with one VFREEBUSY the report answers with.</summary>
    public static string ToICalendar(IEnumerable<BusyPeriod> merged, DateTime start, DateTime end, DateTime stamp)
    {
        var sb = new StringBuilder();
        sb.Append("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Caldera//CalDAV//EN\r\nBEGIN:VFREEBUSY\r\n");
        sb.Append("DTSTAMP:").Append(CalendarDataFilter.Utc(stamp)).Append("\r\n");
        sb.Append("DTSTART:").Append(CalendarDataFilter.Utc(start)).Append("\r\n");
        sb.Append("DTEND:").Append(CalendarDataFilter.Utc(end)).Append("\r\n");
        foreach (var p in merged)
        {
            sb.Append("FREEBUSY");
            if (p.Type != "BUSY")
                sb.Append(";FBTYPE=").Append(p.Type);
            sb.Append(':').Append(CalendarDataFilter.Utc(p.Start)).Append('/').Append(CalendarDataFilter.Utc(p.End)).Append("\r\n");
        }
        sb.Append("END:VFREEBUSY\r\nEND:VCALENDAR\r\n");
        return sb.ToString();
    }

    static DateTime Max(DateTime a, DateTime b) => a > b ? a : b;
    static DateTime Min(DateTime a, DateTime b) => a < b ? a : b;
}

using System.Globalization;
using System.Text.RegularExpressions;
using Ical.Net;
using Calendar = Ical.Net.Calendar;
using Ical.Net.CalendarComponents;
using Ical.Net.DataTypes;
using Ical.Net.Evaluation;

namespace Caldera.Calendars.Query;

/// <summary>
/// Produces the CALDAV:calendar-data text a REPORT asks for (RFC 4791 §9.6) from a stored body: expand
/// (§9.6.5) or limit-recurrence-set (§9.6.6) and limit-freebusy-set (§9.6.7) first, then the comp/prop
/// selection (§9.6.1–9.6.4). Kept lines are copied as stored; only expanded date properties are rewritten.
/// </summary>
public static partial class CalendarDataFilter
{
    /// <summary>Instances one object may expand to in a single answer.</summary>
    public const int DefaultMaxInstances = 5000;

    static readonly string[] Recurring = ["VEVENT", "VTODO", "VJOURNAL"];
    static readonly HashSet<string> RecurrenceSetProperties = ["RRULE", "RDATE", "EXDATE", "EXRULE"];

    public static string Apply(string text, CalendarDataRequest request, int maxInstances = DefaultMaxInstances)
    {
        if (request.IsWhole)
            return text;
        var root = ContentComponent.Parse(text);
        if (request.Expand is { } expand)
            root = Expand(text, root, expand, maxInstances);
        else if (request.LimitRecurrenceSet is { } limit)
            root = LimitRecurrenceSet(text, root, limit);
        if (request.LimitFreeBusySet is { } fb)
            root = LimitFreeBusySet(root, fb);
        if (request.Comp is { } comp)
            root = Select(root, comp);
        return root.ToString();
    }

    // ---- comp / prop ------------------------------------------------------------------------------------

    static ContentComponent Select(ContentComponent vcalendar, CompSelection selection)
    {
        if (!selection.Name.Equals("VCALENDAR", StringComparison.OrdinalIgnoreCase))
            return vcalendar.ShallowCopy([], []);
        var selected = Prune(vcalendar, selection);
        // A kept property naming a TZID keeps its VTIMEZONE, so the answer stays a valid iCalendar object.
        var kept = selected.Children.Where(c => c.Name == "VTIMEZONE").Select(TzidOf).ToHashSet();
        var needed = Tzids(selected).Where(t => !kept.Contains(t)).ToHashSet();
        var missing = vcalendar.Children.Where(c => c.Name == "VTIMEZONE" && needed.Contains(TzidOf(c))).ToList();
        if (missing.Count > 0)
            selected.Children.InsertRange(0, missing);
        return selected;
    }

    static ContentComponent Prune(ContentComponent component, CompSelection selection)
    {
        IEnumerable<ContentLine> properties = selection.AllProperties
            ? component.Properties
            : component.Properties
                .Select(p => (Line: p, Wanted: selection.Properties.FirstOrDefault(s => s.Name.Equals(p.Name, StringComparison.OrdinalIgnoreCase))))
                .Where(x => x.Wanted is not null)
                .Select(x => x.Wanted!.NoValue ? x.Line with { Value = "" } : x.Line);
        IEnumerable<ContentComponent> children = selection.AllComponents
            ? component.Children
            : component.Children
                .Select(c => (Child: c, Wanted: selection.Components.FirstOrDefault(s => s.Name.Equals(c.Name, StringComparison.OrdinalIgnoreCase))))
                .Where(x => x.Wanted is not null)
                .Select(x => Prune(x.Child, x.Wanted!));
        return component.ShallowCopy(properties.ToList(), children.ToList());
    }

    static string TzidOf(ContentComponent vtimezone) => vtimezone.Find("TZID")?.Value.Trim() ?? "";

    static IEnumerable<string> Tzids(ContentComponent component) =>
        component.Children.Where(c => c.Name != "VTIMEZONE").SelectMany(Tzids)
            .Concat(component.Properties.Select(p => p.Parameter("TZID")).OfType<string>());

    // ---- expand -----------------------------------------------------------------------------------------

    /// <summary>
    /// Every instance overlapping the range as its own component in UTC with a RECURRENCE-ID, without
    /// RRULE/RDATE/EXDATE; overridden instances come from their override. VTIMEZONEs are no longer needed.
    /// </summary>
    static ContentComponent Expand(string text, ContentComponent vcalendar, TimeRange range, int maxInstances)
    {
        var (calendar, map) = Load(text, vcalendar);
        using var zones = ObjectTimeZones.Use(calendar);
        var start = range.StartOrMin;
        var end = range.EndOrMax;
        var instances = new List<ContentComponent>();
        var occurrences = Instances.Of(calendar, new CalDateTime(start.AddSeconds(-1), "UTC"), CalendarObjectParser.Evaluation)
            .TakeWhileBefore(new CalDateTime(end, "UTC"));
        int seen = 0;
        foreach (var occurrence in occurrences)
        {
            // Counting what is looked at, not only what is kept, bounds the work as well as the answer.
            if (++seen > maxInstances)
                throw new InstanceLimitException(maxInstances);
            if (occurrence.Source is not RecurringComponent source || !map.TryGetValue(source, out var content))
                continue;
            if (!Overlaps(occurrence.Period, source, start, end))
                continue;
            instances.Add(Instance(content, source, occurrence.Period));
        }
        // Components Ical.Net cannot place in time (a VTODO without DTSTART) and VFREEBUSY stay as they are.
        var undated = vcalendar.Children.Where(c => c.Name != "VTIMEZONE" && !map.ContainsValue(c)
            || map.Any(m => m.Value == c && m.Key.DtStart is null));
        return vcalendar.ShallowCopy(vcalendar.Properties, instances.Concat(undated).ToList());
    }

    static ContentComponent Instance(ContentComponent content, RecurringComponent source, Period period)
    {
        var isOverride = source.RecurrenceIdentifier is not null;
        var isSeries = !isOverride && content.Properties.Any(p => p.Name is "RRULE" or "RDATE");
        var startTime = period.StartTime;
        var endTime = period.EffectiveEndTime;
        var properties = new List<ContentLine>();
        bool wroteStart = false;
        foreach (var p in content.Properties)
        {
            switch (p.Name)
            {
                case var n when RecurrenceSetProperties.Contains(n):
                    break;
                case "RECURRENCE-ID":
                    break; // written next to DTSTART
                case "DTSTART":
                    properties.Add(DateLine("DTSTART", startTime));
                    wroteStart = true;
                    if (isOverride)
                        properties.Add(DateLine("RECURRENCE-ID", source.RecurrenceIdentifier!.StartTime));
                    else if (isSeries)
                        properties.Add(DateLine("RECURRENCE-ID", startTime));
                    break;
                case "DTEND" when endTime is not null:
                    properties.Add(DateLine("DTEND", endTime));
                    break;
                case "DUE" when source is Todo { Due: { } due, DtStart: { } dtStart }:
                    properties.Add(new ContentLine("DUE", "", Utc(startTime.AsUtc + (due.AsUtc - dtStart.AsUtc))));
                    break;
                default:
                    properties.Add(p);
                    break;
            }
        }
        if (!wroteStart)
            properties.Insert(0, DateLine("DTSTART", startTime));
        return content.ShallowCopy(properties, content.Children);
    }

    /// <summary>A date property in UTC (DATE values stay dates: they name a day, not an instant).</summary>
    static ContentLine DateLine(string name, CalDateTime value) => value.HasTime
        ? new ContentLine(name, "", Utc(value.AsUtc))
        : new ContentLine(name, ";VALUE=DATE", value.Date.ToString("yyyyMMdd", CultureInfo.InvariantCulture));

    public static string Utc(DateTime value) => value.ToString("yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture);

    /// <summary>RFC 4791 §9.9 overlap for one instance: a span overlaps when it starts before the end and ends after the start; an instant when it lies in [start, end).</summary>
    internal static bool Overlaps(Period period, RecurringComponent source, DateTime start, DateTime end)
    {
        var s = period.StartTime.AsUtc;
        var e = period.EffectiveEndTime?.AsUtc ?? s;
        if (e > s)
            return start < e && end > s;
        if (source is Todo && source.Properties.ContainsKey("DUE"))
            return start <= e && end >= s;
        return start <= s && end > s;
    }

    // ---- limit-recurrence-set ---------------------------------------------------------------------------

    /// <summary>The master components and only the overrides that affect the range (RFC 4791 §9.6.6).</summary>
    static ContentComponent LimitRecurrenceSet(string text, ContentComponent vcalendar, TimeRange range)
    {
        var (calendar, map) = Load(text, vcalendar);
        using var zones = ObjectTimeZones.Use(calendar);
        var start = range.StartOrMin;
        var end = range.EndOrMax;
        var drop = new HashSet<ContentComponent>();
        foreach (var (component, content) in map)
        {
            if (component.RecurrenceIdentifier is not { } rid)
                continue;
            var original = rid.StartTime.AsUtc;
            var affects =
                // the instance it replaces was in the range (it moves out of it, or changes there) …
                (original >= start && original < end) ||
                // … or it now lies in the range …
                (component.DtStart is { } dtStart && Overlaps(new Period(dtStart, EndOf(component) ?? dtStart), component, start, end)) ||
                // … or it changes every later instance, some of which may be in the range.
                (rid.Range == RecurrenceRange.ThisAndFuture && original < end);
            if (!affects)
                drop.Add(content);
        }
        return vcalendar.ShallowCopy(vcalendar.Properties, vcalendar.Children.Where(c => !drop.Contains(c)).ToList());
    }

    static CalDateTime? EndOf(RecurringComponent component) => component switch
    {
        CalendarEvent e => e.DtEnd ?? (e.Duration is { } d && e.DtStart is { } s ? s.Add(d) : null),
        Todo t => t.Due ?? (t.Duration is { } d && t.DtStart is { } s ? s.Add(d) : null),
        _ => null,
    };

    /// <summary>Parses the body with Ical.Net and pairs each recurring component with its text.</summary>
    static (Calendar Calendar, Dictionary<RecurringComponent, ContentComponent> Map) Load(string text, ContentComponent vcalendar)
    {
        var calendar = Calendar.Load(text) ?? throw new FormatException("no VCALENDAR");
        var parsed = calendar.Children.OfType<RecurringComponent>().Where(c => Recurring.Contains(c.Name.ToUpperInvariant())).ToList();
        var contents = vcalendar.Children.Where(c => Recurring.Contains(c.Name)).ToList();
        if (parsed.Count != contents.Count)
            throw new FormatException("the components of the stored body could not be paired");
        var map = new Dictionary<RecurringComponent, ContentComponent>(ReferenceEqualityComparer.Instance);
        for (int i = 0; i < parsed.Count; i++)
            map[parsed[i]] = contents[i];
        return (calendar, map);
    }

    // ---- limit-freebusy-set -----------------------------------------------------------------------------

    /// <summary>Only the FREEBUSY periods of VFREEBUSY components that overlap the range (RFC 4791 §9.6.7).</summary>
    static ContentComponent LimitFreeBusySet(ContentComponent vcalendar, TimeRange range)
    {
        var children = vcalendar.Children.Select(c =>
        {
            if (c.Name != "VFREEBUSY")
                return c;
            var properties = new List<ContentLine>();
            foreach (var p in c.Properties)
            {
                if (p.Name != "FREEBUSY")
                {
                    properties.Add(p);
                    continue;
                }
                var kept = p.Value.Split(',').Where(v => ParsePeriod(v) is not { } period ||
                    range.StartOrMin < period.End && range.EndOrMax > period.Start).ToList();
                if (kept.Count > 0)
                    properties.Add(p with { Value = string.Join(",", kept) });
            }
            return c.ShallowCopy(properties, c.Children);
        }).ToList();
        return vcalendar.ShallowCopy(vcalendar.Properties, children);
    }

    /// <summary>An RFC 5545 §3.3.9 period in UTC (start/end or start/duration), or null if unreadable.</summary>
    public static (DateTime Start, DateTime End)? ParsePeriod(string value)
    {
        var parts = value.Trim().Split('/');
        if (parts.Length != 2 || ParseUtc(parts[0]) is not { } start)
            return null;
        if (ParseUtc(parts[1]) is { } end)
            return (start, end);
        return ParseDuration(parts[1]) is { } duration ? (start, start + duration) : null;
    }

    static DateTime? ParseUtc(string value) =>
        DateTime.TryParseExact(value.Trim(), "yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture,
            DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var t)
            ? DateTime.SpecifyKind(t, DateTimeKind.Utc)
            : null;

    static TimeSpan? ParseDuration(string value)
    {
        var m = DurationPattern().Match(value.Trim());
        if (!m.Success)
            return null;
        int N(string g) => m.Groups[g].Success ? int.Parse(m.Groups[g].Value, CultureInfo.InvariantCulture) : 0;
        var span = new TimeSpan(N("w") * 7 + N("d"), N("h"), N("m"), N("s"));
        return m.Groups["sign"].Value == "-" ? -span : span;
    }

    [GeneratedRegex(@"^(?<sign>[+-])?P(?:(?<w>\d+)W)?(?:(?<d>\d+)D)?(?:T(?:(?<h>\d+)H)?(?:(?<m>\d+)M)?(?:(?<s>\d+)S)?)?$")]
    private static partial Regex DurationPattern();
}

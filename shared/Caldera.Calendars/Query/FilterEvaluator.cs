using Ical.Net;
using Ical.Net.CalendarComponents;
using Ical.Net.DataTypes;

namespace Caldera.Calendars.Query;

/// <summary>
/// Evaluates a calendar-query filter against one parsed calendar object. Time ranges on recurring components
/// are matched by their instances (RRULE, RDATE, EXDATE and overridden RECURRENCE-IDs, via Ical.Net).
/// </summary>
public static class FilterEvaluator
{
    /// <summary>Instances looked at per component before giving up, so endless rules cannot run away.</summary>
    const int InstanceLimit = 20000;

    public static bool Matches(Calendar calendar, CompFilter root)
    {
        if (!root.Name.Equals("VCALENDAR", StringComparison.OrdinalIgnoreCase))
            return root.IsNotDefined;
        if (root.IsNotDefined)
            return false;
        return root.PropFilters.All(p => PropMatches(calendar.Properties, p)) &&
               root.CompFilters.All(c => CompMatches(calendar, calendar.Children.OfType<CalendarComponent>(), c));
    }

    static bool CompMatches(Calendar calendar, IEnumerable<CalendarComponent> siblings, CompFilter filter)
    {
        var named = siblings.Where(c => c.Name.Equals(filter.Name, StringComparison.OrdinalIgnoreCase)).ToList();
        if (filter.IsNotDefined)
            return named.Count == 0;
        IEnumerable<CalendarComponent> candidates = named;
        if (filter.TimeRange is { } range)
            candidates = InRange(calendar, named, range);
        return candidates.Any(c =>
            filter.PropFilters.All(p => PropMatches(c.Properties, p)) &&
            filter.CompFilters.All(f => CompMatches(calendar, c.Children.OfType<CalendarComponent>(), f)));
    }

    /// <summary>The components (masters or overrides) that have an instance overlapping the range.</summary>
    static IEnumerable<CalendarComponent> InRange(Calendar calendar, List<CalendarComponent> named, TimeRange range)
    {
        var recurring = named.OfType<RecurringComponent>().ToList();
        var others = named.Except(recurring);
        var hits = new HashSet<CalendarComponent>();
        if (recurring.Count > 0)
        {
            // One second early: a VTODO instance ending exactly at the range start still matches (§9.9); Overlaps decides.
            // Starts in the first millennium are treated as open (Ical.Net subtracts durations from it and would overflow).
            var start = range.Start is { Year: > 1000 } s ? new CalDateTime(s.AddSeconds(-1), "UTC") : null;
            int seen = 0;
            var occurrences = Instances.Of(calendar, start, CalendarObjectParser.Evaluation);
            if (range.End is { } e)
                occurrences = occurrences.TakeWhileBefore(new CalDateTime(e, "UTC"));
            foreach (var occurrence in occurrences)
            {
                if (++seen > InstanceLimit)
                    break;
                if (occurrence.Source is RecurringComponent source && recurring.Contains(source) && Overlaps(source, occurrence.Period, range))
                    hits.Add(source);
            }
            // Without DTSTART Ical.Net yields no instance; §9.9 still places such a VTODO by DUE, COMPLETED or CREATED.
            foreach (var todo in recurring.OfType<Todo>().Where(t => t.DtStart is null))
                if (UndatedTodoOverlaps(todo, range))
                    hits.Add(todo);
        }
        return hits.Concat(others.Where(o => o.Name == "VFREEBUSY"));
    }

    /// <summary>RFC 4791 §9.9 for one instance.</summary>
    static bool Overlaps(RecurringComponent component, Period period, TimeRange range)
    {
        var start = period.StartTime.AsUtc;
        var end = period.EffectiveEndTime?.AsUtc ?? start;
        if (component is CalendarEvent)
            return end > start || component.Properties.ContainsKey("DTEND")
                ? range.StartOrMin < end && range.EndOrMax > start
                : range.StartOrMin <= start && range.EndOrMax > start;
        if (component is Todo)
        {
            // The instance's end is DTSTART+DURATION or its DUE.
            if (component.Properties.ContainsKey("DURATION"))
                return range.StartOrMin <= end && (range.EndOrMax > start || range.EndOrMax >= end);
            if (component.Properties.ContainsKey("DUE"))
                return (range.StartOrMin < end || range.StartOrMin <= start) && (range.EndOrMax > start || range.EndOrMax >= end);
            return range.StartOrMin <= start && range.EndOrMax > start;
        }
        if (component is Journal)
        {
            if (!period.StartTime.HasTime)
                end = start.AddDays(1);
            return end > start
                ? range.StartOrMin < end && range.EndOrMax > start
                : range.StartOrMin <= start && range.EndOrMax > start;
        }
        return false;
    }

    /// <summary>§9.9 rows for a VTODO without DTSTART.</summary>
    static bool UndatedTodoOverlaps(Todo todo, TimeRange range)
    {
        if (todo.Due?.AsUtc is { } due)
            return range.StartOrMin < due && range.EndOrMax >= due;
        var completed = todo.Completed?.AsUtc;
        var created = todo.Created?.AsUtc;
        if (completed is { } c && created is { } cr)
            return (range.StartOrMin <= cr || range.StartOrMin <= c) && (range.EndOrMax >= cr || range.EndOrMax >= c);
        if (completed is { } c2)
            return range.StartOrMin <= c2 && range.EndOrMax >= c2;
        if (created is { } cr2)
            return range.EndOrMax > cr2;
        return true;
    }

    static bool PropMatches(CalendarPropertyList properties, PropFilter filter)
    {
        var props = properties.AllOf(filter.Name).ToList();
        if (filter.IsNotDefined)
            return props.Count == 0;
        if (props.Count == 0)
            return false;
        return props.Any(p =>
            (filter.TextMatch is null || TextMatcher.Matches(filter.TextMatch, ValueText(p))) &&
            (filter.TimeRange is null || PropertyInRange(p, filter.TimeRange)) &&
            filter.ParamFilters.All(pf => ParamMatches(p, pf)));
    }

    static bool ParamMatches(ICalendarProperty property, ParamFilter filter)
    {
        var parameter = property.Parameters.FirstOrDefault(x => x.Name.Equals(filter.Name, StringComparison.OrdinalIgnoreCase));
        if (filter.IsNotDefined)
            return parameter is null;
        if (parameter is null)
            return false;
        return filter.TextMatch is null || parameter.Values.Any(v => TextMatcher.Matches(filter.TextMatch, v));
    }

    static bool PropertyInRange(ICalendarProperty property, TimeRange range) =>
        property.Value is CalDateTime dt && range.StartOrMin <= dt.AsUtc && range.EndOrMax > dt.AsUtc;

    static string? ValueText(ICalendarProperty property) => property.Value switch
    {
        null => null,
        string s => s,
        IEnumerable<string> list => string.Join(",", list),
        // Ical.Net's Attendee and Organizer have no ToString of their own; their value is the calendar user's URI.
        Attendee a => a.Value?.OriginalString,
        Organizer o => o.Value?.OriginalString,
        Uri u => u.OriginalString,
        var v => v.ToString(),
    };
}

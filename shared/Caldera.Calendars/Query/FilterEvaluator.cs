using Ical.Net;
using Ical.Net.CalendarComponents;
using Ical.Net.DataTypes;
using Ical.Net.Serialization;

namespace Caldera.Calendars.Query;

/// <summary>
/// Evaluates a calendar-query filter against one parsed calendar object. Time ranges on recurring components
/// are matched by their instances (RRULE, RDATE, EXDATE and overridden RECURRENCE-IDs, THISANDFUTURE included);
/// VALARM by the trigger times of its parent's instances and VFREEBUSY by DTSTART/DTEND or its FREEBUSY periods
/// (RFC 4791 §9.9). Floating and all-day values are placed in the calendar's time zone (RFC 4791 §7.3).
/// </summary>
public static class FilterEvaluator
{
    /// <summary>Instances looked at per component before giving up, so endless rules cannot run away.</summary>
    public const int InstanceLimit = 20000;

    /// <summary>Alarm repetitions looked at per trigger (REPEAT is an integer a client may set absurdly high).</summary>
    const int RepeatLimit = 1000;

    /// <summary>The widest UTC offset: floating values are found by Ical.Net as if in UTC, so the search is widened by it.</summary>
    static readonly TimeSpan FloatingSlack = FloatingTimeZone.WidestOffset;

    public static bool Matches(Calendar calendar, CompFilter root) => Matches(calendar, root, TimeZoneInfo.Utc);

    /// <param name="floatingZone">Where floating date-times and DATE values lie (the calendar's calendar-timezone).</param>
    /// <param name="text">
    /// The stored iCalendar text, when the caller has it: FREEBUSY periods are read from it, since Ical.Net 5 does
    /// not parse FREEBUSY values (its properties come back empty).
    /// </param>
    public static bool Matches(Calendar calendar, CompFilter root, TimeZoneInfo? floatingZone, string? text = null)
    {
        using var zones = ObjectTimeZones.Use(calendar);
        var ctx = new Context(calendar, floatingZone ?? TimeZoneInfo.Utc, text);
        if (!root.Name.Equals("VCALENDAR", StringComparison.OrdinalIgnoreCase))
            return root.IsNotDefined;
        if (root.IsNotDefined)
            return false;
        return root.PropFilters.All(p => ctx.PropMatches(calendar.Properties, p)) &&
               root.CompFilters.All(c => ctx.CompMatches(null, calendar.Children.OfType<CalendarComponent>(), c));
    }

    sealed class Context(Calendar calendar, TimeZoneInfo zone, string? text)
    {
        /// <summary>FREEBUSY periods per VFREEBUSY, in document order (the order of Ical.Net's FreeBusy components).</summary>
        List<List<(DateTime Start, DateTime End)>>? _freeBusyPeriods;

        List<(DateTime Start, DateTime End)> RawPeriods(FreeBusy freeBusy)
        {
            if (text is null)
                return [];
            _freeBusyPeriods ??= ContentComponent.Parse(text).Children.Where(c => c.Name == "VFREEBUSY")
                .Select(c => c.Properties.Where(p => p.Name == "FREEBUSY")
                    .SelectMany(p => p.Value.Split(','))
                    .Select(CalendarDataFilter.ParsePeriod).OfType<(DateTime, DateTime)>().ToList())
                .ToList();
            var index = calendar.Children.OfType<FreeBusy>().ToList().IndexOf(freeBusy);
            return index >= 0 && index < _freeBusyPeriods.Count ? _freeBusyPeriods[index] : [];
        }

        DateTime Utc(CalDateTime value) => FloatingTimeZone.Utc(value, zone);

        /// <summary>
        /// How much wider than the range instances are looked for: Ical.Net reads floating and DATE values as UTC,
        /// so they can lie up to 14 h either side; zoned values are placed exactly, and a dense rule (one instance a
        /// minute) would otherwise spend its instance limit before the range.
        /// </summary>
        TimeSpan Slack => _slack ??= calendar.Children.OfType<RecurringComponent>().Any(HasFloatingTime) ? FloatingSlack : TimeSpan.Zero;
        TimeSpan? _slack;

        static bool HasFloatingTime(RecurringComponent c) =>
            c.DtStart is { } s && (s.IsFloating || !s.HasTime)
            || c.RecurrenceDates.GetAllDates().Any(d => d.IsFloating || !d.HasTime)
            || c.RecurrenceDates.GetAllPeriods().Any(p => p.StartTime.IsFloating || !p.StartTime.HasTime);

        public bool CompMatches(CalendarComponent? parent, IEnumerable<CalendarComponent> siblings, CompFilter filter)
        {
            var named = siblings.Where(c => c.Name.Equals(filter.Name, StringComparison.OrdinalIgnoreCase)).ToList();
            if (filter.IsNotDefined)
                return named.Count == 0;
            IEnumerable<CalendarComponent> candidates = named;
            if (filter.TimeRange is { } range)
                candidates = filter.Name switch
                {
                    "VALARM" => parent is null ? [] : named.OfType<Alarm>().Where(a => AlarmInRange(parent, a, range)),
                    "VFREEBUSY" => named.OfType<FreeBusy>().Where(f => FreeBusyInRange(f, range)),
                    "VEVENT" or "VTODO" or "VJOURNAL" => InRange(named, range),
                    _ => [], // no other component has a time (the parser refuses such filters with supported-filter)
                };
            return candidates.Any(c =>
                filter.PropFilters.All(p => PropMatches(c.Properties, p)) &&
                filter.CompFilters.All(f => CompMatches(c, c.Children.OfType<CalendarComponent>(), f)));
        }

        /// <summary>Instances of the calendar from (start − slack) on, cut off after (end + slack), at most <see cref="InstanceLimit"/>.</summary>
        IEnumerable<Occurrence> Occurrences(DateTime? start, DateTime? end, TimeSpan slack)
        {
            // Starts in the first millennium are treated as open (Ical.Net subtracts durations from it and would overflow).
            var from = start is { Year: > 1000 } s && s - slack > DateTime.MinValue.AddYears(1000) ? new CalDateTime(s - slack, "UTC") : null;
            var occurrences = Instances.Of(calendar, from, CalendarObjectParser.Evaluation);
            if (end is { } e && e < DateTime.MaxValue.AddYears(-1000))
                occurrences = occurrences.TakeWhileBefore(new CalDateTime(e + slack, "UTC"));
            return occurrences.Take(InstanceLimit);
        }

        /// <summary>The components (masters or overrides) that have an instance overlapping the range.</summary>
        IEnumerable<CalendarComponent> InRange(List<CalendarComponent> named, TimeRange range)
        {
            var recurring = named.OfType<RecurringComponent>().ToList();
            var hits = new HashSet<CalendarComponent>();
            if (recurring.Count == 0)
                return hits;
            // One second early: a VTODO instance ending exactly at the range start still matches (§9.9); Overlaps decides.
            var dated = recurring.Count(r => r.DtStart is not null);
            foreach (var occurrence in Occurrences(range.Start is { Year: > 1000 } s ? s.AddSeconds(-1) : null, range.End, Slack))
            {
                if (occurrence.Source is RecurringComponent source && recurring.Contains(source) && Overlaps(source, occurrence.Period, range))
                    hits.Add(source);
                // Every component has its instance: later ones cannot change the answer (and an open range never ends).
                if (hits.Count == dated)
                    break;
            }
            // Without DTSTART Ical.Net yields no instance; §9.9 still places such a VTODO by DUE, COMPLETED or CREATED.
            foreach (var todo in recurring.OfType<Todo>().Where(t => t.DtStart is null))
                if (UndatedTodoOverlaps(todo, range))
                    hits.Add(todo);
            return hits;
        }

        /// <summary>RFC 4791 §9.9 for one instance.</summary>
        bool Overlaps(RecurringComponent component, Period period, TimeRange range)
        {
            var start = Utc(period.StartTime);
            var end = period.EffectiveEndTime is { } pe ? Utc(pe) : start;
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
                    end = FloatingTimeZone.ToUtc(period.StartTime.Value.Date.AddDays(1), zone);
                return end > start
                    ? range.StartOrMin < end && range.EndOrMax > start
                    : range.StartOrMin <= start && range.EndOrMax > start;
            }
            return false;
        }

        /// <summary>§9.9 rows for a VTODO without DTSTART.</summary>
        bool UndatedTodoOverlaps(Todo todo, TimeRange range)
        {
            if (todo.Due is { } dueValue)
            {
                var due = Utc(dueValue);
                return range.StartOrMin < due && range.EndOrMax >= due;
            }
            DateTime? completed = todo.Completed is { } co ? Utc(co) : null;
            DateTime? created = todo.Created is { } cr0 ? Utc(cr0) : null;
            if (completed is { } c && created is { } cr)
                return (range.StartOrMin <= cr || range.StartOrMin <= c) && (range.EndOrMax >= cr || range.EndOrMax >= c);
            if (completed is { } c2)
                return range.StartOrMin <= c2 && range.EndOrMax >= c2;
            if (created is { } cr2)
                return range.EndOrMax > cr2;
            return true;
        }

        /// <summary>
        /// RFC 4791 §9.9 VALARM: (start &lt;= trigger-time) AND (end &gt; trigger-time) for any trigger time, a
        /// relative TRIGGER being taken against the START (or, RELATED=END, the end) of each instance of the parent,
        /// an absolute one once; REPEAT more triggers follow each at DURATION intervals (RFC 5545 §3.8.6.2).
        /// </summary>
        bool AlarmInRange(CalendarComponent parent, Alarm alarm, TimeRange range)
        {
            if (alarm.Trigger is not { } trigger)
                return false;
            var repeat = alarm.Duration is { } d && alarm.Repeat > 0 ? Math.Min(alarm.Repeat, RepeatLimit) : 0;
            var interval = alarm.Duration?.ToTimeSpanUnspecified() ?? TimeSpan.Zero;
            if (interval <= TimeSpan.Zero)
                repeat = 0;
            bool AnyTrigger(DateTime first)
            {
                for (int i = 0; i <= repeat; i++)
                {
                    var t = first + interval * i;
                    if (range.StartOrMin <= t && range.EndOrMax > t)
                        return true;
                    if (t >= range.EndOrMax)
                        return false;
                }
                return false;
            }
            if (!trigger.IsRelative)
                return trigger.DateTime is { } absolute && AnyTrigger(Utc(absolute));
            if (parent is not RecurringComponent owner)
                return false;
            var offset = trigger.Duration!.Value.ToTimeSpanUnspecified();
            var fromEnd = string.Equals(trigger.Related, "END", StringComparison.OrdinalIgnoreCase);
            // Instances whose triggers can fall in the range: the offset, the repetitions and a long instance all
            // move the trigger away from the instance start, so the search around the range is widened by them.
            var slack = Slack + offset.Duration() + interval * repeat + TimeSpan.FromDays(fromEnd ? 366 : 0);
            foreach (var occurrence in Occurrences(range.Start, range.End, slack))
            {
                if (!ReferenceEquals(occurrence.Source, owner))
                    continue;
                var start = Utc(occurrence.Period.StartTime);
                var anchor = fromEnd
                    ? occurrence.Period.EffectiveEndTime is { } end ? Utc(end) : start
                    : start;
                if (AnyTrigger(anchor + offset))
                    return true;
            }
            return false;
        }

        /// <summary>
        /// RFC 4791 §9.9 VFREEBUSY: with DTSTART and DTEND, (start &lt;= DTEND) AND (end &gt; DTSTART); otherwise any
        /// FREEBUSY period with (start &lt; period-end) AND (end &gt; period-start); otherwise no match. DURATION is ignored.
        /// </summary>
        bool FreeBusyInRange(FreeBusy freeBusy, TimeRange range)
        {
            if (freeBusy.DtStart is { } dtStart && freeBusy.DtEnd is { } dtEnd)
                return range.StartOrMin <= Utc(dtEnd) && range.EndOrMax > Utc(dtStart);
            return RawPeriods(freeBusy).Any(p => range.StartOrMin < p.End && range.EndOrMax > p.Start);
        }

        public bool PropMatches(CalendarPropertyList properties, PropFilter filter)
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

        bool PropertyInRange(ICalendarProperty property, TimeRange range) =>
            property.Value is CalDateTime dt && range.StartOrMin <= Utc(dt) && range.EndOrMax > Utc(dt);
    }

    /// <summary>
    /// The text a text-match is tested against: a TEXT value as it reads (unescaped), any other value as its
    /// iCalendar value text (e.g. "20240110T100000Z" for a DATE-TIME, "FREQ=WEEKLY;COUNT=3" for an RRULE,
    /// "-PT15M" for a TRIGGER), several values joined by commas as on the content line.
    /// </summary>
    public static string? ValueText(ICalendarProperty property)
    {
        var values = property.Values.Where(v => v is not null).Select(v => ValueText(property, v!)).ToList();
        return values.Count == 0 ? null : string.Join(",", values);
    }

    static string ValueText(ICalendarProperty property, object value)
    {
        switch (value)
        {
            case string s:
                return s;
            case IEnumerable<string> list:
                return string.Join(",", list);
            // Ical.Net's Attendee and Organizer have no ToString of their own; their value is the calendar user's URI.
            case Attendee a:
                return a.Value?.OriginalString ?? "";
            case Organizer o:
                return o.Value?.OriginalString ?? "";
            case Uri u:
                return u.OriginalString;
        }
        try
        {
            var context = new SerializationContext();
            context.Push(property);
            if (new SerializerFactory().Build(value.GetType(), context) is IStringSerializer serializer
                && serializer.SerializeToString(value) is { } text)
                return text;
        }
        catch (Exception) { }
        return value.ToString() ?? "";
    }
}

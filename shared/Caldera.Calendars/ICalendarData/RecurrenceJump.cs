using Ical.Net;
using Ical.Net.CalendarComponents;
using Ical.Net.DataTypes;
using Ical.Net.Evaluation;

namespace Caldera.Calendars;

/// <summary>
/// Makes the cost of evaluating a recurrence depend on the instances asked for, not on how far they lie from
/// DTSTART. Ical.Net 5 reaches a later start by stepping its rule one interval at a time from DTSTART (and with
/// COUNT it enumerates every instance from DTSTART), so a FREQ=MINUTELY rule queried a century later walks
/// fifty million steps. Here a copy of the calendar is made in which such a series starts at the interval Ical.Net
/// would have stepped to anyway (computed in one jump, with the same calendar arithmetic), with the defaults its
/// rule took from the real DTSTART (BYSECOND, BYMINUTE, BYHOUR, BYDAY, BYMONTHDAY, BYMONTH) written out, so the
/// rule yields the same instances from there on. COUNT cannot be jumped (counting needs the walk), so it is capped.
/// </summary>
sealed class RecurrenceJump
{
    /// <summary>Steps of a rule worth walking before the start; beyond them the series is moved forward.</summary>
    const long StepsWorthWalking = 500;

    /// <summary>
    /// How far before the start, beyond the longest instance, the moved series begins: a nominal length (P1D) can
    /// be an hour longer across a change of UTC offset.
    /// </summary>
    static readonly TimeSpan Margin = TimeSpan.FromHours(2);

    readonly Dictionary<IRecurrable, (RecurringComponent Original, DateTime? SeedUtc)> _copies;

    RecurrenceJump(Calendar view, Dictionary<IRecurrable, (RecurringComponent, DateTime?)> copies)
    {
        View = view;
        _copies = copies;
    }

    /// <summary>The copy to evaluate instead of the calendar.</summary>
    public Calendar View { get; }

    /// <summary>
    /// A view of <paramref name="calendar"/> for instances from <paramref name="start"/> on, or null when the
    /// calendar is cheap to evaluate as it is.
    /// </summary>
    public static RecurrenceJump? From(Calendar calendar, CalDateTime? start, int maxCount)
    {
        var children = calendar.Children.OfType<RecurringComponent>().ToList();
        var plans = new List<(int Index, CalDateTime Basis, CalDateTime? Seed, bool CapCount, bool Elapsed)>();
        // Instances moved by a RANGE=THISANDFUTURE override are looked for that much earlier (see Instances).
        TimeSpan? reach = null;
        for (int i = 0; i < children.Count; i++)
        {
            var c = children[i];
            if (c.RecurrenceIdentifier is not null || c.DtStart is not { } dtStart || Rules(c).Count == 0)
                continue;
            var capCount = Rules(c).Any(r => r.Count > maxCount);
            var elapsed = InElapsedTime(c, dtStart);
            var basis = elapsed ? new CalDateTime(dtStart.AsUtc, "UTC") : dtStart;
            CalDateTime? seed = null;
            // An EXRULE with COUNT counts from DTSTART too.
            if (start is not null && Rules(c).Concat(ExceptionRules(c)).All(r => r.Count is null))
                seed = Seed(c, basis, start.AsUtc - (reach ??= Instances.Reach(Instances.Futures(calendar))) - Margin - LongestInstance(c));
            if (seed is not null || capCount || elapsed)
                plans.Add((i, basis, seed, capCount, elapsed));
        }
        if (plans.Count == 0)
            return null;

        var view = calendar.Copy<Calendar>() ?? throw new InvalidOperationException("the calendar could not be copied");
        var copies = view.Children.OfType<RecurringComponent>().ToList();
        var map = new Dictionary<IRecurrable, (RecurringComponent, DateTime?)>(ReferenceEqualityComparer.Instance);
        for (int i = 0; i < children.Count; i++)
            map[copies[i]] = (children[i], null);
        foreach (var (index, basis, seed, capCount, elapsed) in plans)
        {
            var copy = copies[index];
            OwnRules(copy);
            if (capCount)
                foreach (var rule in Rules(copy).Where(r => r.Count > maxCount))
                    rule.Count = maxCount;
            if (seed is not null || elapsed)
            {
                MoveStart(copy, children[index], basis, seed ?? basis);
                map[copy] = (children[index], seed?.AsUtc);
            }
        }
        return new RecurrenceJump(view, map);
    }

    /// <summary>
    /// Whether a series is stepped in UTC: a SECONDLY, MINUTELY or HOURLY rule on a zoned DTSTART. Ical.Net keeps
    /// local times and re-reads them after each exact step, so a step landing in the hour a change to winter time
    /// repeats is read back an hour early and the walk never gets past it (a FREQ=HOURLY event in New York queried
    /// after its first November hangs). Stepped in UTC, the instances are every INTERVAL of elapsed time from
    /// DTSTART, as RFC 5545 counts hours, minutes and seconds; PUT refuses BY-parts on such rules, which would be
    /// read in UTC too (<see cref="RecurrenceLimits"/>).
    /// </summary>
    public static bool InElapsedTime(RecurringComponent c, CalDateTime dtStart) =>
        dtStart is { HasTime: true, TzId: { } tzid } && !dtStart.IsUtc && !string.Equals(tzid, "UTC", StringComparison.OrdinalIgnoreCase)
        && Rules(c).Concat(ExceptionRules(c)).Any(r => r.Frequency is FrequencyType.Secondly or FrequencyType.Minutely or FrequencyType.Hourly);

    /// <summary>
    /// The instance as it belongs to the real calendar (its source the original component), or null for the
    /// moved series' new DTSTART and anything before it: Ical.Net always yields DTSTART, which the rule may not
    /// hold, and every real instance that early ends before the start asked for.
    /// </summary>
    public Occurrence? ToOriginal(Occurrence occurrence)
    {
        if (occurrence.Source is null || !_copies.TryGetValue(occurrence.Source, out var original))
            return occurrence;
        if (original.SeedUtc is { } seed && occurrence.Period.StartTime.AsUtc <= seed)
            return null;
        return new Occurrence(original.Original, occurrence.Period);
    }

    /// <summary>Every RRULE: Ical.Net still evaluates them all, though it marks the list obsolete.</summary>
#pragma warning disable CS0618
    public static IList<RecurrencePattern> Rules(RecurringComponent c) => c.RecurrenceRules;

    /// <summary>Every EXRULE (deprecated by RFC 5545, still evaluated by Ical.Net).</summary>
    public static IList<RecurrencePattern> ExceptionRules(RecurringComponent c) => c.ExceptionRules;
#pragma warning restore CS0618

    /// <summary>Gives the copy rules of its own: Ical.Net's Copy shares the rule objects with the original.</summary>
    static void OwnRules(RecurringComponent copy)
    {
#pragma warning disable CS0618
        copy.RecurrenceRules = Rules(copy).Select(Fresh).ToList();
        if (ExceptionRules(copy).Count > 0)
            copy.ExceptionRules = ExceptionRules(copy).Select(Fresh).ToList();
#pragma warning restore CS0618

        static RecurrencePattern Fresh(RecurrencePattern rule)
        {
            var fresh = new RecurrencePattern();
            fresh.CopyFrom(rule);
            return fresh;
        }
    }

    /// <summary>The length every instance of a series has (DTEND, DUE or DURATION), null for a journal.</summary>
    static Duration? LengthOf(RecurringComponent c) => c switch
    {
        CalendarEvent e => e.EffectiveDuration,
        Todo t => t.EffectiveDuration,
        _ => null,
    };

    static TimeSpan LongestInstance(RecurringComponent c) =>
        LengthOf(c) is { } d ? d.ToTimeSpanUnspecified().Duration() : TimeSpan.FromDays(1);

    /// <summary>
    /// Where Ical.Net's stepping from DTSTART (Evaluator.IncrementDate) arrives after the most whole intervals that
    /// stay before <paramref name="targetUtc"/>, or null when that is few steps or the rule is one to leave alone.
    /// </summary>
    static CalDateTime? Seed(RecurringComponent c, CalDateTime dtStart, DateTime targetUtc)
    {
        // Every rule (EXRULEs too) must keep its phase: the jump is a whole number of one shared interval.
        if (!SharesOneInterval(c))
            return null;
        var rule = Rules(c)[0];
        var interval = Math.Max(1, rule.Interval);
        if (rule.Frequency == FrequencyType.Yearly && rule.ByWeekNo.Count > 0)
            return null; // Ical.Net moves such a seed by week-years first; yearly steps are few anyway
        var distance = targetUtc - dtStart.AsUtc;
        if (distance <= TimeSpan.Zero)
            return null;
        long steps = rule.Frequency switch
        {
            FrequencyType.Secondly => (long)distance.TotalSeconds / interval,
            FrequencyType.Minutely => (long)distance.TotalMinutes / interval,
            FrequencyType.Hourly => (long)distance.TotalHours / interval,
            // Nominal units are counted a little short (a local day can be 25 h), so the seed stays before the target.
            FrequencyType.Daily => (long)(distance.TotalHours / 25) / interval,
            FrequencyType.Weekly => (long)(distance.TotalDays / 7) / interval - 1,
            FrequencyType.Monthly => (long)(distance.TotalDays / 31) / interval,
            FrequencyType.Yearly => (long)(distance.TotalDays / 366) / interval,
            _ => 0,
        };
        if (steps < StepsWorthWalking)
            return null;
        var units = steps * interval;
        try
        {
            return rule.Frequency switch
            {
                FrequencyType.Secondly => Exact(dtStart, TimeSpan.FromSeconds(units)),
                FrequencyType.Minutely => Exact(dtStart, TimeSpan.FromMinutes(units)),
                FrequencyType.Hourly => Exact(dtStart, TimeSpan.FromHours(units)),
                FrequencyType.Daily => dtStart.AddDays(checked((int)units)),
                FrequencyType.Weekly => StartOfWeek(dtStart.AddDays(checked((int)(units * 7))), rule.FirstDayOfWeek),
                FrequencyType.Monthly => dtStart.AddDays(-dtStart.Day + 1).AddMonths(checked((int)units)),
                FrequencyType.Yearly => dtStart.AddDays(-dtStart.DayOfYear + 1).AddYears(checked((int)units)),
                _ => null,
            };
        }
        catch (Exception e) when (e is ArgumentOutOfRangeException or OverflowException or InvalidOperationException)
        {
            return null; // out of the representable range: Ical.Net's own walk ends there too
        }
    }

    /// <summary>Whether all RRULEs and EXRULEs step by the same FREQ and INTERVAL (PUT refuses other mixes).</summary>
    public static bool SharesOneInterval(RecurringComponent c) =>
        Rules(c).Concat(ExceptionRules(c)).Select(r => (r.Frequency, Math.Max(1, r.Interval))).Distinct().Count() <= 1;

    /// <summary>DTSTART plus an exact span, as CalDateTime.Add does it for each step (UTC arithmetic for zoned values).</summary>
    static CalDateTime? Exact(CalDateTime dtStart, TimeSpan span) =>
        dtStart.HasTime ? dtStart.Add(Duration.FromTimeSpanExact(span)) : null;

    static CalDateTime StartOfWeek(CalDateTime value, DayOfWeek firstDayOfWeek)
    {
        while (value.DayOfWeek != firstDayOfWeek)
            value = value.AddDays(-1);
        return value;
    }

    /// <summary>
    /// Starts the copy's series at <paramref name="seed"/>: its rule gets the defaults it took from DTSTART
    /// (<paramref name="basis"/>: the real one, or the same instant in UTC; as Ical.Net's RecurrencePatternEvaluator
    /// fills them in), its instances keep their length.
    /// </summary>
    static void MoveStart(RecurringComponent copy, RecurringComponent original, CalDateTime basis, CalDateTime seed)
    {
        foreach (var rule in Rules(copy).Concat(ExceptionRules(copy)))
            WriteDefaults(rule, basis);
        copy.DtStart = seed;
        // The end moves with the start: DTEND or DUE becomes the same length as a DURATION.
        if (LengthOf(original) is { } d && (copy.Properties.ContainsKey("DTEND") || copy.Properties.ContainsKey("DUE")))
        {
            copy.Properties.Remove("DTEND");
            copy.Properties.Remove("DUE");
            copy.Properties.Set("DURATION", d);
        }
    }

    static void WriteDefaults(RecurrencePattern r, CalDateTime dtStart)
    {
        if (dtStart.HasTime)
        {
            if (r.Frequency > FrequencyType.Secondly && r.BySecond.Count == 0)
                r.BySecond.Add(dtStart.Second);
            if (r.Frequency > FrequencyType.Minutely && r.ByMinute.Count == 0)
                r.ByMinute.Add(dtStart.Minute);
            if (r.Frequency > FrequencyType.Hourly && r.ByHour.Count == 0)
                r.ByHour.Add(dtStart.Hour);
        }
        if (r.ByDay.Count == 0)
        {
            if (r.Frequency == FrequencyType.Weekly || (r.ByWeekNo.Count > 0 && r.ByMonthDay.Count == 0 && r.ByYearDay.Count == 0))
                r.ByDay.Add(new WeekDay(dtStart.DayOfWeek));
            if (r.Frequency > FrequencyType.Weekly && r.ByWeekNo.Count == 0 && r.ByYearDay.Count == 0 && r.ByMonthDay.Count == 0)
                r.ByMonthDay.Add(dtStart.Day);
            if (r.Frequency > FrequencyType.Monthly && r.ByWeekNo.Count == 0 && r.ByYearDay.Count == 0 && r.ByMonth.Count == 0)
                r.ByMonth.Add(dtStart.Month);
        }
    }
}

using Ical.Net;
using Ical.Net.CalendarComponents;
using Ical.Net.DataTypes;

namespace Caldera.Calendars.Query;

/// <summary>
/// The VEVENT instances of one calendar object as sorted UTC intervals, built once from its body with the same
/// instance expansion (<see cref="Instances"/>) and time-zone placement (<see cref="FloatingTimeZone"/>) that
/// <see cref="FilterEvaluator"/> uses, so that a <see cref="PlainTimeRange"/> is answered with the evaluator's
/// answer without parsing the body again. Floating and DATE values are placed in the zone the timeline was built
/// for (its cache key holds that zone).
/// <para>
/// A series is expanded over a window around the build time (<see cref="Past"/>, <see cref="Future"/>, at most
/// <see cref="MaxInstances"/>); a range the window does not cover gets no answer (null) and goes to the evaluator.
/// </para>
/// </summary>
public sealed class Timeline
{
    public static readonly TimeSpan Past = TimeSpan.FromDays(2 * 365);
    public static readonly TimeSpan Future = TimeSpan.FromDays(3 * 365);

    /// <summary>
    /// Instances kept per object. Below <see cref="FilterEvaluator.InstanceLimit"/>, so every instance the evaluator
    /// looks at before a hit of ours is within its limit too: a hit here is a hit there.
    /// </summary>
    public const int MaxInstances = 4096;

    /// <summary>The widest UTC offset: the expansion orders and cuts instances by their times read as UTC.</summary>
    static readonly long FloatingSlack = FloatingTimeZone.WidestOffset.Ticks;

    /// <summary>A timeline that answers nothing, complete from nowhere (the body could not be expanded, or holds more than VEVENTs).</summary>
    public static readonly Timeline Unusable = new([], [], null, 0, long.MaxValue, long.MinValue);

    readonly long[] _starts;
    readonly long[] _ends;
    /// <summary>Per instance: RFC 4791 §9.9's DTSTART-only row (start &lt;= S AND end &gt; S); null when none has it.</summary>
    readonly bool[]? _instant;
    readonly long _maxLength;
    /// <summary>Ranges starting at or after this (UTC ticks) see every instance that can overlap them.</summary>
    readonly long _completeFrom;
    /// <summary>Every instance starting before this (UTC ticks) is here.</summary>
    readonly long _completeUntil;

    Timeline(long[] starts, long[] ends, bool[]? instant, long maxLength, long completeFrom, long completeUntil) =>
        (_starts, _ends, _instant, _maxLength, _completeFrom, _completeUntil) = (starts, ends, instant, maxLength, completeFrom, completeUntil);

    public int Count => _starts.Length;

    /// <summary>What the timeline holds in memory, roughly (arrays and object headers).</summary>
    public long ApproximateBytes => 96 + 16L * _starts.Length + (_instant is null ? 0 : 24 + _instant.Length);

    /// <summary>
    /// Whether some VEVENT instance overlaps <paramref name="range"/> (RFC 4791 §9.9 as <see cref="FilterEvaluator"/>
    /// applies it), or null when the range reaches outside what was expanded.
    /// </summary>
    public bool? Matches(TimeRange range)
    {
        long start = range.StartOrMin.Ticks, end = range.EndOrMax.Ticks;
        if (start < _completeFrom)
            return null;
        // An instance overlapping the range starts no earlier than (range start − longest instance).
        var i = Array.BinarySearch(_starts, Math.Max(0, start - _maxLength));
        for (i = i < 0 ? ~i : First(i); i < _starts.Length && _starts[i] < end; i++)
        {
            long s = _starts[i], e = _ends[i];
            if (_instant?[i] == true ? start <= s && end > s : start < e && end > s)
                return true;
        }
        return end <= _completeUntil ? false : null;
    }

    /// <summary>The first of equal starts (BinarySearch may land on any of them).</summary>
    int First(int i)
    {
        while (i > 0 && _starts[i - 1] == _starts[i])
            i--;
        return i;
    }

    /// <param name="zone">Where floating date-times and DATE values lie (the calendar's calendar-timezone).</param>
    /// <param name="now">The build time: a series is expanded from <see cref="Past"/> before it to <see cref="Future"/> after.</param>
    public static Timeline Build(Calendar calendar, TimeZoneInfo zone, DateTime now)
    {
        try
        {
            using var zones = ObjectTimeZones.Use(calendar);
            return Expand(calendar, zone, now);
        }
        catch (Exception)
        {
            return Unusable; // the evaluator meets the same failure and answers for itself
        }
    }

    static Timeline Expand(Calendar calendar, TimeZoneInfo zone, DateTime now)
    {
        // Only a rule can make a series long; anything else is expanded whole.
        var windowed = calendar.Children.OfType<CalendarEvent>().Any(e => e.RecurrenceRule is not null);
        DateTime? from = windowed ? now - Past : null;
        var horizon = now + Future;
        var instances = new List<(long Start, long End, bool Instant)>();
        long completeUntil = long.MaxValue;
        foreach (var occurrence in Instances.Of(calendar, from is { } f ? new CalDateTime(f, "UTC") : null, CalendarObjectParser.Evaluation))
        {
            var raw = occurrence.Period.StartTime.AsUtc;
            if (raw >= horizon || instances.Count >= MaxInstances)
            {
                // Later instances start (read as UTC) no earlier than this one; placed in the zone, 14 h earlier at most.
                completeUntil = raw.Ticks - FloatingSlack;
                break;
            }
            // The evaluator counts every instance against its limit, so another component's make ours incomparable.
            if (occurrence.Source is not CalendarEvent e || !ReferenceEquals(e.Parent, calendar))
                return Unusable;
            var start = FloatingTimeZone.Utc(occurrence.Period.StartTime, zone);
            var end = occurrence.Period.EffectiveEndTime is { } pe ? FloatingTimeZone.Utc(pe, zone) : start;
            instances.Add((start.Ticks, end.Ticks, !(end > start || e.Properties.ContainsKey("DTEND"))));
        }
        instances.Sort((a, b) => a.Start.CompareTo(b.Start));
        // The expansion yields what overlaps its start (read as UTC): a range 14 h (+1 s, the evaluator's step back) later sees it all.
        var completeFrom = from is { } w ? w.Ticks + FloatingSlack + TimeSpan.TicksPerHour : long.MinValue;
        return new Timeline(
            instances.Select(x => x.Start).ToArray(),
            instances.Select(x => x.End).ToArray(),
            instances.Any(x => x.Instant) ? instances.Select(x => x.Instant).ToArray() : null,
            instances.Count == 0 ? 0 : instances.Max(x => Math.Max(0, x.End - x.Start)),
            completeFrom,
            completeUntil);
    }
}

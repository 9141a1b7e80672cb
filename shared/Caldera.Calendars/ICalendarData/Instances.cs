using Ical.Net;
using Ical.Net.CalendarComponents;
using Ical.Net.DataTypes;
using Ical.Net.Evaluation;

namespace Caldera.Calendars;

/// <summary>
/// The instances of a calendar's recurring components, in start order. Ical.Net 5 cannot evaluate VJOURNAL
/// (<c>Journal.Evaluator</c> throws NotImplementedException, which also breaks <c>Calendar.GetOccurrences</c>
/// for any calendar holding one), so journals are expanded here with the same RRULE/RDATE/EXDATE evaluator
/// and their RECURRENCE-ID overrides replace the master's instances.
/// </summary>
static class Instances
{
    /// <summary>A rule's COUNT beyond this is not walked (see <see cref="RecurrenceJump"/>); PUT refuses more.</summary>
    public const int MaxCount = CalendarObjectParser.MaxInstances;

    /// <summary>
    /// The instances from <paramref name="start"/> on (those overlapping it included). The enumeration ends
    /// quietly where Ical.Net runs out of representable dates, so an open-ended search of an endless rule stops there.
    /// </summary>
    public static IEnumerable<Occurrence> Of(Calendar calendar, CalDateTime? start, EvaluationOptions options)
    {
        if (RecurrenceJump.From(calendar, start, MaxCount) is not { } jump)
            return UntilOutOfRange(Unjumped(calendar, start, options));
        return UntilOutOfRange(Unjumped(jump.View, start, options).Select(jump.ToOriginal).OfType<Occurrence>());
    }

    static IEnumerable<Occurrence> UntilOutOfRange(IEnumerable<Occurrence> occurrences)
    {
        using var e = occurrences.GetEnumerator();
        while (true)
        {
            try
            {
                if (!e.MoveNext())
                    yield break;
            }
            catch (EvaluationOutOfRangeException)
            {
                yield break;
            }
            yield return e.Current;
        }
    }

    /// <summary>The instances as Ical.Net gives them, walked from DTSTART (the equivalence tests compare against it).</summary>
    internal static IEnumerable<Occurrence> Unjumped(Calendar calendar, CalDateTime? start, EvaluationOptions options)
    {
        var futures = Futures(calendar);
        return futures.Count == 0 ? Plain(calendar, start, options) : ThisAndFuture(calendar, futures, start, options);
    }

    /// <summary>The RECURRENCE-ID;RANGE=THISANDFUTURE overrides that move instances.</summary>
    internal static List<RecurringComponent> Futures(Calendar calendar) => calendar.Children.OfType<RecurringComponent>()
        .Where(c => c.RecurrenceIdentifier is { Range: RecurrenceRange.ThisAndFuture } && c.DtStart is not null).ToList();

    /// <summary>The most any of <paramref name="futures"/> moves an instance (DTSTART − RECURRENCE-ID).</summary>
    internal static TimeSpan Reach(IEnumerable<RecurringComponent> futures) =>
        futures.Select(f => (f.DtStart!.AsUtc - f.RecurrenceIdentifier!.StartTime.AsUtc).Duration()).DefaultIfEmpty(TimeSpan.Zero).Max();

    static IEnumerable<Occurrence> Plain(Calendar calendar, CalDateTime? start, EvaluationOptions options)
    {
        var journals = calendar.Children.OfType<Journal>().ToList();
        if (journals.Count == 0)
            return calendar.GetOccurrences(start, options);
        return Merge([
            calendar.GetOccurrences<CalendarEvent>(start, options),
            calendar.GetOccurrences<Todo>(start, options),
            Journals(journals, start, options),
        ]);
    }

    static IEnumerable<Occurrence> Journals(List<Journal> journals, CalDateTime? start, EvaluationOptions options)
    {
        var overridden = journals.Where(j => j.RecurrenceIdentifier is not null)
            .Select(j => (j.Uid, j.RecurrenceIdentifier!.StartTime.AsUtc)).ToHashSet();
        // A DATE journal covers its day, so look one day back for instances still running at the start.
        var from = start?.AddDays(-1);
        return Merge(journals.Where(j => j.DtStart is not null).Select(j =>
            new JournalEvaluator(j).Evaluate(j.DtStart!, from, options)
                .Where(p => j.RecurrenceIdentifier is not null || !overridden.Contains((j.Uid, p.StartTime.AsUtc)))
                .Select(p => new Occurrence(j, p))));
    }

    /// <summary>
    /// RECURRENCE-ID;RANGE=THISANDFUTURE (RFC 5545 §3.8.4.4). Ical.Net 5 leaves the range out: it keeps every
    /// instance of the master and adds the override as one more stand-alone instance. Here the override replaces
    /// the master's instance at its RECURRENCE-ID and every later one (up to the next THISANDFUTURE override of the
    /// same UID): each is moved by the override's DTSTART − RECURRENCE-ID, lasts as long as the override, and has
    /// the override as its source (so its properties are the ones a filter sees). THISINSTANCE overrides of later
    /// instances still win, as Ical.Net already drops the master's instance for them.
    /// </summary>
    static IEnumerable<Occurrence> ThisAndFuture(Calendar calendar, List<RecurringComponent> futures, CalDateTime? start, EvaluationOptions options)
    {
        var byUid = futures.GroupBy(f => f.Properties.Get<string>("UID") ?? "")
            .ToDictionary(g => g.Key, g => g.OrderBy(f => f.RecurrenceIdentifier!.StartTime.AsUtc)
                .Select(f => new Future(f, Shift(f), Length(f, options))).ToList());
        // The most any instance moves: look that much earlier, and hold instances back that long to keep start order.
        var reach = Reach(futures);
        // A master's instance is found by its end, so the look back is longer by the longest one.
        var longest = calendar.Children.OfType<RecurringComponent>().Where(c => c.RecurrenceIdentifier is null && c.DtStart is not null)
            .Select(c => Length(c, options)?.ToTimeSpanUnspecified().Duration() ?? TimeSpan.Zero).DefaultIfEmpty(TimeSpan.Zero).Max();
        var raw = Plain(calendar, start?.Add(Duration.FromTimeSpanExact(-(reach + longest))), options);
        var pending = new PriorityQueue<Occurrence, DateTime>();
        foreach (var occurrence in raw)
        {
            var source = occurrence.Source as RecurringComponent;
            if (source is not null && futures.Any(f => ReferenceEquals(f, source)))
                continue; // its instance comes from the master's instance at its RECURRENCE-ID
            var original = occurrence.Period.StartTime;
            var moved = occurrence;
            if (source is { RecurrenceIdentifier: null } master
                && byUid.TryGetValue(master.Properties.Get<string>("UID") ?? "", out var overrides)
                && overrides.LastOrDefault(f => f.Rid.AsUtc <= original.AsUtc) is { } f)
            {
                var shifted = original.Add(f.Offset);
                moved = new Occurrence(f.Component, f.Length is { } length ? new Period(shifted, length) : new Period(shifted));
            }
            var limit = original.AsUtc - reach;
            while (pending.TryPeek(out _, out var first) && first <= limit)
                yield return pending.Dequeue();
            pending.Enqueue(moved, moved.Period.StartTime.AsUtc);
        }
        while (pending.Count > 0)
            yield return pending.Dequeue();
    }

    sealed record Future(RecurringComponent Component, CalDateTime Shift, Duration? Length)
    {
        public CalDateTime Rid => Component.RecurrenceIdentifier!.StartTime;
        /// <summary>Whole days between dates stay nominal (an all-day series stays all-day); otherwise exact time.</summary>
        public Duration Offset => !Rid.HasTime && !Shift.HasTime
            ? Duration.FromDays((int)(Shift.Value.Date - Rid.Value.Date).TotalDays)
            : Duration.FromTimeSpanExact(Shift.AsUtc - Rid.AsUtc);
    }

    static CalDateTime Shift(RecurringComponent f) => f.DtStart!;

    /// <summary>How long the override's own instance lasts (its DTEND, DUE or DURATION), or null for an instant.</summary>
    static Duration? Length(RecurringComponent f, EvaluationOptions options)
    {
        var period = f.GetOccurrences(null, options).FirstOrDefault()?.Period;
        return period?.EffectiveDuration;
    }

    /// <summary>Merges sequences that are each ordered by start into one ordered sequence, lazily.</summary>
    static IEnumerable<Occurrence> Merge(IEnumerable<IEnumerable<Occurrence>> sequences)
    {
        var heads = new List<IEnumerator<Occurrence>>();
        try
        {
            foreach (var sequence in sequences)
            {
                var e = sequence.GetEnumerator();
                if (e.MoveNext()) heads.Add(e);
                else e.Dispose();
            }
            while (heads.Count > 0)
            {
                var next = heads.MinBy(h => h.Current.Period.StartTime.AsUtc)!;
                yield return next.Current;
                if (!next.MoveNext())
                {
                    heads.Remove(next);
                    next.Dispose();
                }
            }
        }
        finally
        {
            foreach (var h in heads)
                h.Dispose();
        }
    }

    sealed class JournalEvaluator(Journal journal) : RecurringEvaluator(journal)
    {
        /// <summary>RFC 4791 §9.9: a DATE journal lasts its day; a DATE-TIME one is an instant.</summary>
        protected override Duration? DefaultDuration => journal.DtStart is { HasTime: false } ? Duration.FromDays(1) : null;
    }
}

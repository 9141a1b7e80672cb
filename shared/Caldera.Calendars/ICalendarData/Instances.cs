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
    public static IEnumerable<Occurrence> Of(Calendar calendar, CalDateTime? start, EvaluationOptions options)
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

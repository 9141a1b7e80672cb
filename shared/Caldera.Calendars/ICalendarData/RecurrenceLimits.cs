using Ical.Net.CalendarComponents;
using Ical.Net;
using Ical.Net.DataTypes;

namespace Caldera.Calendars;

/// <summary>
/// What a recurrence rule may ask for when it is stored (PUT, COPY/MOVE, iMIP): every later query pays for the
/// instances it walks, so a rule that yields more than one instance a minute (FREQ=SECONDLY, several BYSECOND
/// values) is refused as invalid calendar data, and a COUNT beyond <see cref="CalendarObjectParser.MaxInstances"/>
/// with CALDAV:max-instances. A rule that repeats within a day on a zoned DTSTART is stepped in elapsed time
/// (<see cref="RecurrenceJump.InElapsedTime"/>), so BY parts, which would be read in UTC, are refused on it.
/// Endless and UNTIL rules are accepted: they are evaluated from near the range asked
/// for (<see cref="RecurrenceJump"/>), so their length costs nothing.
/// </summary>
static class RecurrenceLimits
{
    static bool HasByParts(RecurrencePattern r) =>
        r.ByMinute.Count + r.ByHour.Count + r.ByDay.Count + r.ByMonthDay.Count + r.ByYearDay.Count + r.ByWeekNo.Count
        + r.ByMonth.Count + r.BySetPosition.Count > 0;

    public static void Check(IEnumerable<RecurringComponent> items)
    {
        foreach (var item in items)
        {
            // Such an override's instances are the master's, moved; a rule of its own has no meaning and, endless,
            // made every search for an instance skip its instances forever (found by the fuzzer).
            if (item.RecurrenceIdentifier is { Range: RecurrenceRange.ThisAndFuture } && RecurrenceJump.Rules(item).Any())
                throw new CalendarDataException(CalendarDataError.InvalidData,
                    "a RECURRENCE-ID;RANGE=THISANDFUTURE override takes its instances from the master and must not carry an RRULE");
            // Several RRULEs, or an EXRULE (both discouraged by RFC 5545), are evaluated from near a range only
            // when they step alike; otherwise each query would walk them from DTSTART.
            if (!RecurrenceJump.SharesOneInterval(item))
                throw new CalendarDataException(CalendarDataError.InvalidData,
                    "several RRULE or EXRULE properties of one component must have the same FREQ and INTERVAL");
            foreach (var rule in RecurrenceJump.Rules(item).Concat(RecurrenceJump.ExceptionRules(item)))
            {
                if (rule.Frequency == FrequencyType.Secondly && Math.Max(1, rule.Interval) < 60 || rule.BySecond.Distinct().Count() > 1)
                    throw new CalendarDataException(CalendarDataError.InvalidData,
                        $"the recurrence rule \"{rule}\" repeats more often than once a minute, which this server does not store");
                if (item.DtStart is { } dtStart && RecurrenceJump.InElapsedTime(item, dtStart) && HasByParts(rule))
                    throw new CalendarDataException(CalendarDataError.InvalidData,
                        $"the recurrence rule \"{rule}\" repeats within a day in a time zone and has BY parts; such a rule is " +
                        "evaluated in elapsed time (RFC 5545 hours, minutes and seconds) and may only carry INTERVAL, COUNT, UNTIL " +
                        "and one BYSECOND (for every half hour use FREQ=MINUTELY;INTERVAL=30)");
                if (rule.Count > CalendarObjectParser.MaxInstances)
                    throw new CalendarDataException(CalendarDataError.TooManyInstances,
                        $"the recurrence rule \"{rule}\" has more than {CalendarObjectParser.MaxInstances} instances");
            }
        }
    }
}

using System.Text;
using Caldera.Calendars;
using Caldera.Calendars.Query;
using Caldera.Fuzz.Tests.Harness;
using Caldera.Fuzz.Tests.Mutation;

namespace Caldera.Fuzz.Tests.Targets;

/// <summary>
/// The iCalendar validator PUT uses (<see cref="CalendarObjectParser"/>: line scanner, Ical.Net, recurrence limits,
/// time zones, envelope): only <see cref="CalendarDataException"/> may escape. What it accepts is then expanded for a
/// year as a calendar-query with expand would, where only <see cref="InstanceLimitException"/> may escape.
/// </summary>
public sealed class ICalendarTarget : IFuzzTarget
{
    static readonly CalendarDataRequest ExpandOneYear = new(Expand: new TimeRange(
        new DateTime(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc), new DateTime(2027, 1, 1, 0, 0, 0, DateTimeKind.Utc)));

    public string Name => "ical";
    public string Extension => "ics";

    public FsCheck.Gen<byte[]> Inputs(IReadOnlyList<byte[]> seeds) => SeedGen.From(seeds, new ICalendarMutations(seeds).Mutate);

    public long Check(byte[] input)
    {
        ParsedCalendarObject parsed;
        try
        {
            parsed = CalendarObjectParser.Parse(input, CalendarObjectParser.KnownComponents);
        }
        catch (CalendarDataException)
        {
            return 0;
        }
        try
        {
            return 2L * CalendarDataFilter.Apply(Encoding.UTF8.GetString(parsed.Body), ExpandOneYear).Length;
        }
        catch (InstanceLimitException)
        {
            return 0;
        }
    }
}

using Caldera.Calendars.Query;

namespace Caldera.Calendars.Tests;

/// <summary>
/// An object's VTIMEZONE defines its TZID even when the TZID is an IANA name (RFC 5545 §3.6.5): at PUT (the
/// envelope), in the evaluator, in timelines and in free-busy. "Europe/Berlin" here is a fixed UTC+05:00.
/// </summary>
public class ObjectTimeZoneTests
{
    const string NotBerlin = "BEGIN:VTIMEZONE\r\nTZID:Europe/Berlin\r\n" +
        "BEGIN:STANDARD\r\nDTSTART:19700101T000000\r\nTZOFFSETFROM:+0500\r\nTZOFFSETTO:+0500\r\nEND:STANDARD\r\nEND:VTIMEZONE";

    /// <summary>A truthful copy of IANA's Berlin, with only its current rules.</summary>
    const string Berlin = "BEGIN:VTIMEZONE\r\nTZID:Europe/Berlin\r\n" +
        "BEGIN:STANDARD\r\nDTSTART:19701025T030000\r\nTZOFFSETFROM:+0200\r\nTZOFFSETTO:+0100\r\nRRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU\r\nEND:STANDARD\r\n" +
        "BEGIN:DAYLIGHT\r\nDTSTART:19700329T020000\r\nTZOFFSETFROM:+0100\r\nTZOFFSETTO:+0200\r\nRRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU\r\nEND:DAYLIGHT\r\nEND:VTIMEZONE";

    static string Meeting(string zone, params string[] extra) => Ics.Calendar(zone, Ics.Event("m",
        ["DTSTART;TZID=Europe/Berlin:20240305T100000", "DTEND;TZID=Europe/Berlin:20240305T110000", .. extra]));

    static DateTime Utc(int d, int h, int mo = 3) => new(2024, mo, d, h, 0, 0, DateTimeKind.Utc);

    static CompFilter Events(DateTime start, DateTime end) =>
        new("VCALENDAR", false, null, [], [new CompFilter("VEVENT", false, new TimeRange(start, end), [], [])]);

    [Fact]
    public void TheEnvelopeAtPutFollowsTheObjectsZone()
    {
        var parsed = Ics.Parse(Meeting(NotBerlin));
        Assert.Equal(new DateTimeOffset(Utc(5, 5)), parsed.RangeStart);
        Assert.Equal(new DateTimeOffset(Utc(5, 6)), parsed.RangeEnd);
        Assert.True(parsed.EnvelopeExact);
    }

    [Fact]
    public void AZoneThatAgreesWithIanaKeepsIanasHistory()
    {
        // 1975 Germany had no daylight saving; the VTIMEZONE's current rules would say +02:00 in July.
        var parsed = Ics.Parse(Meeting(Berlin).Replace("20240305", "19750701"));
        Assert.Equal(new DateTimeOffset(1975, 7, 1, 9, 0, 0, TimeSpan.Zero), parsed.RangeStart);
    }

    [Fact]
    public void TheEvaluatorAndTimelinesFollowTheObjectsZone()
    {
        var calendar = Ics.Parse(Meeting(NotBerlin, "RRULE:FREQ=WEEKLY;COUNT=10")).Calendar;
        Assert.True(FilterEvaluator.Matches(calendar, Events(Utc(5, 5), Utc(5, 6))));
        Assert.False(FilterEvaluator.Matches(calendar, Events(Utc(5, 9), Utc(5, 10))));
        // 2 April: IANA Berlin would be +02:00 (08:00Z); the object's zone keeps 05:00Z.
        Assert.True(FilterEvaluator.Matches(calendar, Events(Utc(2, 5, 4), Utc(2, 6, 4))));
        Assert.False(FilterEvaluator.Matches(calendar, Events(Utc(2, 8, 4), Utc(2, 9, 4))));

        var timeline = Timeline.Build(calendar, TimeZoneInfo.Utc, Utc(1, 0));
        Assert.True(timeline.Matches(new TimeRange(Utc(2, 5, 4), Utc(2, 6, 4))));
        Assert.False(timeline.Matches(new TimeRange(Utc(2, 8, 4), Utc(2, 9, 4))));
    }

    [Fact]
    public void FreeBusyFollowsTheObjectsZone()
    {
        var busy = FreeBusyCalculator.Of(Meeting(NotBerlin), Utc(1, 0), Utc(10, 0));
        Assert.Equal([new BusyPeriod(Utc(5, 5), Utc(5, 6), "BUSY")], busy);
    }

    [Fact]
    public void ExpandWritesTheObjectsZoneInUtc()
    {
        var text = CalendarDataFilter.Apply(Meeting(NotBerlin, "RRULE:FREQ=WEEKLY;COUNT=2"),
            new CalendarDataRequest(Expand: new TimeRange(Utc(1, 0), Utc(31, 0))));
        Assert.Contains("DTSTART:20240305T050000Z", text);
        Assert.Contains("DTSTART:20240312T050000Z", text);
    }

    [Fact]
    public void FreeBusyPlacesFloatingTimesInTheGivenZone()
    {
        var floating = Ics.Calendar(Ics.Event("f", "DTSTART:20240305T100000", "DTEND:20240305T110000"));
        var plus5 = TimeZoneInfo.CreateCustomTimeZone("plus5", TimeSpan.FromHours(5), "plus5", "plus5");
        Assert.Equal([new BusyPeriod(Utc(5, 5), Utc(5, 6), "BUSY")], FreeBusyCalculator.Of(floating, Utc(1, 0), Utc(10, 0), plus5));
        Assert.Equal([new BusyPeriod(Utc(5, 10), Utc(5, 11), "BUSY")], FreeBusyCalculator.Of(floating, Utc(1, 0), Utc(10, 0)));
    }

    /// <summary>
    /// Found by the fuzzer (tests/fuzz/corpus/ical/crash-vtimezone-identical-transitions-put-500.ics): a STANDARD
    /// observance with two RRULEs, one of them the DAYLIGHT's, gives transitions at the same instants, which NodaTime
    /// cannot lay out (InvalidOperationException, a 500 at PUT). Such rules are not used; the name decides.
    /// </summary>
    [Fact]
    public void RulesThatContradictThemselvesAreNotUsedAndTheNameDecides()
    {
        var contradictory = Berlin.Replace("RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU\r\n",
            "RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU\r\nRRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU\r\n");
        Assert.NotEqual(Berlin, contradictory);
        var parsed = Ics.Parse(Meeting(contradictory));
        Assert.Equal(new DateTimeOffset(Utc(5, 9)), parsed.RangeStart); // IANA Berlin in March 2024: UTC+01:00
    }
}

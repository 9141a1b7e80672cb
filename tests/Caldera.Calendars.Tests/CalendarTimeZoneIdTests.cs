using Caldera.Calendars.Query;

namespace Caldera.Calendars.Tests;

/// <summary>RFC 7809 CALDAV:calendar-timezone-id read off, and turned into, a calendar-timezone.</summary>
public class CalendarTimeZoneIdTests
{
    static string Fixed(string tzid, string offset) => Ics.Calendar("BEGIN:VTIMEZONE", "TZID:" + tzid,
        "BEGIN:STANDARD", "DTSTART:19700101T000000", "TZOFFSETFROM:" + offset, "TZOFFSETTO:" + offset, "END:STANDARD", "END:VTIMEZONE");

    [Theory]
    [InlineData("Europe/Berlin")]
    [InlineData("America/New_York")]
    [InlineData("Australia/Sydney")] // southern hemisphere: daylight time spans the new year
    [InlineData("Asia/Tokyo")]       // no daylight time
    [InlineData("America/Sao_Paulo")] // daylight time abolished in 2019
    [InlineData("Asia/Kolkata")]     // half-hour offset
    [InlineData("Pacific/Chatham")]  // quarter-hour offset with daylight time
    [InlineData("UTC")]
    public void AGeneratedDefinitionReadsBackAsItsZone(string id)
    {
        var text = CalendarTimeZoneId.Definition(id);
        // It is what PROPPATCH of calendar-timezone accepts, names the zone, and places times as the database does.
        var zone = FloatingTimeZone.Definition(text);
        Assert.Equal(id, zone.TzId);
        Assert.Equal(id, CalendarTimeZoneId.Of(text));
        var placed = FloatingTimeZone.FromCalendarTimeZone(text);
        var database = TimeZoneInfo.FindSystemTimeZoneById(id);
        for (var day = new DateTime(DateTime.UtcNow.Year, 1, 1, 12, 0, 0, DateTimeKind.Utc); day.Year == DateTime.UtcNow.Year; day = day.AddDays(7))
            Assert.Equal(database.GetUtcOffset(day), placed.GetUtcOffset(day));
    }

    [Fact]
    public void AGeneratedDefinitionHasOnePRODIDAndOneVERSION()
    {
        // RFC 5545 §3.6: PRODID and VERSION occur exactly once (Ical.Net writes its own PRODID unless replaced).
        var lines = CalendarTimeZoneId.Definition("Europe/Vienna").Split("\r\n");
        Assert.Single(lines, l => l.StartsWith("PRODID:", StringComparison.Ordinal));
        Assert.Equal("PRODID:-//Caldera//calendar-timezone-id//EN", lines.Single(l => l.StartsWith("PRODID:", StringComparison.Ordinal)));
        Assert.Single(lines, l => l.StartsWith("VERSION:", StringComparison.Ordinal));
    }

    [Fact]
    public void ADefinitionThatDisagreesWithItsNameHasNoId()
    {
        Assert.Null(CalendarTimeZoneId.Of(Fixed("Europe/Berlin", "+0500")));
        Assert.Null(CalendarTimeZoneId.Of(Fixed("Test/Plus5", "+0500")));
        Assert.Null(CalendarTimeZoneId.Of(null));
        Assert.Null(CalendarTimeZoneId.Of(""));
    }

    [Fact]
    public void AClientDefinitionThatAgreesHasTheId()
    {
        Assert.Equal("Asia/Tokyo", CalendarTimeZoneId.Of(Fixed("Asia/Tokyo", "+0900")));
    }

    [Theory]
    [InlineData("Europe/Berlin", "Europe/Berlin")]
    [InlineData(" Asia/Tokyo ", "Asia/Tokyo")]
    [InlineData("Mars/Olympus_Mons", null)]
    [InlineData("", null)]
    [InlineData("W. Europe Standard Time", null)] // a Windows name, not an IANA identifier
    [InlineData("europe/berlin", null)]            // names are exact, whether or not Europe/Berlin was loaded before
    public void OnlyIanaIdsTheDatabaseKnowsAreKnown(string id, string? expected)
    {
        TimeZoneInfo.FindSystemTimeZoneById("Europe/Berlin"); // loaded: .NET's cache would match it in any case
        Assert.Equal(expected, CalendarTimeZoneId.Known(id));
    }
}

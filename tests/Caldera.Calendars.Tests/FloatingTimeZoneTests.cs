using Caldera.Calendars.Query;

namespace Caldera.Calendars.Tests;

/// <summary>Where floating values lie: a request's CALDAV:timezone / timezone-id, or a calendar's calendar-timezone.</summary>
public class FloatingTimeZoneTests
{
    static string Fixed(string tzid, string offset) => Ics.Calendar("BEGIN:VTIMEZONE", "TZID:" + tzid,
        "BEGIN:STANDARD", "DTSTART:19700101T000000", "TZOFFSETFROM:" + offset, "TZOFFSETTO:" + offset, "END:STANDARD", "END:VTIMEZONE");

    static readonly DateTime July = new(2024, 7, 1, 12, 0, 0, DateTimeKind.Utc);

    [Fact]
    public void ARequestDefinitionIsItsOwnZone()
    {
        Assert.Equal(TimeSpan.FromHours(5), FloatingTimeZone.FromDefinition(Fixed("Test/Plus5", "+0500")).GetUtcOffset(July));
    }

    [Fact]
    public void ADefinitionThatRedefinesAnIanaNameWins()
    {
        Assert.Equal(TimeSpan.FromHours(5), FloatingTimeZone.FromDefinition(Fixed("Europe/Berlin", "+0500")).GetUtcOffset(July));
        Assert.Equal(TimeSpan.FromHours(5), FloatingTimeZone.FromCalendarTimeZone(Fixed("Europe/Berlin", "+0500")).GetUtcOffset(July));
    }

    [Theory]
    [InlineData("+2000")] // beyond ±14 h: the index's ±14 h widening of floating envelopes would not hold
    [InlineData("-1500")]
    public void OffsetsBeyondFourteenHoursAreRefused(string offset)
    {
        var e = Assert.Throws<CalendarDataException>(() => FloatingTimeZone.FromDefinition(Fixed("Test/Far", offset)));
        Assert.Equal(CalendarDataError.InvalidData, e.Error);
    }

    [Fact]
    public void TextsThatAreNotOneVtimezoneAreRefused()
    {
        Assert.Throws<CalendarDataException>(() => FloatingTimeZone.FromDefinition("not a calendar"));
        Assert.Throws<CalendarDataException>(() => FloatingTimeZone.FromDefinition(Ics.Calendar(Ics.Event("e", "DTSTART:20240101T000000Z"))));
    }

    [Fact]
    public void TimezoneIdsAreLookedUpByExactName()
    {
        Assert.Equal(TimeSpan.FromHours(9), FloatingTimeZone.FromId(" Asia/Tokyo ")!.GetUtcOffset(July));
        Assert.Null(FloatingTimeZone.FromId("Nowhere/Atlantis"));
    }
}

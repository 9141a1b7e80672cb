namespace Caldera.Calendars.Tests;

/// <summary>
/// ParsedCalendarObject.EnvelopeExact: set only when [RangeStart, RangeEnd) is the object's one instance, in UTC,
/// and RFC 4791 §9.9's overlap rule applies to it (a VEVENT that ends after it starts, nothing floating).
/// </summary>
public class EnvelopeExactTests
{
    static readonly string Berlin = Ics.Text("BEGIN:VTIMEZONE", "TZID:Europe/Berlin",
        "BEGIN:DAYLIGHT", "TZOFFSETFROM:+0100", "TZOFFSETTO:+0200", "DTSTART:19700329T020000", "RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU", "END:DAYLIGHT",
        "BEGIN:STANDARD", "TZOFFSETFROM:+0200", "TZOFFSETTO:+0100", "DTSTART:19701025T030000", "RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU", "END:STANDARD",
        "END:VTIMEZONE").TrimEnd();

    static DateTimeOffset Utc(int y, int mo, int d, int h = 0, int mi = 0) => new(y, mo, d, h, mi, 0, TimeSpan.Zero);

    static ParsedCalendarObject Event(params string[] props) => Ics.Parse(Ics.Calendar(Ics.Event("x", props)));

    static ParsedCalendarObject BerlinEvent(params string[] props) => Ics.Parse(Ics.Calendar(Berlin, Ics.Event("x", props)));

    static void Exact(ParsedCalendarObject parsed, DateTimeOffset start, DateTimeOffset end)
    {
        Assert.True(parsed.EnvelopeExact);
        Assert.Equal(start, parsed.RangeStart);
        Assert.Equal(end, parsed.RangeEnd);
    }

    [Fact]
    public void UtcStartAndEndAreExact() =>
        Exact(Event("DTSTART:20240110T100000Z", "DTEND:20240110T110000Z"), Utc(2024, 1, 10, 10), Utc(2024, 1, 10, 11));

    [Fact]
    public void KnownTzidIsExactInUtc() =>
        Exact(BerlinEvent("DTSTART;TZID=Europe/Berlin:20240710T100000", "DTEND;TZID=Europe/Berlin:20240710T113000"),
            Utc(2024, 7, 10, 8), Utc(2024, 7, 10, 9, 30));

    [Fact]
    public void StartAndEndInDifferentZonesAreExact() =>
        Exact(BerlinEvent("DTSTART;TZID=Europe/Berlin:20240110T100000", "DTEND:20240110T100000Z"), Utc(2024, 1, 10, 9), Utc(2024, 1, 10, 10));

    [Fact]
    public void DurationIsExact() =>
        Exact(Event("DTSTART:20240110T100000Z", "DURATION:PT45M"), Utc(2024, 1, 10, 10), Utc(2024, 1, 10, 10, 45));

    [Fact]
    public void NominalDayAcrossDaylightSavingIsExactInUtc() =>
        // RFC 5545 §3.3.6: P1D is a nominal day; 2024-03-31 has 23 hours in Berlin.
        Exact(BerlinEvent("DTSTART;TZID=Europe/Berlin:20240330T120000", "DURATION:P1D"), Utc(2024, 3, 30, 11), Utc(2024, 3, 31, 10));

    [Fact]
    public void FloatingStartIsNotExact() => Assert.False(Event("DTSTART:20240110T100000", "DTEND:20240110T110000").EnvelopeExact);

    [Fact]
    public void FloatingEndIsNotExact() => Assert.False(Event("DTSTART:20240110T100000Z", "DTEND:20240110T110000").EnvelopeExact);

    [Fact]
    public void AllDayIsNotExact() =>
        Assert.False(Event("DTSTART;VALUE=DATE:20240110", "DTEND;VALUE=DATE:20240111").EnvelopeExact);

    [Fact]
    public void StartOnlyIsNotExact()
    {
        // §9.9, DTSTART only: (start <= DTSTART AND end > DTSTART), which an envelope [S, S) cannot answer.
        var parsed = Event("DTSTART:20240110T100000Z");
        Assert.False(parsed.EnvelopeExact);
        Assert.Equal(parsed.RangeStart, parsed.RangeEnd);
    }

    [Fact]
    public void EndEqualToStartIsNotExact() =>
        Assert.False(Event("DTSTART:20240110T100000Z", "DTEND:20240110T100000Z").EnvelopeExact);

    [Fact]
    public void ZeroDurationIsNotExact() => Assert.False(Event("DTSTART:20240110T100000Z", "DURATION:PT0S").EnvelopeExact);

    [Theory]
    [InlineData("RRULE:FREQ=WEEKLY;COUNT=3")]
    [InlineData("RRULE:FREQ=DAILY;COUNT=1")]
    [InlineData("RDATE:20240120T100000Z")]
    [InlineData("RDATE:20240110T100000Z")]
    public void RecurrenceIsNotExact(string rule) =>
        Assert.False(Event("DTSTART:20240110T100000Z", "DTEND:20240110T110000Z", rule).EnvelopeExact);

    [Fact]
    public void LoneOverrideIsNotExact() =>
        Assert.False(Event("RECURRENCE-ID:20240110T100000Z", "DTSTART:20240110T120000Z", "DTEND:20240110T130000Z").EnvelopeExact);

    [Fact]
    public void MasterWithOverrideIsNotExact()
    {
        var text = Ics.Calendar(
            Ics.Event("x", "DTSTART:20240110T100000Z", "DTEND:20240110T110000Z", "RRULE:FREQ=DAILY;COUNT=2"),
            Ics.Event("x", "RECURRENCE-ID:20240111T100000Z", "DTSTART:20240111T120000Z", "DTEND:20240111T130000Z"));
        Assert.False(Ics.Parse(text).EnvelopeExact);
    }

    [Fact]
    public void ExcludedOnlyInstanceIsNotExact()
    {
        var parsed = Event("DTSTART:20240110T100000Z", "DTEND:20240110T110000Z", "EXDATE:20240110T100000Z");
        Assert.False(parsed.EnvelopeExact);
        Assert.Null(parsed.RangeStart);
    }

    [Fact]
    public void TodoIsNotExact() =>
        Assert.False(Ics.Parse(Ics.Calendar(Ics.Todo("t", "DTSTART:20240110T100000Z", "DUE:20240110T110000Z"))).EnvelopeExact);

    [Fact]
    public void JournalIsNotExact() =>
        Assert.False(Ics.Parse(Ics.Calendar("BEGIN:VJOURNAL", "UID:j", "DTSTAMP:20240101T000000Z", "DTSTART:20240110T100000Z", "END:VJOURNAL")).EnvelopeExact);
}

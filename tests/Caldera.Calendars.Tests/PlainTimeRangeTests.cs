using Caldera.Calendars.Query;

namespace Caldera.Calendars.Tests;

/// <summary>Which filters are plain, and how a plain one is answered without parsing (exact envelopes, timelines).</summary>
public class PlainTimeRangeTests
{
    static DateTime Utc(int y, int mo, int d, int h = 0, int mi = 0) => new(y, mo, d, h, mi, 0, DateTimeKind.Utc);

    static CompFilter Root(params CompFilter[] comps) => new("VCALENDAR", false, null, [], comps);

    static CompFilter Comp(string name, TimeRange? range = null, bool notDefined = false, PropFilter[]? props = null, CompFilter[]? comps = null) =>
        new(name, notDefined, range, props ?? [], comps ?? []);

    static readonly TimeRange Week = new(Utc(2024, 1, 8), Utc(2024, 1, 15));

    static TimelineCache Cache(long bytes = 1 << 20) =>
        new(new TimelineCacheSettings { MaxBytes = bytes }, new FixedClock(new DateTimeOffset(2024, 1, 1, 0, 0, 0, TimeSpan.Zero)));

    [Fact]
    public void VeventWithOnlyATimeRangeIsPlain()
    {
        Assert.Equal(Week, PlainTimeRange.Of(Root(Comp("VEVENT", Week)))?.Range);
        Assert.NotNull(PlainTimeRange.Of(Root(Comp("VEVENT", new TimeRange(null, Utc(2024, 1, 1))))));
    }

    [Fact]
    public void AnythingMoreIsNotPlain()
    {
        Assert.Null(PlainTimeRange.Of(Root(Comp("VEVENT"))));
        Assert.Null(PlainTimeRange.Of(Root(Comp("VTODO", Week))));
        Assert.Null(PlainTimeRange.Of(Root(Comp("VJOURNAL", Week))));
        Assert.Null(PlainTimeRange.Of(Root(Comp("VEVENT", Week, notDefined: true))));
        Assert.Null(PlainTimeRange.Of(Root(Comp("VEVENT", Week, props: [new PropFilter("SUMMARY", false, null, null, [])]))));
        Assert.Null(PlainTimeRange.Of(Root(Comp("VEVENT", Week, comps: [Comp("VALARM")]))));
        Assert.Null(PlainTimeRange.Of(Root(Comp("VEVENT", Week), Comp("VEVENT", Week))));
        Assert.Null(PlainTimeRange.Of(Root()));
        Assert.Null(PlainTimeRange.Of(new CompFilter("VCALENDAR", true, null, [], [Comp("VEVENT", Week)])));
        Assert.Null(PlainTimeRange.Of(new CompFilter("VCALENDAR", false, null, [new PropFilter("VERSION", false, null, null, [])], [Comp("VEVENT", Week)])));
    }

    [Theory]
    [InlineData("20240110T100000Z", "20240110T110000Z", true)]
    [InlineData("20240110T103000Z", "20240110T103001Z", true)]
    [InlineData("20240110T110000Z", "20240110T120000Z", false)] // starts at the event's end
    [InlineData("20240110T090000Z", "20240110T100000Z", false)] // ends at the event's start
    [InlineData("20240110T105959Z", null, true)]
    [InlineData("20240110T110000Z", null, false)]
    [InlineData(null, "20240110T100001Z", true)]
    [InlineData(null, "20240110T100000Z", false)]
    public void ExactEnvelopeAnswersBoundariesLikeTheEvaluator(string? start, string? end, bool expected)
    {
        var o = FakeObject.Of(Ics.Calendar(Ics.Event("e", "DTSTART:20240110T100000Z", "DTEND:20240110T110000Z")));
        Assert.True(o.Parsed.EnvelopeExact);
        var filter = Root(Comp("VEVENT", new TimeRange(Parse(start), Parse(end))));
        Assert.Equal(expected, FilterEvaluator.Matches(o.Parsed.Calendar, filter));
        Assert.Equal(expected, new QueryMatcher(filter, TimeZoneInfo.Utc, Cache()).WithoutBody(o));
        Assert.Equal(0, o.Reads);
    }

    static DateTime? Parse(string? stamp) => stamp is null ? null
        : DateTime.ParseExact(stamp, "yyyyMMdd'T'HHmmss'Z'", System.Globalization.CultureInfo.InvariantCulture,
            System.Globalization.DateTimeStyles.AdjustToUniversal | System.Globalization.DateTimeStyles.AssumeUniversal);

    [Fact]
    public void ExactEnvelopeDecidesWithoutTheBodyAndWithoutTheZone()
    {
        var o = FakeObject.Of(Ics.Calendar(Ics.Event("e", "DTSTART:20240110T100000Z", "DTEND:20240110T110000Z")));
        var berlin = TimeZoneInfo.FindSystemTimeZoneById("Europe/Berlin");
        Assert.True(new QueryMatcher(Root(Comp("VEVENT", Week)), berlin, Cache()).WithoutBody(o));
        Assert.False(new QueryMatcher(Root(Comp("VEVENT", new TimeRange(Utc(2024, 1, 10, 11), null))), berlin, Cache()).WithoutBody(o));
        Assert.True(new QueryMatcher(Root(Comp("VEVENT", new TimeRange(null, Utc(2024, 1, 10, 10, 1)))), berlin, Cache()).WithoutBody(o));
    }

    [Fact]
    public void OtherFiltersNeedTheBody()
    {
        var o = FakeObject.Of(Ics.Calendar(Ics.Event("e", "DTSTART:20240110T100000Z", "DTEND:20240110T110000Z", "SUMMARY:x")));
        var withProp = Root(Comp("VEVENT", Week, props: [new PropFilter("SUMMARY", false, null, null, [])]));
        var matcher = new QueryMatcher(withProp, TimeZoneInfo.Utc, Cache());
        Assert.Null(matcher.WithoutBody(o));
        Assert.True(matcher.WithBody(o, o.Body));
    }

    [Fact]
    public void FloatingEventIsCachedAfterOneReadAndThenDecidedWithoutTheBody()
    {
        var o = FakeObject.Of(Ics.Calendar(Ics.Event("f", "DTSTART:20240110T230000", "DTEND:20240111T003000")));
        Assert.False(o.Parsed.EnvelopeExact);
        var cache = Cache();
        // 23:00 floating is 22:00Z in Berlin (in the range) and 23:00Z in UTC (not in it).
        var filter = Root(Comp("VEVENT", new TimeRange(Utc(2024, 1, 10, 22), Utc(2024, 1, 10, 23))));
        var berlin = new QueryMatcher(filter, TimeZoneInfo.FindSystemTimeZoneById("Europe/Berlin"), cache);
        var utc = new QueryMatcher(filter, TimeZoneInfo.Utc, cache);
        Assert.Null(berlin.WithoutBody(o));
        Assert.True(berlin.WithBody(o, o.Body));
        Assert.True(berlin.WithoutBody(o));
        Assert.Null(utc.WithoutBody(o)); // another zone, another timeline
        Assert.False(utc.WithBody(o, o.Body));
        Assert.False(utc.WithoutBody(o));
        Assert.Equal(2, cache.Count);
    }

    [Fact]
    public void RecurringEventIsDecidedFromItsTimeline()
    {
        var o = FakeObject.Of(Ics.Calendar(Ics.Event("w", "DTSTART:20240101T100000Z", "DTEND:20240101T110000Z",
            "RRULE:FREQ=WEEKLY;COUNT=10", "EXDATE:20240108T100000Z")));
        var cache = Cache();
        var matcher = new QueryMatcher(Root(Comp("VEVENT", Week)), TimeZoneInfo.Utc, cache);
        Assert.False(matcher.WithBody(o, o.Body)); // the week's instance is excluded
        Assert.False(matcher.WithoutBody(o));
        var next = new QueryMatcher(Root(Comp("VEVENT", new TimeRange(Utc(2024, 1, 15, 10, 59), Utc(2024, 1, 15, 11)))), TimeZoneInfo.Utc, cache);
        Assert.True(next.WithoutBody(o));
    }

    [Fact]
    public void WithTimelinesOffOnlyExactEnvelopesAreDecidedWithoutTheBody()
    {
        var exact = FakeObject.Of(Ics.Calendar(Ics.Event("e", "DTSTART:20240110T100000Z", "DTEND:20240110T110000Z")));
        var weekly = FakeObject.Of(Ics.Calendar(Ics.Event("w", "DTSTART:20240101T100000Z", "DTEND:20240101T110000Z", "RRULE:FREQ=WEEKLY")));
        var cache = Cache(bytes: 0);
        var matcher = new QueryMatcher(Root(Comp("VEVENT", Week)), TimeZoneInfo.Utc, cache);
        Assert.True(matcher.WithoutBody(exact));
        Assert.True(matcher.WithBody(weekly, weekly.Body));
        Assert.Null(matcher.WithoutBody(weekly));
        Assert.Equal(0, cache.Count);
    }
}

using Caldera.Calendars.Query;
using Microsoft.Extensions.Configuration;

namespace Caldera.Calendars.Tests;

/// <summary>A timeline answers inside the window it was expanded over and leaves the rest to the evaluator; the cache keeps to its budget.</summary>
public class TimelineTests
{
    static readonly DateTime Now = new(2024, 1, 1, 0, 0, 0, DateTimeKind.Utc);

    static DateTime Utc(int y, int mo, int d, int h = 0) => new(y, mo, d, h, 0, 0, DateTimeKind.Utc);

    static Timeline Build(string text, TimeZoneInfo? zone = null) => Timeline.Build(Ics.Parse(text).Calendar, zone ?? TimeZoneInfo.Utc, Now);

    static CompFilter Plain(TimeRange range) =>
        new("VCALENDAR", false, null, [], [new CompFilter("VEVENT", false, range, [], [])]);

    static bool Evaluator(string text, TimeRange range) => FilterEvaluator.Matches(Ics.Parse(text).Calendar, Plain(range), TimeZoneInfo.Utc);

    static readonly string EndlessWeekly = Ics.Calendar(Ics.Event("w", "DTSTART:20200106T100000Z", "DTEND:20200106T110000Z", "RRULE:FREQ=WEEKLY"));

    [Fact]
    public void KeepsFewerInstancesThanTheEvaluatorLooksAt() => Assert.True(Timeline.MaxInstances < FilterEvaluator.InstanceLimit);

    [Fact]
    public void EndlessSeriesIsAnsweredInsideTheWindowOnly()
    {
        var timeline = Build(EndlessWeekly);
        var inside = new TimeRange(Utc(2024, 3, 4), Utc(2024, 3, 5)); // a Monday
        var insideMiss = new TimeRange(Utc(2024, 3, 5), Utc(2024, 3, 6));
        Assert.True(timeline.Matches(inside));
        Assert.False(timeline.Matches(insideMiss));
        Assert.True(timeline.Matches(new TimeRange(Utc(2025, 1, 1), null))); // open end, a hit within the window
        Assert.Null(timeline.Matches(new TimeRange(Utc(2021, 3, 1), Utc(2021, 3, 8)))); // before Now − Past
        Assert.Null(timeline.Matches(new TimeRange(Utc(2030, 3, 4), Utc(2030, 3, 11)))); // after Now + Future
        Assert.Null(timeline.Matches(new TimeRange(null, Utc(2024, 3, 5)))); // open start reaches before the window
        Assert.True(Evaluator(EndlessWeekly, new TimeRange(Utc(2030, 3, 4), Utc(2030, 3, 11))));
    }

    [Fact]
    public void SingleEventIsAnsweredAtAnyTime()
    {
        var text = Ics.Calendar(Ics.Event("a", "DTSTART;VALUE=DATE:19900110", "DTEND;VALUE=DATE:19900111"));
        var timeline = Build(text);
        Assert.True(timeline.Matches(new TimeRange(null, Utc(1990, 1, 10, 1))));
        Assert.False(timeline.Matches(new TimeRange(Utc(1990, 1, 11), null)));
        Assert.False(timeline.Matches(new TimeRange(Utc(2024, 1, 1), Utc(2024, 2, 1))));
    }

    [Fact]
    public void DenseSeriesStopsAtMaxInstancesAndLeavesLaterRangesToTheEvaluator()
    {
        var text = Ics.Calendar(Ics.Event("h", "DTSTART:20231201T000000Z", "DTEND:20231201T001000Z", "RRULE:FREQ=HOURLY"));
        var timeline = Build(text);
        Assert.Equal(Timeline.MaxInstances, timeline.Count);
        Assert.True(timeline.Matches(new TimeRange(Utc(2024, 2, 1), Utc(2024, 2, 1, 1))));
        Assert.Null(timeline.Matches(new TimeRange(Utc(2024, 12, 1), Utc(2024, 12, 2))));
    }

    [Fact]
    public void ZeroDurationInstancesUseTheirOwnRule()
    {
        // §9.9: DTSTART only matches a range starting at it; DTEND = DTSTART does not (start < DTEND).
        var startOnly = Build(Ics.Calendar(Ics.Event("s", "DTSTART:20240110T100000Z", "RRULE:FREQ=DAILY;COUNT=2")));
        var equalEnd = Build(Ics.Calendar(Ics.Event("e", "DTSTART:20240110T100000Z", "DTEND:20240110T100000Z")));
        var at = new TimeRange(Utc(2024, 1, 10, 10), Utc(2024, 1, 10, 11));
        Assert.True(startOnly.Matches(at));
        Assert.False(equalEnd.Matches(at));
        Assert.True(equalEnd.Matches(new TimeRange(Utc(2024, 1, 10, 9), Utc(2024, 1, 10, 11))));
    }

    [Fact]
    public void OtherComponentsMakeItUnusable()
    {
        var todo = Build(Ics.Calendar(Ics.Todo("t", "DTSTART:20240110T100000Z", "DUE:20240110T110000Z")));
        Assert.Null(todo.Matches(new TimeRange(Utc(2024, 1, 1), Utc(2024, 2, 1))));
    }

    [Fact]
    public void CacheDropsTheLeastRecentlyUsedOverItsBudget()
    {
        var texts = Enumerable.Range(0, 3).Select(i => Ics.Calendar(Ics.Event($"u{i}", $"DTSTART:2024011{i}T100000Z", "DTEND:20240120T110000Z"))).ToList();
        var calendars = texts.Select(t => Ics.Parse(t).Calendar).ToList();
        TimelineKey Key(int i) => new($"\"etag{i}\"", $"u{i}", 100, "UTC");
        var clock = new FixedClock(new DateTimeOffset(Now));

        var probe = new TimelineCache(new TimelineCacheSettings(), clock);
        probe.GetOrBuild(Key(0), calendars[0], TimeZoneInfo.Utc);
        var one = probe.Bytes;
        Assert.True(one > 0);

        var cache = new TimelineCache(new TimelineCacheSettings { MaxBytes = one * 5 / 2 }, clock);
        cache.GetOrBuild(Key(0), calendars[0], TimeZoneInfo.Utc);
        cache.GetOrBuild(Key(1), calendars[1], TimeZoneInfo.Utc);
        Assert.NotNull(cache.Find(Key(0))); // 0 is now more recent than 1
        cache.GetOrBuild(Key(2), calendars[2], TimeZoneInfo.Utc);
        Assert.Equal(2, cache.Count);
        Assert.True(cache.Bytes <= one * 5 / 2);
        Assert.NotNull(cache.Find(Key(0)));
        Assert.Null(cache.Find(Key(1)));
        Assert.NotNull(cache.Find(Key(2)));
    }

    [Fact]
    public void TimelineLargerThanTheBudgetIsUsedButNotKept()
    {
        var cache = new TimelineCache(new TimelineCacheSettings { MaxBytes = 100 }, new FixedClock(new DateTimeOffset(Now)));
        var timeline = cache.GetOrBuild(new TimelineKey("\"e\"", "w", 1, "UTC"), Ics.Parse(EndlessWeekly).Calendar, TimeZoneInfo.Utc);
        Assert.True(timeline.Count > 100);
        Assert.Equal(0, cache.Count);
        Assert.Equal(0, cache.Bytes);
    }

    [Fact]
    public void OldTimelineIsBuiltAgainAroundTheNewTime()
    {
        var clock = new FixedClock(new DateTimeOffset(Now));
        var cache = new TimelineCache(new TimelineCacheSettings(), clock);
        var key = new TimelineKey("\"e\"", "w", 1, "UTC");
        var calendar = Ics.Parse(EndlessWeekly).Calendar;
        var later = new TimeRange(Utc(2028, 3, 6), Utc(2028, 3, 7)); // a Monday past Now + Future
        Assert.Null(cache.GetOrBuild(key, calendar, TimeZoneInfo.Utc).Matches(later));
        clock.Now = clock.Now + TimelineCache.MaxAge; // not older than MaxAge yet
        Assert.NotNull(cache.Find(key));
        clock.Now = clock.Now.AddYears(2);
        Assert.Null(cache.Find(key));
        Assert.Equal(0, cache.Bytes);
        Assert.True(cache.GetOrBuild(key, calendar, TimeZoneInfo.Utc).Matches(later));
    }

    [Fact]
    public void ZoneKeyNamesSystemZonesByIdAndOthersByTheirRules()
    {
        Assert.Equal("Europe/Berlin", FloatingTimeZone.Key(TimeZoneInfo.FindSystemTimeZoneById("Europe/Berlin")));
        var a = TimeZoneInfo.CreateCustomTimeZone("Mine", TimeSpan.FromHours(3), "Mine", "Mine");
        var b = TimeZoneInfo.CreateCustomTimeZone("Mine", TimeSpan.FromHours(4), "Mine", "Mine");
        Assert.NotEqual(FloatingTimeZone.Key(a), FloatingTimeZone.Key(b));
        var fake = TimeZoneInfo.CreateCustomTimeZone("Europe/Berlin", TimeSpan.FromHours(5), "x", "x");
        Assert.NotEqual("Europe/Berlin", FloatingTimeZone.Key(fake));
    }

    [Fact]
    public void SettingsReadMegabytes()
    {
        var config = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["Caldera:Query:TimelineCacheMegabytes"] = "8" }).Build();
        Assert.Equal(8L << 20, TimelineCacheSettings.From(config).MaxBytes);
        Assert.Equal(32L << 20, TimelineCacheSettings.From(new ConfigurationBuilder().Build()).MaxBytes);
    }
}

using Caldera.Calendars.Providers.Store;
using Caldera.Calendars.Query;
using Caldera.Storage;

namespace Caldera.Calendars.Tests;

/// <summary>
/// "Give me the events" (VCALENDAR &gt; VEVENT, nothing else) and "give me everything" are answered from the index's
/// component kind for stored objects, exactly as the evaluator answers them from the body.
/// </summary>
public class KindOnlyFilterTests
{
    static CompFilter Root(params CompFilter[] comps) => new("VCALENDAR", false, null, [], comps);
    static CompFilter Comp(string name) => new(name, false, null, [], []);

    static readonly TimelineCache Timelines = new(new TimelineCacheSettings { MaxBytes = 1 << 20 }, TimeProvider.System);

    /// <summary>A stored object whose body is never read (its store is absent: a read would throw).</summary>
    static (StoreCalendarObject Stored, ParsedCalendarObject Parsed) Stored(string text)
    {
        var parsed = Ics.Parse(text);
        var record = new ObjectRecord { Name = "x.ics", ETag = "\"1\"", Uid = parsed.Uid, Component = parsed.Component, BlobName = "b" };
        return (new StoreCalendarObject(record, null!), parsed);
    }

    public static TheoryData<string> Objects() =>
    [
        Ics.Calendar(Ics.Event("e", "DTSTART:20240110T100000Z", "DTEND:20240110T110000Z")),
        Ics.Calendar("BEGIN:VTODO\r\nUID:t\r\nDTSTAMP:20240101T000000Z\r\nSUMMARY:task\r\nEND:VTODO\r\n"),
        Ics.Calendar("BEGIN:VJOURNAL\r\nUID:j\r\nDTSTAMP:20240101T000000Z\r\nDTSTART;VALUE=DATE:20240110\r\nEND:VJOURNAL\r\n"),
    ];

    [Theory]
    [MemberData(nameof(Objects))]
    public void The_index_kind_answers_as_the_evaluator_does(string text)
    {
        var (stored, parsed) = Stored(text);
        foreach (var filter in new[] { Root(), Root(Comp("VEVENT")), Root(Comp("VTODO")), Root(Comp("VJOURNAL")), Root(Comp("VFREEBUSY")) })
            Assert.Equal(FilterEvaluator.Matches(parsed.Calendar, filter), new QueryMatcher(filter, TimeZoneInfo.Utc, Timelines).WithoutBody(stored));
    }

    [Fact]
    public void Other_filters_and_other_providers_objects_are_left_to_the_body()
    {
        var (stored, _) = Stored(Ics.Calendar(Ics.Event("e", "DTSTART:20240110T100000Z", "DTEND:20240110T110000Z")));
        Assert.Null(new QueryMatcher(Root(Comp("VEVENT"), Comp("VTODO")), TimeZoneInfo.Utc, Timelines).WithoutBody(stored));
        Assert.Null(new QueryMatcher(Root(new CompFilter("VEVENT", true, null, [], [])), TimeZoneInfo.Utc, Timelines).WithoutBody(stored));
        Assert.Null(new QueryMatcher(Root(new CompFilter("VEVENT", false, null, [new PropFilter("SUMMARY", false, null, null, [])], [])), TimeZoneInfo.Utc, Timelines).WithoutBody(stored));
        var feedObject = FakeObject.Of(Ics.Calendar(Ics.Event("e", "DTSTART:20240110T100000Z", "DTEND:20240110T110000Z")));
        Assert.Null(new QueryMatcher(Root(Comp("VEVENT")), TimeZoneInfo.Utc, Timelines).WithoutBody(feedObject));
    }
}

using Caldera.Calendars.Providers;
using Caldera.Dav.Scheduling;
using Caldera.Storage;
using Microsoft.AspNetCore.Http;

namespace Caldera.Dav.Tests.Scheduling;

public class ScheduleTagMatchTests
{
    sealed record Existing(string ETag, string? ScheduleTag) : ICalendarObject
    {
        public string Name => "x.ics";
        public long Size => 1;
        public string ContentType => "text/calendar";
        public DateTimeOffset LastModified => DateTimeOffset.UnixEpoch;
        public string Uid => "u";
        public string Component => "VEVENT";
        public Task<byte[]?> GetDataAsync(CancellationToken ct) => Task.FromResult<byte[]?>([]);
    }

    static string? Header(string? value)
    {
        var context = new DefaultHttpContext();
        if (value is not null)
            context.Request.Headers[ScheduleTagMatch.Header] = value;
        return ScheduleTagMatch.From(new DavContext(context, "alice", DavPath.Parse("/"), default));
    }

    [Fact]
    public void The_header_names_one_quoted_tag()
    {
        Assert.Null(Header(null));
        Assert.Equal("\"t1\"", Header(" \"t1\" "));
        foreach (var bad in new[] { "t1", "*", "\"a\", \"b\"", "\"" })
            Assert.Equal(400, Assert.Throws<DavException>(() => Header(bad)).Status);
    }

    [Fact]
    public void A_matching_tag_pins_the_write_to_the_objects_etag()
    {
        var pinned = ScheduleTagMatch.Apply("\"t1\"", new Existing("\"e1\"", "\"t1\""), WriteConditions.None);
        Assert.Equal(["\"e1\""], pinned.IfMatch);
        Assert.True(pinned.HoldFor("\"e1\""));
        Assert.False(pinned.HoldFor("\"e2\"")); // changed since the comparison: the store answers 412
    }

    [Fact]
    public void A_stale_or_missing_tag_is_412()
    {
        Assert.Equal(412, Assert.Throws<DavException>(() => ScheduleTagMatch.Apply("\"old\"", new Existing("\"e1\"", "\"t1\""), WriteConditions.None)).Status);
        Assert.Equal(412, Assert.Throws<DavException>(() => ScheduleTagMatch.Apply("\"t1\"", new Existing("\"e1\"", null), WriteConditions.None)).Status);
        Assert.Equal(412, Assert.Throws<DavException>(() => ScheduleTagMatch.Apply("\"t1\"", null, WriteConditions.None)).Status);
        // The client's own If-Match still counts.
        var other = new WriteConditions { IfMatch = ["\"e9\""] };
        Assert.Equal(412, Assert.Throws<DavException>(() => ScheduleTagMatch.Apply("\"t1\"", new Existing("\"e1\"", "\"t1\""), other)).Status);
        Assert.Same(other, ScheduleTagMatch.Apply(null, null, other));
    }

    [Fact]
    public void A_scheduled_write_is_pinned_to_what_the_scheduler_saw()
    {
        Assert.Equal(["*"], SchedulingHooks.Pinned(WriteConditions.None, null).IfNoneMatch);
        Assert.Equal(["\"e1\""], SchedulingHooks.Pinned(WriteConditions.None, new Existing("\"e1\"", null)).IfMatch);
        Assert.Equal(412, Assert.Throws<DavException>(() =>
            SchedulingHooks.Pinned(new WriteConditions { IfMatch = ["\"zz\""] }, new Existing("\"e1\"", null))).Status);
    }
}

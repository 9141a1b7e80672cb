namespace Caldera.Dav.Tests;

public class DavPathTests
{
    static int Refused(string raw) => Assert.Throws<DavException>(() => DavPath.Parse(raw)).Status;

    [Fact]
    public void Root()
    {
        var path = DavPath.Parse("/");
        Assert.Equal(0, path.Count);
        Assert.True(path.TrailingSlash);
    }

    [Fact]
    public void SegmentsAndTrailingSlash()
    {
        var file = DavPath.Parse("/calendars/alice/work/event.ics");
        Assert.Equal(["calendars", "alice", "work", "event.ics"], file.Segments);
        Assert.False(file.TrailingSlash);
        var collection = DavPath.Parse("/calendars/alice/work/");
        Assert.Equal(["calendars", "alice", "work"], collection.Segments);
        Assert.True(collection.TrailingSlash);
        Assert.Equal("work", collection[2]);
    }

    [Fact]
    public void ParentIsTheCollectionAbove()
    {
        var parent = DavPath.Parse("/calendars/alice/work/event.ics").Parent;
        Assert.Equal(["calendars", "alice", "work"], parent.Segments);
        Assert.True(parent.TrailingSlash);
        Assert.Equal(["calendars"], DavPath.Parse("/calendars/alice/").Parent.Segments);
        Assert.Equal(0, DavPath.Parse("/").Parent.Count);
    }

    [Fact]
    public void QueryAndFragmentAreIgnored()
    {
        Assert.Equal(["a", "b"], DavPath.Parse("/a/b?x=1/2").Segments);
        Assert.Equal(["a"], DavPath.Parse("/a#frag").Segments);
    }

    [Fact]
    public void PercentDecodingHappensOnce()
    {
        Assert.Equal("%40", DavPath.Parse("/a/%2540").Segments[1]);
        Assert.Equal("a b", DavPath.Parse("/a%20b").Segments[0]);
        Assert.Equal("a+b", DavPath.Parse("/a+b").Segments[0]);
        Assert.Equal("x@y", DavPath.Parse("/x%40y").Segments[0]);
    }

    [Fact]
    public void Utf8Segments()
    {
        Assert.Equal("caf\u00e9", DavPath.Parse("/caf%C3%A9").Segments[0]);
        Assert.Equal("caf\u00e9", DavPath.Parse("/caf%c3%a9").Segments[0]);
        Assert.Equal("\u65e5\u672c", DavPath.Parse("/%E6%97%A5%E6%9C%AC").Segments[0]);
        Assert.Equal("\U0001F600", DavPath.Parse("/%F0%9F%98%80").Segments[0]);
    }

    [Fact]
    public void UnencodedNonAsciiIsTakenAsUtf8()
    {
        Assert.Equal("caf\u00e9", DavPath.Parse("/caf\u00e9").Segments[0]);
        Assert.Equal("party\U0001F600", DavPath.Parse("/party\U0001F600").Segments[0]);
    }

    [Theory]
    [InlineData("/a/%2F/b")]
    [InlineData("/a/x%2fy")]
    [InlineData("/a/x%5Cy")]
    [InlineData("/a/%2e%2e/b")]
    [InlineData("/a/%2E")]
    [InlineData("/a/../b")]
    [InlineData("/a/./b")]
    [InlineData("/..")]
    [InlineData("/a/%00")]
    [InlineData("/a/x%0Ay")]
    [InlineData("/a/x%7F")]
    [InlineData("/a/%zz")]
    [InlineData("/a/%2")]
    [InlineData("/a/%")]
    [InlineData("/a/%C3%28")]
    [InlineData("/a/%C3")]
    [InlineData("/a/%ED%A0%80")]
    [InlineData("/a//b")]
    [InlineData("//")]
    [InlineData("a/b")]
    [InlineData("")]
    public void TricksAreRefusedWith400(string raw)
    {
        Assert.Equal(400, Refused(raw));
    }

    [Fact]
    public void LoneSurrogateIsRefused()
    {
        Assert.Equal(400, Refused("/a\uD800b"));
        Assert.Equal(400, Refused("/a\uDC00"));
    }

    [Fact]
    public void OverlongSegmentIsRefused()
    {
        Assert.Equal(400, Refused("/" + new string('a', 256)));
        Assert.Equal("a", DavPath.Parse("/" + new string('a', 255)).Segments[0][..1]);
    }

    [Theory]
    [InlineData(false, new[] { "calendars", "alice" }, "/calendars/alice")]
    [InlineData(true, new[] { "calendars", "alice" }, "/calendars/alice/")]
    [InlineData(true, new string[0], "/")]
    [InlineData(false, new[] { "a b", "x/y" }, "/a%20b/x%2Fy")]
    public void HrefEscapes(bool collection, string[] segments, string expected)
    {
        Assert.Equal(expected, DavPath.Href(collection, segments));
    }

    [Theory]
    [InlineData("caf\u00e9")]
    [InlineData("a b+c")]
    [InlineData("100%")]
    [InlineData("%40")]
    [InlineData("x?y#z")]
    [InlineData("semi;colon,comma&amp=eq")]
    [InlineData("\U0001F600 \u65e5\u672c")]
    [InlineData("event-\"quoted\"-<x>.ics")]
    public void HrefRoundTripsThroughParse(string segment)
    {
        var href = DavPath.Href(false, "calendars", segment);
        Assert.DoesNotContain(' ', href);
        var parsed = DavPath.Parse(href);
        Assert.Equal(["calendars", segment], parsed.Segments);
        Assert.False(parsed.TrailingSlash);
        Assert.True(DavPath.Parse(DavPath.Href(true, segment)).TrailingSlash);
    }
}

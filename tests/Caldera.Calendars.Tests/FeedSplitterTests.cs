using System.Text;
using Caldera.Calendars.Providers.Subscriptions;

namespace Caldera.Calendars.Tests;

public class FeedSplitterTests
{
    static readonly string Berlin = string.Join("\r\n", "BEGIN:VTIMEZONE", "TZID:Europe/Berlin", "BEGIN:STANDARD",
        "DTSTART:19701025T030000", "TZOFFSETFROM:+0200", "TZOFFSETTO:+0100", "END:STANDARD", "END:VTIMEZONE");
    static readonly string Unused = string.Join("\r\n", "BEGIN:VTIMEZONE", "TZID:America/New_York", "BEGIN:STANDARD",
        "DTSTART:19701101T020000", "TZOFFSETFROM:-0400", "TZOFFSETTO:-0500", "END:STANDARD", "END:VTIMEZONE");

    static string Text(FeedObject o) => Encoding.UTF8.GetString(o.Body);

    [Fact]
    public void Splits_by_uid_keeping_overrides_and_used_timezones()
    {
        var feed = Ics.Text("BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//Feed//EN", "METHOD:PUBLISH", "X-WR-CALNAME:Feed",
            Berlin, Unused,
            Ics.Event("weekly", "DTSTART;TZID=Europe/Berlin:20240101T100000", "RRULE:FREQ=WEEKLY", "SUMMARY:Weekly"),
            Ics.Event("single", "DTSTART:20240105T100000Z", "SUMMARY:Single"),
            Ics.Event("weekly", "RECURRENCE-ID;TZID=Europe/Berlin:20240108T100000", "DTSTART;TZID=Europe/Berlin:20240108T120000", "SUMMARY:Moved"),
            Ics.Todo("todo-1", "SUMMARY:Task"),
            "END:VCALENDAR");

        var objects = FeedSplitter.Split(feed);

        Assert.Equal(["weekly", "single", "todo-1"], objects.Select(o => o.Uid));
        Assert.Equal(["VEVENT", "VEVENT", "VTODO"], objects.Select(o => o.Component));
        var weekly = Text(objects[0]);
        Assert.Equal(2, weekly.Split("BEGIN:VEVENT").Length - 1);
        Assert.Contains("TZID:Europe/Berlin", weekly);
        Assert.DoesNotContain("America/New_York", weekly);
        Assert.DoesNotContain("METHOD", weekly);
        Assert.DoesNotContain("X-WR-CALNAME", weekly);
        Assert.DoesNotContain("VTIMEZONE", Text(objects[1]));
        Assert.All(objects, o => Assert.Matches("^[0-9a-f]{32}\\.ics$", o.Name));
        Assert.All(objects, o => Assert.Matches("^\"[0-9a-f]{32}\"$", o.ETag));
        Assert.Equal(3, objects.Select(o => o.Name).Distinct().Count());

        // Each piece is a valid calendar object resource for Caldera's own parser.
        foreach (var o in objects)
            Assert.Equal(o.Uid, CalendarObjectParser.Parse(o.Body, CalendarObjectParser.KnownComponents).Uid);
    }

    [Fact]
    public void Names_are_stable_and_etags_follow_content()
    {
        var a = FeedSplitter.Split(Ics.Calendar(Ics.Event("e1", "DTSTART:20240105T100000Z", "SUMMARY:One")));
        var b = FeedSplitter.Split(Ics.Calendar(Ics.Event("e1", "DTSTART:20240105T100000Z", "SUMMARY:One")));
        var c = FeedSplitter.Split(Ics.Calendar(Ics.Event("e1", "DTSTART:20240105T100000Z", "SUMMARY:Changed")));
        Assert.Equal(a[0].Name, c[0].Name);
        Assert.Equal(a[0].ETag, b[0].ETag);
        Assert.NotEqual(a[0].ETag, c[0].ETag);
        Assert.Equal(FeedSplitter.NameFor("e1"), a[0].Name);
    }

    [Fact]
    public void Folded_lines_and_bare_newlines_are_read()
    {
        var feed = "BEGIN:VCALENDAR\nVERSION:2.0\nBEGIN:VEVENT\nUID:fold\n ed\nDTSTAMP:20240101T000000Z\nDTSTART:20240105T100000Z\nSUMMARY:A very long summary that goes on and on and on and on and on and on and on and on\nEND:VEVENT\nEND:VCALENDAR\n";
        var o = Assert.Single(FeedSplitter.Split(feed));
        Assert.Equal("folded", o.Uid);
        Assert.Contains("PRODID:", Text(o));
        Assert.All(Text(o).Split("\r\n"), l => Assert.True(Encoding.UTF8.GetByteCount(l) <= 75 * 4));
        Assert.Equal("folded", CalendarObjectParser.Parse(o.Body, CalendarObjectParser.KnownComponents).Uid);
    }

    [Fact]
    public void An_empty_calendar_has_no_objects() =>
        Assert.Empty(FeedSplitter.Split(Ics.Calendar()));

    [Theory]
    [InlineData("<html><body>Not found</body></html>")]
    [InlineData("")]
    [InlineData("BEGIN:VCALENDAR\r\nVERSION:2.0\r\n")]
    [InlineData("BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nUID:x\r\nEND:VCALENDAR\r\n")]
    [InlineData("BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nUID:x\r\n")]
    public void Invalid_feeds_are_refused(string text) =>
        Assert.Throws<FormatException>(() => FeedSplitter.Split(text));
}

using System.Net;
using Caldera.Calendars.Accounts;
using Caldera.Functions.Tests.Dav;
using Microsoft.Extensions.DependencyInjection;
using static Caldera.Functions.Tests.Dav.DavHelpers;

namespace Caldera.Functions.Tests.Queries;

/// <summary>CALDAV:free-busy-query (RFC 4791 §7.10) on a calendar and on the calendar home, over HTTP.</summary>
[Collection(CalderaServerCollection.Name)]
public sealed class FreeBusyTests(CalderaServerFixture server)
{
    const string Alice = CalderaServerFixture.Alice;
    const string Ns = """xmlns:D="DAV:" xmlns:C="urn:ietf:params:xml:ns:caldav" """;

    static string FreeBusy(string start, string end) =>
        $"""<C:free-busy-query {Ns}><C:time-range start="{start}" end="{end}"/></C:free-busy-query>""";

    static List<string> FreeBusyLines(DavResponse response)
    {
        Assert.True(response.Status == HttpStatusCode.OK, response.ToString());
        Assert.Equal("text/calendar", response.ContentHeaders.ContentType?.MediaType);
        return response.Text.Split("\r\n").Where(l => l.StartsWith("FREEBUSY")).ToList();
    }

    [Fact]
    public async Task Free_busy_on_a_calendar_honours_transp_status_recurrence_and_vfreebusy()
    {
        using var client = server.CreateClient(Alice);
        var path = await MakeCalendarAsync(client, Alice, Unique("fb"), "VEVENT", "VFREEBUSY");
        // Weekly Mondays 09:00–10:00Z, the 15th excluded, the 22nd moved to 13:00–14:00Z.
        await PutNewAsync(client, path + "w.ics", CalendarDataTests.Weekly(Unique("uid")));
        await PutNewAsync(client, path + "tentative.ics", Event(Unique("uid"), "t", "20240102T090000Z", "20240102T100000Z", "STATUS:TENTATIVE\r\n"));
        await PutNewAsync(client, path + "cancelled.ics", Event(Unique("uid"), "c", "20240103T090000Z", "20240103T100000Z", "STATUS:CANCELLED\r\n"));
        await PutNewAsync(client, path + "transparent.ics", Event(Unique("uid"), "x", "20240104T090000Z", "20240104T100000Z", "TRANSP:TRANSPARENT\r\n"));
        await PutNewAsync(client, path + "overlap.ics", Event(Unique("uid"), "o", "20240101T083000Z", "20240101T093000Z", "TRANSP:OPAQUE\r\n"));
        await PutNewAsync(client, path + "outside.ics", Event(Unique("uid"), "later", "20240301T090000Z", "20240301T100000Z"));
        await PutNewAsync(client, path + "fb.ics",
            "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Caldera tests//EN\r\n" +
            $"BEGIN:VFREEBUSY\r\nUID:{Unique("uid")}\r\nDTSTAMP:20240101T000000Z\r\n" +
            "FREEBUSY;FBTYPE=BUSY-UNAVAILABLE:20240116T080000Z/PT2H\r\nFREEBUSY;FBTYPE=FREE:20240117T080000Z/PT2H\r\nEND:VFREEBUSY\r\nEND:VCALENDAR\r\n");

        var response = await SendAsync(client, Xml(Report, path, FreeBusy("20240101T000000Z", "20240123T000000Z"), "1"));
        Assert.Equal(
        [
            "FREEBUSY:20240101T083000Z/20240101T100000Z",
            "FREEBUSY;FBTYPE=BUSY-TENTATIVE:20240102T090000Z/20240102T100000Z",
            "FREEBUSY:20240108T090000Z/20240108T100000Z",
            "FREEBUSY;FBTYPE=BUSY-UNAVAILABLE:20240116T080000Z/20240116T100000Z",
            "FREEBUSY:20240122T130000Z/20240122T140000Z",
        ], FreeBusyLines(response));
        Assert.Contains("BEGIN:VFREEBUSY\r\n", response.Text);
        Assert.Contains("DTSTART:20240101T000000Z\r\nDTEND:20240123T000000Z\r\n", response.Text);
        Assert.Matches(@"DTSTAMP:\d{8}T\d{6}Z\r\n", response.Text);

        // Nothing busy: a VFREEBUSY without FREEBUSY lines.
        var empty = await SendAsync(client, Xml(Report, path, FreeBusy("20240205T000000Z", "20240205T080000Z"), "1"));
        Assert.Empty(FreeBusyLines(empty));
    }

    [Fact]
    public async Task Free_busy_on_the_home_covers_every_calendar()
    {
        // A user of its own: other tests leave unbounded recurrences (RRULE:FREQ=WEEKLY) in alice's home, which
        // would add busy time to any week, however far off.
        var Alice = Unique("fb");
        var accounts = server.Services.GetRequiredService<IAccountService>();
        Assert.Equal(CreateUserStatus.Created, await accounts.CreateUserAsync(Alice, null, null, CancellationToken.None));
        const string password = "free-busy-home-password";
        Assert.NotNull(await accounts.CreateAppPasswordAsync(Alice, "tests", password, CancellationToken.None));
        using var client = server.CreateClient(Alice, password);
        var one = await MakeCalendarAsync(client, Alice, Unique("fbh"));
        var two = await MakeCalendarAsync(client, Alice, Unique("fbh"));
        await PutNewAsync(client, one + "a.ics", Event(Unique("uid"), "a", "20910305T090000Z", "20910305T100000Z", "RRULE:FREQ=DAILY;COUNT=3\r\n"));
        await PutNewAsync(client, two + "b.ics", Event(Unique("uid"), "b", "20910306T093000Z", "20910306T110000Z"));
        await PutNewAsync(client, two + "c.ics", Event(Unique("uid"), "c", "20910307T120000Z", "20910307T130000Z", "STATUS:TENTATIVE\r\n"));

        var home = $"/calendars/{Alice}/";
        var response = await SendAsync(client, Xml(Report, home, FreeBusy("20910301T000000Z", "20910310T000000Z"), "1"));
        Assert.Equal(
        [
            "FREEBUSY:20910305T090000Z/20910305T100000Z",
            "FREEBUSY:20910306T090000Z/20910306T110000Z",
            "FREEBUSY:20910307T090000Z/20910307T100000Z",
            "FREEBUSY;FBTYPE=BUSY-TENTATIVE:20910307T120000Z/20910307T130000Z",
        ], FreeBusyLines(response));

        // The home advertises the report.
        var props = await PropfindAsync(client, home, "0", D + "supported-report-set");
        Assert.Contains("free-busy-query", props.Responses()[home].Prop(D + "supported-report-set").ToString());
    }

    [Theory]
    [InlineData($"""<C:free-busy-query {Ns}/>""")]
    [InlineData($"""<C:free-busy-query {Ns}><C:time-range start="20240101T000000Z"/></C:free-busy-query>""")]
    [InlineData($"""<C:free-busy-query {Ns}><C:time-range start="20240201T000000Z" end="20240101T000000Z"/></C:free-busy-query>""")]
    public async Task Free_busy_needs_one_complete_time_range(string body)
    {
        using var client = server.CreateClient(Alice);
        var path = await MakeCalendarAsync(client, Alice, Unique("fbx"));
        var response = await SendAsync(client, Xml(Report, path, body, "1"));
        Assert.Equal(HttpStatusCode.BadRequest, response.Status);
    }

    [Fact]
    public async Task Free_busy_on_an_object_is_forbidden()
    {
        using var client = server.CreateClient(Alice);
        var path = await MakeCalendarAsync(client, Alice, Unique("fbo"));
        await PutNewAsync(client, path + "a.ics", Event(Unique("uid")));
        var response = await SendAsync(client, Xml(Report, path + "a.ics", FreeBusy("20240101T000000Z", "20240201T000000Z")));
        Assert.Equal(HttpStatusCode.Forbidden, response.Status);
    }
}

using System.Net;
using Caldera.Functions.Tests.Dav;
using static Caldera.Functions.Tests.Dav.DavHelpers;

namespace Caldera.Functions.Tests.Scheduling;

/// <summary>CALDAV:schedule-calendar-transp (RFC 6638 §9.1): opaque by default, settable to transparent and back, validated.</summary>
[Collection(DavSchedulingCollection.Name)]
public sealed class DavScheduleTransparencyTests(DavSchedulingFixture server)
{
    static string Set(string inner) => $"""
        <D:propertyupdate xmlns:D="DAV:" xmlns:C="urn:ietf:params:xml:ns:caldav"><D:set><D:prop>
          <C:schedule-calendar-transp>{inner}</C:schedule-calendar-transp>
        </D:prop></D:set></D:propertyupdate>
        """;

    async Task<string> ValueAsync(HttpClient client, string path) =>
        (await PropfindAsync(client, path, "0", C + "schedule-calendar-transp")).Responses()[path]
            .Prop(C + "schedule-calendar-transp").Elements().Single().Name.LocalName;

    [Fact]
    public async Task Opaque_by_default_set_to_transparent_and_removed_back_to_opaque()
    {
        using var client = server.CreateClient("alice");
        var path = await MakeCalendarAsync(client, "alice", Unique("transp"));
        Assert.Equal("opaque", await ValueAsync(client, path));

        var set = await SendAsync(client, Xml(Proppatch, path, Set("<C:transparent/>")));
        Assert.Equal(200, set.Responses()[path].StatusOf(C + "schedule-calendar-transp"));
        Assert.Equal("transparent", await ValueAsync(client, path));

        var remove = await SendAsync(client, Xml(Proppatch, path, """
            <D:propertyupdate xmlns:D="DAV:" xmlns:C="urn:ietf:params:xml:ns:caldav"><D:remove><D:prop><C:schedule-calendar-transp/></D:prop></D:remove></D:propertyupdate>
            """));
        Assert.Equal(200, remove.Responses()[path].StatusOf(C + "schedule-calendar-transp"));
        Assert.Equal("opaque", await ValueAsync(client, path));
    }

    [Theory]
    [InlineData("<C:see-through/>")]
    [InlineData("<C:opaque/><C:transparent/>")]
    [InlineData("transparent")]
    [InlineData("")]
    public async Task A_bad_value_is_409_with_a_reason_and_changes_nothing(string inner)
    {
        using var client = server.CreateClient("alice");
        var path = await MakeCalendarAsync(client, "alice", Unique("badtransp"));
        var patch = await SendAsync(client, Xml(Proppatch, path, Set(inner)));
        Assert.Equal((HttpStatusCode)207, patch.Status);
        var response = patch.Responses()[path];
        Assert.Equal(409, response.StatusOf(C + "schedule-calendar-transp"));
        Assert.Contains("opaque or CALDAV:transparent", response.Descendants(D + "responsedescription").Single().Value);
        Assert.Equal("opaque", await ValueAsync(client, path));
    }

    [Fact]
    public async Task Mkcalendar_may_set_it_as_apple_calendar_does()
    {
        using var client = server.CreateClient("alice");
        var path = CalendarPath("alice", Unique("mkt"));
        var made = await SendAsync(client, Xml(Mkcalendar, path, """
            <C:mkcalendar xmlns:D="DAV:" xmlns:C="urn:ietf:params:xml:ns:caldav"><D:set><D:prop>
              <D:displayname>Birthdays</D:displayname>
              <C:schedule-calendar-transp><C:transparent/></C:schedule-calendar-transp>
            </D:prop></D:set></C:mkcalendar>
            """));
        Assert.Equal(HttpStatusCode.Created, made.Status);
        Assert.Equal("transparent", await ValueAsync(client, path));

        var bad = CalendarPath("alice", Unique("mkbad"));
        var refused = await SendAsync(client, Xml(Mkcalendar, bad, """
            <C:mkcalendar xmlns:D="DAV:" xmlns:C="urn:ietf:params:xml:ns:caldav"><D:set><D:prop>
              <C:schedule-calendar-transp><C:sometimes/></C:schedule-calendar-transp>
            </D:prop></D:set></C:mkcalendar>
            """));
        Assert.Equal(HttpStatusCode.Forbidden, refused.Status);
        Assert.Contains("HTTP/1.1 409", refused.Text);
        Assert.Equal(HttpStatusCode.NotFound, (await PropfindAsync(client, bad, "0", D + "resourcetype")).Status);
    }

    [Fact]
    public async Task A_transparent_calendar_leaves_the_home_free_busy()
    {
        using var client = server.CreateClient("alice");
        var path = await MakeCalendarAsync(client, "alice", Unique("fbtransp"));
        await PutNewAsync(client, path + "e.ics", Event(Unique("u"), "busy?", "20260601T100000Z", "20260601T110000Z"));
        const string query = """
            <C:free-busy-query xmlns:C="urn:ietf:params:xml:ns:caldav"><C:time-range start="20260601T000000Z" end="20260602T000000Z"/></C:free-busy-query>
            """;
        Assert.Contains("FREEBUSY:20260601T100000Z/20260601T110000Z", (await SendAsync(client, Xml(Report, "/calendars/alice/", query, "1"))).Text);
        await SendAsync(client, Xml(Proppatch, path, Set("<C:transparent/>")));
        Assert.DoesNotContain("FREEBUSY:", (await SendAsync(client, Xml(Report, "/calendars/alice/", query, "1"))).Text);
        // Asked of the calendar itself, its events are still reported (RFC 4791 §7.10 on one collection).
        Assert.Contains("FREEBUSY:20260601T100000Z/20260601T110000Z", (await SendAsync(client, Xml(Report, path, query, "1"))).Text);
    }
}

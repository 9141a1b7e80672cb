using System.Net;
using System.Xml.Linq;
using static Caldera.Functions.Tests.Dav.DavHelpers;

namespace Caldera.Functions.Tests.Dav;

/// <summary>
/// How MKCALENDAR (RFC 4791 §5.3.1) and MKCOL (RFC 4918 §9.3.1, RFC 5689) refuse: where a collection may not be
/// made, and a body that sets a protected property. Nothing is ever created by a refused request.
/// </summary>
[Collection(CalderaServerCollection.Name)]
public sealed class MkcolRefusalTests(CalderaServerFixture server)
{
    const string Alice = CalderaServerFixture.Alice;

    const string Namespaces = """xmlns:D="DAV:" xmlns:C="urn:ietf:params:xml:ns:caldav" xmlns:CS="http://calendarserver.org/ns/" """;

    const string CalendarMkcol = """
        <?xml version="1.0" encoding="utf-8"?>
        <D:mkcol xmlns:D="DAV:" xmlns:C="urn:ietf:params:xml:ns:caldav">
          <D:set><D:prop><D:resourcetype><D:collection/><C:calendar/></D:resourcetype></D:prop></D:set>
        </D:mkcol>
        """;

    [Theory]
    [InlineData("/calendars/alice/default/")]
    [InlineData("/calendars/alice/")]
    [InlineData("/")]
    public async Task Mkcalendar_on_an_existing_resource_is_403_resource_must_be_null(string path)
    {
        using var client = server.CreateClient(Alice);
        AssertForbidden(await SendAsync(client, Xml(Mkcalendar, path, null)), D + "resource-must-be-null");
    }

    [Fact]
    public async Task Mkcalendar_on_an_existing_object_is_403_resource_must_be_null_and_leaves_it()
    {
        using var client = server.CreateClient(Alice);
        var calendar = await MakeCalendarAsync(client, Alice, Unique("mk-obj"));
        await PutNewAsync(client, calendar + "x.ics", Event(Unique("uid")));
        AssertForbidden(await SendAsync(client, Xml(Mkcalendar, calendar + "x.ics", null)), D + "resource-must-be-null");
        Assert.Equal(HttpStatusCode.OK, (await GetAsync(client, calendar + "x.ics")).Status);
    }

    [Fact]
    public async Task Mkcalendar_inside_a_calendar_is_403_calendar_collection_location_ok()
    {
        using var client = server.CreateClient(Alice);
        var calendar = await MakeCalendarAsync(client, Alice, Unique("mk-in"));
        AssertForbidden(await SendAsync(client, Xml(Mkcalendar, calendar + "inner/", null)), C + "calendar-collection-location-ok");
        await AssertEmptyAsync(client, calendar);
    }

    [Fact]
    public async Task Mkcol_inside_a_calendar_is_403_plain_or_extended()
    {
        using var client = server.CreateClient(Alice);
        var calendar = await MakeCalendarAsync(client, Alice, Unique("mkcol-in"));
        // RFC 4918 §9.3.1 names no precondition for this 403.
        foreach (var body in new[] { null, CalendarMkcol })
            AssertForbidden(await SendAsync(client, Xml(Mkcol, calendar + "inner/", body)), null);
        await AssertEmptyAsync(client, calendar);
    }

    [Fact]
    public async Task Mkcol_on_an_existing_calendar_stays_405()
    {
        // RFC 4918 §9.3.1: MKCOL can only be executed on an unmapped URL (405); RFC 5689 changes nothing there.
        using var client = server.CreateClient(Alice);
        var response = await SendAsync(client, Xml(Mkcol, CalendarPath(Alice, "default"), CalendarMkcol));
        Assert.Equal(HttpStatusCode.MethodNotAllowed, response.Status);
    }

    [Theory]
    [InlineData("MKCALENDAR")]
    [InlineData("MKCOL")]
    public async Task A_missing_intermediate_collection_stays_409(string method)
    {
        using var client = server.CreateClient(Alice);
        var path = CalendarPath(Alice, Unique("no-parent")) + "inner/";
        var response = await SendAsync(client, Xml(new HttpMethod(method), path, method == "MKCOL" ? CalendarMkcol : null));
        Assert.Equal(HttpStatusCode.Conflict, response.Status);
    }

    [Theory]
    [InlineData("MKCALENDAR", "mkcalendar-response", "<D:getetag>\"made-up\"</D:getetag>")]
    [InlineData("MKCOL", "mkcol-response", "<D:getetag>\"made-up\"</D:getetag>")]
    [InlineData("MKCALENDAR", "mkcalendar-response", "<D:sync-token>http://example.com/sync/1</D:sync-token>")]
    [InlineData("MKCALENDAR", "mkcalendar-response", "<CS:getctag>1</CS:getctag>")]
    [InlineData("MKCALENDAR", "mkcalendar-response", "<C:supported-calendar-data><C:calendar-data content-type=\"text/calendar\" version=\"2.0\"/></C:supported-calendar-data>")]
    [InlineData("MKCOL", "mkcol-response", "<D:current-user-privilege-set><D:privilege><D:all/></D:privilege></D:current-user-privilege-set>")]
    public async Task A_protected_property_fails_per_property_and_creates_nothing(string method, string responseName, string property)
    {
        using var client = server.CreateClient(Alice);
        var name = Unique("mk-protected");
        var root = method == "MKCOL" ? "D:mkcol" : "C:mkcalendar";
        var resourcetype = method == "MKCOL" ? "<D:resourcetype><D:collection/><C:calendar/></D:resourcetype>" : "";
        var body = $"""
            <?xml version="1.0" encoding="utf-8"?>
            <{root} {Namespaces}>
              <D:set><D:prop>
                {resourcetype}
                <D:displayname>Protected</D:displayname>
                {property}
              </D:prop></D:set>
            </{root}>
            """;
        var response = await SendAsync(client, Xml(new HttpMethod(method), CalendarPath(Alice, name), body));

        Assert.True(response.Status == HttpStatusCode.Forbidden, response.ToString());
        var answer = response.Xml.Root!;
        Assert.Equal((method == "MKCOL" ? D : C) + responseName, answer.Name);
        var protectedName = XElement.Parse($"<wrapper {Namespaces}>{property}</wrapper>").Elements().Single().Name;
        Assert.Equal(403, answer.StatusOf(protectedName));
        var protectedPropstat = answer.Elements(D + "propstat").Single(p => p.Element(D + "prop")!.Element(protectedName) is not null);
        Assert.NotNull(protectedPropstat.Element(D + "error")?.Element(D + "cannot-modify-protected-property"));
        Assert.Equal(424, answer.StatusOf(D + "displayname"));
        if (method == "MKCOL")
            Assert.Equal(424, answer.StatusOf(D + "resourcetype"));

        Assert.Equal(HttpStatusCode.NotFound, (await PropfindAsync(client, CalendarPath(Alice, name), "0", D + "resourcetype")).Status);
        var home = await PropfindAsync(client, "/calendars/alice/", "1", D + "resourcetype");
        Assert.DoesNotContain(CalendarPath(Alice, name), home.Responses().Keys);
    }

    static void AssertForbidden(DavResponse response, XName? condition)
    {
        Assert.True(response.Status == HttpStatusCode.Forbidden, response.ToString());
        if (condition is not null)
            Assert.Contains(condition, response.ErrorConditions());
    }

    static async Task AssertEmptyAsync(HttpClient client, string calendar)
    {
        var listing = await PropfindAsync(client, calendar, "1", D + "resourcetype");
        Assert.Equal([calendar], listing.Responses().Keys);
    }
}

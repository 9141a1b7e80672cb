using System.Net;
using System.Xml.Linq;
using static Caldera.Functions.Tests.Dav.DavHelpers;

namespace Caldera.Functions.Tests.Dav;

/// <summary>MKCALENDAR (RFC 4791 §5.3.1), extended MKCOL (RFC 5689) and DELETE of calendars.</summary>
[Collection(CalderaServerCollection.Name)]
public sealed class CollectionTests(CalderaServerFixture server)
{
    const string Alice = CalderaServerFixture.Alice;

    [Fact]
    public async Task Mkcalendar_with_initial_properties_is_201_and_listed_in_the_home()
    {
        using var client = server.CreateClient(Alice);
        var name = Unique("mk");
        var body = $"""
            <?xml version="1.0" encoding="utf-8"?>
            <C:mkcalendar xmlns:D="DAV:" xmlns:C="urn:ietf:params:xml:ns:caldav">
              <D:set><D:prop>
                <D:displayname>Tasks only</D:displayname>
                <C:supported-calendar-component-set><C:comp name="VTODO"/></C:supported-calendar-component-set>
              </D:prop></D:set>
            </C:mkcalendar>
            """;
        var created = await SendAsync(client, Xml(Mkcalendar, CalendarPath(Alice, name), body));
        Assert.Equal(HttpStatusCode.Created, created.Status);

        var home = await PropfindAsync(client, "/calendars/alice/", "1", D + "displayname", D + "resourcetype", C + "supported-calendar-component-set");
        var calendar = home.Responses()[CalendarPath(Alice, name)];
        Assert.Equal("Tasks only", calendar.Prop(D + "displayname").Value);
        Assert.Contains(C + "calendar", calendar.Prop(D + "resourcetype").Elements().Select(e => e.Name));
        Assert.Equal(["VTODO"], calendar.Prop(C + "supported-calendar-component-set").Elements(C + "comp").Select(c => (string?)c.Attribute("name")));
    }

    [Fact]
    public async Task Mkcalendar_without_a_body_is_201()
    {
        using var client = server.CreateClient(Alice);
        var name = Unique("mk-empty");
        var created = await SendAsync(client, Xml(Mkcalendar, CalendarPath(Alice, name), null));
        Assert.Equal(HttpStatusCode.Created, created.Status);
        var found = await PropfindAsync(client, CalendarPath(Alice, name), "0", D + "resourcetype");
        Assert.Equal((HttpStatusCode)207, found.Status);
    }

    [Fact]
    public async Task Mkcalendar_on_an_existing_name_is_403_resource_must_be_null()
    {
        // RFC 4791 §5.3.1.1 names the precondition, and §1.3 (RFC 3253 §1.6) answers a failed one with 403, not
        // the 405 RFC 4918 §9.3.1 gives a plain MKCOL.
        using var client = server.CreateClient(Alice);
        var existing = await SendAsync(client, Xml(Mkcalendar, CalendarPath(Alice, "default"), null));
        Assert.Equal(HttpStatusCode.Forbidden, existing.Status);
        Assert.Contains(D + "resource-must-be-null", existing.ErrorConditions());

        var name = Unique("mk-twice");
        await MakeCalendarAsync(client, Alice, name);
        var again = await SendAsync(client, Xml(Mkcalendar, CalendarPath(Alice, name), null));
        Assert.Equal(HttpStatusCode.Forbidden, again.Status);
        Assert.Contains(D + "resource-must-be-null", again.ErrorConditions());
    }

    [Fact]
    public async Task Mkcalendar_with_a_bad_initial_property_creates_nothing()
    {
        using var client = server.CreateClient(Alice);
        var name = Unique("mk-bad");
        var body = $"""
            <?xml version="1.0" encoding="utf-8"?>
            <C:mkcalendar xmlns:D="DAV:" xmlns:C="urn:ietf:params:xml:ns:caldav" xmlns:I="http://apple.com/ns/ical/">
              <D:set><D:prop><D:displayname>Bad</D:displayname><I:calendar-color>not a color</I:calendar-color></D:prop></D:set>
            </C:mkcalendar>
            """;
        var response = await SendAsync(client, Xml(Mkcalendar, CalendarPath(Alice, name), body));
        Assert.Equal(HttpStatusCode.Forbidden, response.Status);
        Assert.Equal(C + "mkcalendar-response", response.Xml.Root!.Name);
        var gone = await PropfindAsync(client, CalendarPath(Alice, name), "0", D + "resourcetype");
        Assert.Equal(HttpStatusCode.NotFound, gone.Status);
    }

    [Fact]
    public async Task Extended_mkcol_with_a_calendar_resourcetype_is_201()
    {
        using var client = server.CreateClient(Alice);
        var name = Unique("mkcol");
        var body = """
            <?xml version="1.0" encoding="utf-8"?>
            <D:mkcol xmlns:D="DAV:" xmlns:C="urn:ietf:params:xml:ns:caldav">
              <D:set><D:prop>
                <D:resourcetype><D:collection/><C:calendar/></D:resourcetype>
                <D:displayname>Via MKCOL</D:displayname>
              </D:prop></D:set>
            </D:mkcol>
            """;
        var created = await SendAsync(client, Xml(Mkcol, CalendarPath(Alice, name), body));
        Assert.Equal(HttpStatusCode.Created, created.Status);
        var read = await PropfindAsync(client, CalendarPath(Alice, name), "0", D + "displayname", D + "resourcetype");
        var calendar = read.Responses()[CalendarPath(Alice, name)];
        Assert.Equal("Via MKCOL", calendar.Prop(D + "displayname").Value);
        Assert.Contains(C + "calendar", calendar.Prop(D + "resourcetype").Elements().Select(e => e.Name));
    }

    [Fact]
    public async Task Mkcol_without_a_calendar_resourcetype_is_403_and_creates_nothing()
    {
        using var client = server.CreateClient(Alice);
        var plain = Unique("mkcol-plain");
        var noBody = await SendAsync(client, Xml(Mkcol, CalendarPath(Alice, plain), null));
        Assert.Equal(HttpStatusCode.Forbidden, noBody.Status);

        var collectionOnly = """
            <?xml version="1.0" encoding="utf-8"?>
            <D:mkcol xmlns:D="DAV:"><D:set><D:prop><D:resourcetype><D:collection/></D:resourcetype></D:prop></D:set></D:mkcol>
            """;
        var response = await SendAsync(client, Xml(Mkcol, CalendarPath(Alice, plain), collectionOnly));
        Assert.Equal(HttpStatusCode.Forbidden, response.Status);
        // RFC 5689 §3.3: the failure is reported per property, the resourcetype with DAV:valid-resourcetype.
        Assert.Contains(response.Xml.Descendants(D + "valid-resourcetype"), _ => true);

        var gone = await PropfindAsync(client, CalendarPath(Alice, plain), "0", D + "resourcetype");
        Assert.Equal(HttpStatusCode.NotFound, gone.Status);
    }

    [Fact]
    public async Task Delete_of_a_calendar_removes_it_and_its_objects()
    {
        using var client = server.CreateClient(Alice);
        var name = Unique("del");
        var path = await MakeCalendarAsync(client, Alice, name);
        await PutNewAsync(client, path + "one.ics", Event(Unique("uid")));
        await PutNewAsync(client, path + "two.ics", Event(Unique("uid")));
        var tokenBefore = (await PropfindAsync(client, path, "0", D + "sync-token")).Responses()[path].Prop(D + "sync-token").Value;

        var deleted = await SendAsync(client, new HttpRequestMessage(HttpMethod.Delete, path));
        Assert.Equal(HttpStatusCode.NoContent, deleted.Status);
        Assert.Equal(HttpStatusCode.NotFound, (await GetAsync(client, path + "one.ics")).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await PropfindAsync(client, path, "0", D + "resourcetype")).Status);
        var home = await PropfindAsync(client, "/calendars/alice/", "1", D + "resourcetype");
        Assert.DoesNotContain(path, home.Responses().Keys);

        await MakeCalendarAsync(client, Alice, name);
        var listing = await PropfindAsync(client, path, "1", D + "getetag", D + "sync-token");
        var responses = listing.Responses();
        Assert.Equal([path], responses.Keys);
        Assert.NotEqual(tokenBefore, responses[path].Prop(D + "sync-token").Value);
        Assert.Equal(HttpStatusCode.NotFound, (await GetAsync(client, path + "two.ics")).Status);

        // The old token belongs to the deleted calendar: it is not valid for the new one (RFC 6578 §3.2).
        var sync = await SendAsync(client, Xml(Report, path,
            $"""<D:sync-collection xmlns:D="DAV:"><D:sync-token>{tokenBefore}</D:sync-token><D:sync-level>1</D:sync-level><D:prop><D:getetag/></D:prop></D:sync-collection>"""));
        Assert.Equal(HttpStatusCode.Forbidden, sync.Status);
        Assert.Contains(D + "valid-sync-token", sync.ErrorConditions());
    }

    [Fact]
    public async Task Delete_of_a_missing_calendar_is_404()
    {
        using var client = server.CreateClient(Alice);
        var response = await SendAsync(client, new HttpRequestMessage(HttpMethod.Delete, CalendarPath(Alice, Unique("never"))));
        Assert.Equal(HttpStatusCode.NotFound, response.Status);
    }
}

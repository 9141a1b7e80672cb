using System.Net;
using System.Xml.Linq;
using static Caldera.Functions.Tests.Dav.DavHelpers;

namespace Caldera.Functions.Tests.Dav;

/// <summary>calendar-multiget and calendar-query (RFC 4791 §7.8–7.9), sync-collection (RFC 6578), unknown reports (RFC 3253 §3.6).</summary>
[Collection(CalderaServerCollection.Name)]
public sealed class ReportTests(CalderaServerFixture server)
{
    const string Alice = CalderaServerFixture.Alice;

    const string Ns = """xmlns:D="DAV:" xmlns:C="urn:ietf:params:xml:ns:caldav" """;

    static string Multiget(params string[] hrefs) =>
        $"""<C:calendar-multiget {Ns}><D:prop><D:getetag/><C:calendar-data/></D:prop>{string.Concat(hrefs.Select(h => $"<D:href>{h}</D:href>"))}</C:calendar-multiget>""";

    static string Sync(string token) =>
        $"""<D:sync-collection {Ns}><D:sync-token>{token}</D:sync-token><D:sync-level>1</D:sync-level><D:prop><D:getetag/></D:prop></D:sync-collection>""";

    static string TimeRangeQuery(string start, string end) => $"""
        <C:calendar-query {Ns}>
          <D:prop><D:getetag/></D:prop>
          <C:filter><C:comp-filter name="VCALENDAR"><C:comp-filter name="VEVENT">
            <C:time-range start="{start}" end="{end}"/>
          </C:comp-filter></C:comp-filter></C:filter>
        </C:calendar-query>
        """;

    [Fact]
    public async Task Multiget_returns_found_objects_with_etag_and_data_and_404_for_unknown_hrefs()
    {
        using var client = server.CreateClient(Alice);
        var path = await MakeCalendarAsync(client, Alice, Unique("mg"));
        var one = Event(Unique("uid"), "one");
        var two = Event(Unique("uid"), "two");
        var etag1 = await PutNewAsync(client, path + "one.ics", one);
        var etag2 = await PutNewAsync(client, path + "two.ics", two);
        await PutNewAsync(client, path + "three.ics", Event(Unique("uid"), "three"));

        var response = await SendAsync(client, Xml(Report, path, Multiget(path + "one.ics", path + "two.ics", path + "missing.ics"), "1"));
        Assert.Equal((HttpStatusCode)207, response.Status);
        var responses = response.Responses();
        Assert.Equal(3, responses.Count);
        Assert.Equal(etag1, responses[path + "one.ics"].Prop(D + "getetag").Value);
        Assert.Equal(one, responses[path + "one.ics"].Prop(C + "calendar-data").Value.Replace("\n", "\r\n").Replace("\r\r\n", "\r\n"));
        Assert.Equal(etag2, responses[path + "two.ics"].Prop(D + "getetag").Value);
        Assert.Contains("SUMMARY:two", responses[path + "two.ics"].Prop(C + "calendar-data").Value);
        Assert.Equal(404, responses[path + "missing.ics"].ResponseStatus());
        Assert.DoesNotContain(path + "three.ics", responses.Keys);
    }

    [Fact]
    public async Task Sync_collection_initial_then_delta_after_create_update_and_delete()
    {
        using var client = server.CreateClient(Alice);
        var path = await MakeCalendarAsync(client, Alice, Unique("sync"));
        var uidA = Unique("uid");
        var etagA = await PutNewAsync(client, path + "a.ics", Event(uidA, "a"));
        await PutNewAsync(client, path + "b.ics", Event(Unique("uid"), "b"));
        var etagC = await PutNewAsync(client, path + "c.ics", Event(Unique("uid"), "c"));

        var initial = await SendAsync(client, Xml(Report, path, Sync("")));
        Assert.Equal((HttpStatusCode)207, initial.Status);
        var members = initial.Responses();
        Assert.Equal([path + "a.ics", path + "b.ics", path + "c.ics"], members.Keys.Order());
        Assert.Equal(etagC, members[path + "c.ics"].Prop(D + "getetag").Value);
        var token = initial.Xml.Root!.Element(D + "sync-token")?.Value;
        Assert.False(string.IsNullOrWhiteSpace(token));

        // Nothing changed: an empty delta with the same state.
        var none = await SendAsync(client, Xml(Report, path, Sync(token!)));
        Assert.Equal((HttpStatusCode)207, none.Status);
        Assert.Empty(none.Responses());

        var etagD = await PutNewAsync(client, path + "d.ics", Event(Unique("uid"), "d"));
        var update = Put(path + "a.ics", Event(uidA, "a, updated"));
        update.Headers.TryAddWithoutValidation("If-Match", etagA);
        var updated = await SendAsync(client, update);
        Assert.Equal(HttpStatusCode.NoContent, updated.Status);
        Assert.Equal(HttpStatusCode.NoContent, (await SendAsync(client, new HttpRequestMessage(HttpMethod.Delete, path + "b.ics"))).Status);

        var delta = await SendAsync(client, Xml(Report, path, Sync(token!)));
        Assert.Equal((HttpStatusCode)207, delta.Status);
        var changed = delta.Responses();
        Assert.Equal([path + "a.ics", path + "b.ics", path + "d.ics"], changed.Keys.Order());
        Assert.Equal(updated.ETag, changed[path + "a.ics"].Prop(D + "getetag").Value);
        Assert.Equal(etagD, changed[path + "d.ics"].Prop(D + "getetag").Value);
        Assert.Equal(404, changed[path + "b.ics"].ResponseStatus());
        var newToken = delta.Xml.Root!.Element(D + "sync-token")?.Value;
        Assert.False(string.IsNullOrWhiteSpace(newToken));
        Assert.NotEqual(token, newToken);

        // The collection's sync-token property is the state the delta reported.
        var property = await PropfindAsync(client, path, "0", D + "sync-token");
        Assert.Equal(newToken, property.Responses()[path].Prop(D + "sync-token").Value);
    }

    [Theory]
    [InlineData("http://example.com/not-a-token")]
    [InlineData("garbage")]
    public async Task A_bogus_sync_token_is_403_valid_sync_token(string token)
    {
        using var client = server.CreateClient(Alice);
        var response = await SendAsync(client, Xml(Report, "/calendars/alice/default/", Sync(token)));
        Assert.Equal(HttpStatusCode.Forbidden, response.Status);
        Assert.Contains(D + "valid-sync-token", response.ErrorConditions());
    }

    [Fact]
    public async Task A_token_of_another_calendar_is_403_valid_sync_token()
    {
        using var client = server.CreateClient(Alice);
        var other = await MakeCalendarAsync(client, Alice, Unique("sync-other"));
        var token = (await PropfindAsync(client, other, "0", D + "sync-token")).Responses()[other].Prop(D + "sync-token").Value;
        var response = await SendAsync(client, Xml(Report, "/calendars/alice/default/", Sync(token)));
        Assert.Equal(HttpStatusCode.Forbidden, response.Status);
        Assert.Contains(D + "valid-sync-token", response.ErrorConditions());
    }

    [Fact]
    public async Task Calendar_query_time_range_matches_recurring_events_by_their_instances()
    {
        using var client = server.CreateClient(Alice);
        var path = await MakeCalendarAsync(client, Alice, Unique("query"));
        // Weekly on Tuesdays from 2 January 2024: only a later instance (5 March) falls in the range.
        await PutNewAsync(client, path + "weekly.ics", Event(Unique("uid"), "weekly", "20240102T090000Z", "20240102T100000Z",
            "RRULE:FREQ=WEEKLY\r\n"));
        // Weekly too, but the 5 March instance is excluded.
        await PutNewAsync(client, path + "exdate.ics", Event(Unique("uid"), "excluded", "20240102T140000Z", "20240102T150000Z",
            "RRULE:FREQ=WEEKLY\r\nEXDATE:20240305T140000Z\r\n"));
        // Weekly, with the 5 March instance moved to Thursday 7 March.
        var movedUid = Unique("uid");
        var moved = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Caldera tests//EN\r\n" +
            $"BEGIN:VEVENT\r\nUID:{movedUid}\r\nDTSTAMP:20240101T000000Z\r\nDTSTART:20240102T160000Z\r\nDTEND:20240102T170000Z\r\nRRULE:FREQ=WEEKLY\r\nSUMMARY:moved\r\nEND:VEVENT\r\n" +
            $"BEGIN:VEVENT\r\nUID:{movedUid}\r\nDTSTAMP:20240101T000000Z\r\nRECURRENCE-ID:20240305T160000Z\r\nDTSTART:20240307T160000Z\r\nDTEND:20240307T170000Z\r\nSUMMARY:moved instance\r\nEND:VEVENT\r\n" +
            "END:VCALENDAR\r\n";
        await PutNewAsync(client, path + "moved.ics", moved);
        // A weekly series that ended before the range, and a one-off in January.
        await PutNewAsync(client, path + "ended.ics", Event(Unique("uid"), "ended", "20240102T090000Z", "20240102T100000Z",
            "RRULE:FREQ=WEEKLY;COUNT=4\r\n"));
        await PutNewAsync(client, path + "single.ics", Event(Unique("uid"), "single", "20240110T100000Z", "20240110T110000Z"));

        var tuesday = await SendAsync(client, Xml(Report, path, TimeRangeQuery("20240305T000000Z", "20240306T000000Z"), "1"));
        Assert.Equal((HttpStatusCode)207, tuesday.Status);
        Assert.Equal([path + "weekly.ics"], tuesday.Responses().Keys);

        var thursday = await SendAsync(client, Xml(Report, path, TimeRangeQuery("20240307T000000Z", "20240308T000000Z"), "1"));
        Assert.Equal((HttpStatusCode)207, thursday.Status);
        Assert.Equal([path + "moved.ics"], thursday.Responses().Keys);

        var january = await SendAsync(client, Xml(Report, path, TimeRangeQuery("20240110T103000Z", "20240110T103100Z"), "1"));
        Assert.Equal([path + "single.ics"], january.Responses().Keys);
    }

    [Fact]
    public async Task A_time_range_that_ends_before_it_starts_is_400_valid_filter()
    {
        using var client = server.CreateClient(Alice);
        var response = await SendAsync(client, Xml(Report, "/calendars/alice/default/", TimeRangeQuery("20240310T000000Z", "20240301T000000Z"), "1"));
        Assert.Equal(HttpStatusCode.BadRequest, response.Status);
        Assert.Contains(C + "valid-filter", response.ErrorConditions());
    }

    [Theory]
    [InlineData("""<D:acl-principal-prop-set xmlns:D="DAV:"><D:prop><D:displayname/></D:prop></D:acl-principal-prop-set>""")]
    [InlineData("""<X:made-up-report xmlns:X="urn:example:reports"/>""")]
    public async Task An_unsupported_report_is_403_supported_report(string body)
    {
        using var client = server.CreateClient(Alice);
        var response = await SendAsync(client, Xml(Report, "/calendars/alice/default/", body, "0"));
        Assert.Equal(HttpStatusCode.Forbidden, response.Status);
        Assert.Contains(D + "supported-report", response.ErrorConditions());
    }

    [Fact]
    public async Task A_calendar_report_on_the_home_is_403_supported_report()
    {
        using var client = server.CreateClient(Alice);
        var response = await SendAsync(client, Xml(Report, "/calendars/alice/", Sync("")));
        Assert.Equal(HttpStatusCode.Forbidden, response.Status);
        Assert.Contains(D + "supported-report", response.ErrorConditions());
    }
}

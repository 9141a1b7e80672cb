using System.Net;
using System.Text;
using Caldera.Dav;
using Caldera.Dav.Handlers;
using Caldera.Dav.Properties;
using Caldera.Dav.Reports;
using Caldera.Dav.Xml;
using static Caldera.Functions.Tests.Dav.DavHelpers;

namespace Caldera.Functions.Tests.Dav;

/// <summary>Each documented request limit (README "Limits") at its number and one past it, over HTTP.</summary>
[Collection(CalderaServerCollection.Name)]
public sealed class RequestLimitTests(CalderaServerFixture server)
{
    const string Alice = CalderaServerFixture.Alice;
    const string Ns = """xmlns:D="DAV:" xmlns:C="urn:ietf:params:xml:ns:caldav" xmlns:X="urn:x-limits" """;

    /// <summary>A PROPFIND whose one property holds elements nested to <paramref name="levels"/> levels in all.</summary>
    static string NestedPropfind(int levels)
    {
        // propfind and prop are two levels; the rest is X:n inside X:n.
        var inner = levels - 2;
        return $"<D:propfind {Ns}><D:prop>" + string.Concat(Enumerable.Repeat("<X:n>", inner)) +
               string.Concat(Enumerable.Repeat("</X:n>", inner)) + "</D:prop></D:propfind>";
    }

    [Fact]
    public async Task Xml_nested_to_the_limit_is_read_and_one_level_deeper_is_400()
    {
        using var client = server.CreateClient(Alice);
        var at = await SendAsync(client, Xml(Propfind, "/calendars/alice/", NestedPropfind(DavXml.MaxDepth), "0"));
        Assert.Equal(HttpStatusCode.MultiStatus, at.Status);
        var over = await SendAsync(client, Xml(Propfind, "/calendars/alice/", NestedPropfind(DavXml.MaxDepth + 1), "0"));
        Assert.Equal(HttpStatusCode.BadRequest, over.Status);
        Assert.Contains($"deeper than {DavXml.MaxDepth}", over.Text);
    }

    [Fact]
    public async Task A_dead_property_nested_80000_deep_is_400_and_not_stored()
    {
        using var client = server.CreateClient(Alice);
        var path = await MakeCalendarAsync(client, Alice, Unique("deep"));
        const int levels = 80_000; // 880 kB, under the size limit
        var body = $"<D:propertyupdate {Ns}><D:set><D:prop><X:deep>" + string.Concat(Enumerable.Repeat("<X:n>", levels)) +
                   string.Concat(Enumerable.Repeat("</X:n>", levels)) + "</X:deep></D:prop></D:set></D:propertyupdate>";
        var response = await SendAsync(client, Xml(Proppatch, path, body));
        Assert.Equal(HttpStatusCode.BadRequest, response.Status);
        var after = await PropfindAsync(client, path, "0", XNs + "deep");
        Assert.Equal(404, after.Responses()[path].StatusOf(XNs + "deep"));
    }

    static readonly System.Xml.Linq.XNamespace XNs = "urn:x-limits";

    static string PropfindNaming(int count) =>
        $"<D:propfind {Ns}><D:prop>" + string.Concat(Enumerable.Range(0, count).Select(i => $"<X:p{i}/>")) + "</D:prop></D:propfind>";

    [Fact]
    public async Task A_propfind_may_name_the_limit_of_properties_and_one_more_is_413()
    {
        using var client = server.CreateClient(Alice);
        var at = await SendAsync(client, Xml(Propfind, "/calendars/alice/", PropfindNaming(PropRequest.MaxProperties), "0"));
        Assert.Equal(HttpStatusCode.MultiStatus, at.Status);
        Assert.Equal(404, at.Responses()["/calendars/alice/"].StatusOf(XNs + $"p{PropRequest.MaxProperties - 1}"));
        var over = await SendAsync(client, Xml(Propfind, "/calendars/alice/", PropfindNaming(PropRequest.MaxProperties + 1), "0"));
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, over.Status);
        Assert.Contains($"at most {PropRequest.MaxProperties} properties", over.Text);
    }

    /// <summary>Sets the display name and removes (absent) dead properties: <paramref name="count"/> instructions in all.</summary>
    static string ProppatchOf(int count, string displayName) =>
        $"<D:propertyupdate {Ns}><D:set><D:prop><D:displayname>{displayName}</D:displayname></D:prop></D:set><D:remove><D:prop>" +
        string.Concat(Enumerable.Range(0, count - 1).Select(i => $"<X:r{i}/>")) + "</D:prop></D:remove></D:propertyupdate>";

    [Fact]
    public async Task A_proppatch_of_the_limit_of_properties_applies_and_one_more_is_507_for_each_and_changes_nothing()
    {
        using var client = server.CreateClient(Alice);
        var path = await MakeCalendarAsync(client, Alice, Unique("pp-limit"));
        var at = await SendAsync(client, Xml(Proppatch, path, ProppatchOf(ProppatchHandler.MaxProperties, "at the limit")));
        Assert.Equal(HttpStatusCode.MultiStatus, at.Status);
        Assert.Equal(200, at.Responses()[path].StatusOf(D + "displayname"));
        Assert.Equal(200, at.Responses()[path].StatusOf(XNs + "r0"));

        var over = await SendAsync(client, Xml(Proppatch, path, ProppatchOf(ProppatchHandler.MaxProperties + 1, "one too many")));
        Assert.Equal(HttpStatusCode.MultiStatus, over.Status);
        Assert.Equal(507, over.Responses()[path].StatusOf(D + "displayname"));
        Assert.Equal(507, over.Responses()[path].StatusOf(XNs + $"r{ProppatchHandler.MaxProperties - 1}"));
        var name = (await PropfindAsync(client, path, "0", D + "displayname")).Responses()[path].Prop(D + "displayname").Value;
        Assert.Equal("at the limit", name);
    }

    static string MultigetOf(string path, int count) =>
        $"<C:calendar-multiget {Ns}><D:prop><D:getetag/></D:prop>" +
        string.Concat(Enumerable.Range(0, count).Select(i => $"<D:href>{path}m{i}.ics</D:href>")) + "</C:calendar-multiget>";

    [Fact]
    public async Task A_multiget_of_the_limit_of_hrefs_is_answered_and_one_more_is_403()
    {
        using var client = server.CreateClient(Alice);
        var path = await MakeCalendarAsync(client, Alice, Unique("mg-limit"));
        await PutNewAsync(client, path + "m0.ics", Event(Unique("uid")));
        var limit = new DavOptions().MaxMultigetHrefs;

        var at = await SendAsync(client, Xml(Report, path, MultigetOf(path, limit), "1"));
        Assert.Equal(HttpStatusCode.MultiStatus, at.Status);
        var responses = at.Responses();
        Assert.Equal(limit, responses.Count);
        Assert.Equal(404, responses[path + $"m{limit - 1}.ics"].ResponseStatus());
        Assert.Equal(200, responses[path + "m0.ics"].StatusOf(D + "getetag"));

        var over = await SendAsync(client, Xml(Report, path, MultigetOf(path, limit + 1), "1"));
        Assert.Equal(HttpStatusCode.Forbidden, over.Status);
        Assert.Contains($"at most {limit} hrefs", over.Text);
    }

    [Fact]
    public async Task An_xml_body_of_exactly_the_limit_is_read()
    {
        using var client = server.CreateClient(Alice);
        var limit = new DavOptions().MaxXmlBodySize;
        var xml = $"<D:propfind {Ns}><D:prop><D:displayname/></D:prop></D:propfind>";
        var body = xml + new string(' ', (int)limit - Encoding.UTF8.GetByteCount(xml));
        Assert.Equal(limit, Encoding.UTF8.GetByteCount(body));
        Assert.Equal(HttpStatusCode.MultiStatus, (await SendAsync(client, Xml(Propfind, "/calendars/alice/", body, "0"))).Status);
        // One byte more is refused (the 413 itself, over a mebibyte, is BadInputTests.An_xml_body_over_one_mebibyte_is_413).
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, (await SendAsync(client, Xml(Propfind, "/calendars/alice/", body + " ", "0"))).Status);
    }

    static string ExpandQuery(string start, string end) => $"""
        <C:calendar-query {Ns}>
          <D:prop><C:calendar-data><C:expand start="{start}" end="{end}"/></C:calendar-data></D:prop>
          <C:filter><C:comp-filter name="VCALENDAR"><C:comp-filter name="VEVENT">
            <C:time-range start="{start}" end="{end}"/>
          </C:comp-filter></C:comp-filter></C:filter>
        </C:calendar-query>
        """;

    /// <summary>
    /// The expansion window needs no bound of its own: the work is bounded by the instances looked at (5000 per
    /// object), whatever the window. At the cap an every-minute series expands; one minute more is 403 max-instances;
    /// a ten-instance series expands in the widest window a query may name (1900-2100, CALDAV:min/max-date-time).
    /// </summary>
    [Fact]
    public async Task Expansion_is_bounded_by_instances_not_by_the_window()
    {
        using var client = server.CreateClient(Alice);
        var path = await MakeCalendarAsync(client, Alice, Unique("expand-limit"));
        await PutNewAsync(client, path + "minutely.ics", Event(Unique("uid"), "every minute", "20240101T000000Z", "20240101T000100Z", "RRULE:FREQ=MINUTELY\r\n"));
        var cap = Caldera.Calendars.Query.CalendarDataFilter.DefaultMaxInstances;
        var start = new DateTime(2024, 1, 1, 0, 0, 0, DateTimeKind.Utc);
        static string Utc(DateTime t) => t.ToString("yyyyMMdd'T'HHmmss'Z'");

        // Instances start on the minute and last one; a window ending 30 s into minute N overlaps N + 1 of them. The cap
        // counts instances looked at, which may include a few the recurrence jump steps over just before the window, so
        // the window just under it holds cap - 10.
        var under = cap - 10;
        var at = await SendAsync(client, Xml(Report, path, ExpandQuery(Utc(start), Utc(start.AddMinutes(under - 1).AddSeconds(30))), "1"));
        Assert.Equal(HttpStatusCode.MultiStatus, at.Status);
        var data = at.Responses()[path + "minutely.ics"].Prop(C + "calendar-data").Value;
        Assert.Equal(under, data.Split("BEGIN:VEVENT").Length - 1);

        var over = await SendAsync(client, Xml(Report, path, ExpandQuery(Utc(start), Utc(start.AddMinutes(cap).AddSeconds(30))), "1"));
        Assert.Equal(HttpStatusCode.Forbidden, over.Status);
        Assert.Contains(C + "max-instances", over.ErrorConditions());

        var sparse = await MakeCalendarAsync(client, Alice, Unique("expand-wide"));
        await PutNewAsync(client, sparse + "ten.ics", Event(Unique("uid"), "ten days", "19000101T100000Z", "19000101T110000Z", "RRULE:FREQ=DAILY;COUNT=10\r\n"));
        // The widest window a query may name (CALDAV:min-date-time .. max-date-time) expands ten instances to ten.
        var ten = await SendAsync(client, Xml(Report, sparse, ExpandQuery(DateLimits.MinText, DateLimits.MaxText), "1"));
        Assert.Equal(HttpStatusCode.MultiStatus, ten.Status);
        Assert.Equal(10, ten.Responses()[sparse + "ten.ics"].Prop(C + "calendar-data").Value.Split("BEGIN:VEVENT").Length - 1);
    }
}

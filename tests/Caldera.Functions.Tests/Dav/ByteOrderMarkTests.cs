using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Caldera.Calendars;
using Caldera.Storage;
using Microsoft.Extensions.DependencyInjection;
using static Caldera.Functions.Tests.Dav.DavHelpers;
using static Caldera.Functions.Tests.Queries.QueryRequests;

namespace Caldera.Functions.Tests.Dav;

/// <summary>
/// Bodies with a byte-order mark (issue 12, item 5): a UTF-8 BOM is stripped at PUT (the stored body and its ETag
/// are of the stripped body), other encodings are refused, and no stored body, however unreadable, fails a report.
/// </summary>
[Collection(CalderaServerCollection.Name)]
public sealed class ByteOrderMarkTests(CalderaServerFixture server)
{
    const string Alice = CalderaServerFixture.Alice;
    const string Ns = """xmlns:D="DAV:" xmlns:C="urn:ietf:params:xml:ns:caldav" """;
    static readonly byte[] Utf8Bom = [0xEF, 0xBB, 0xBF];

    static HttpRequestMessage PutBytes(string path, byte[] body)
    {
        var request = new HttpRequestMessage(HttpMethod.Put, path) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse("text/calendar");
        return request;
    }

    static string Query(string start, string end, string data = "") => EventsIn(start, end, "<D:getetag/>" + data);

    [Fact]
    public async Task A_utf8_bom_is_stripped_at_put_and_the_object_is_found_by_queries_and_free_busy()
    {
        using var client = server.CreateClient(Alice);
        var path = await MakeCalendarAsync(client, Alice, Unique("bom"));
        var text = Event(Unique("uid"), "With BOM");
        var put = await SendAsync(client, PutBytes(path + "bom.ics", [.. Utf8Bom, .. Encoding.UTF8.GetBytes(text)]));
        Assert.True(put.Status == HttpStatusCode.Created, put.ToString());

        var get = await GetAsync(client, path + "bom.ics");
        Assert.Equal(Encoding.UTF8.GetBytes(text), get.Body); // stored without the BOM
        Assert.Equal(put.ETag, get.ETag);

        var query = await SendAsync(client, Xml(Report, path, Query("20240110T100000Z", "20240110T103000Z"), "1"));
        Assert.True(query.Status == HttpStatusCode.MultiStatus, query.ToString());
        Assert.Equal([path + "bom.ics"], query.Responses().Keys);

        var busy = await SendAsync(client, Xml(Report, path, FreeBusy("20240110T000000Z", "20240111T000000Z"), "1"));
        Assert.True(busy.Status == HttpStatusCode.OK, busy.ToString());
        Assert.Contains("FREEBUSY:20240110T100000Z/20240110T110000Z", busy.Text);
    }

    [Fact]
    public async Task Bodies_stored_with_a_bom_or_unreadable_do_not_fail_any_report()
    {
        using var client = server.CreateClient(Alice);
        var name = Unique("oldbom");
        var path = await MakeCalendarAsync(client, Alice, name);
        await PutNewAsync(client, path + "plain.ics", Event(Unique("uid"), "Plain", "20240110T120000Z", "20240110T130000Z"));
        // As stored before the fix: the BOM kept in the body. And a body no parser can read, with an index row that names it.
        var store = server.Services.GetRequiredService<ICalendarStore>();
        var text = Event(Unique("uid"), "Old BOM");
        var parsed = CalendarObjectParser.Parse(Encoding.UTF8.GetBytes(text), ["VEVENT"]);
        await store.PutObjectAsync(Alice, name, "old.ics", Write(parsed, [.. Utf8Bom, .. Encoding.UTF8.GetBytes(text)]), WriteConditions.None, default);
        await store.PutObjectAsync(Alice, name, "broken.ics", Write(parsed with { Uid = Unique("uid") }, Encoding.UTF8.GetBytes("BEGIN:VCALENDAR\r\nnonsense")),
            WriteConditions.None, default);

        const string start = "20240110T000000Z", end = "20240111T000000Z";
        var query = await SendAsync(client, Xml(Report, path, Query(start, end), "1"));
        Assert.True(query.Status == HttpStatusCode.MultiStatus, query.ToString());
        Assert.Equal([path + "old.ics", path + "plain.ics"], query.Responses().Keys.Order());
        var withData = await SendAsync(client, Xml(Report, path, Query(start, end, "<C:calendar-data/>"), "1"));
        Assert.True(withData.Status == HttpStatusCode.MultiStatus, withData.ToString());
        Assert.StartsWith("BEGIN:VCALENDAR", withData.Responses()[path + "old.ics"].Prop(DavHelpers.C + "calendar-data").Value);
        var expanded = await SendAsync(client, Xml(Report, path,
            Query(start, end, $"""<C:calendar-data><C:expand start="{start}" end="{end}"/></C:calendar-data>"""), "1"));
        Assert.True(expanded.Status == HttpStatusCode.MultiStatus, expanded.ToString());

        var busy = await SendAsync(client, Xml(Report, path, FreeBusy(start, end), "1"));
        Assert.True(busy.Status == HttpStatusCode.OK, busy.ToString());
        Assert.Contains("FREEBUSY:20240110T100000Z/20240110T110000Z", busy.Text);
        Assert.Contains("FREEBUSY:20240110T120000Z/20240110T130000Z", busy.Text);

        var home = await SendAsync(client, Xml(Report, $"/calendars/{Alice}/", FreeBusy(start, end), "1"));
        Assert.True(home.Status == HttpStatusCode.OK, home.ToString());

        foreach (var data in new[] { "<C:calendar-data/>", $"""<C:calendar-data><C:expand start="{start}" end="{end}"/></C:calendar-data>""" })
        {
            var multiget = await SendAsync(client, Xml(Report, path, $"""
                <C:calendar-multiget {Ns}><D:prop><D:getetag/>{data}</D:prop>
                  <D:href>{path}old.ics</D:href><D:href>{path}broken.ics</D:href><D:href>{path}plain.ics</D:href>
                </C:calendar-multiget>
                """, "1"));
            Assert.True(multiget.Status == HttpStatusCode.MultiStatus, multiget.ToString());
            Assert.Equal(3, multiget.Responses().Count);
            var sync = await SendAsync(client, Xml(Report, path, $"""
                <D:sync-collection {Ns}><D:sync-token/><D:sync-level>1</D:sync-level><D:prop><D:getetag/>{data}</D:prop></D:sync-collection>
                """));
            Assert.True(sync.Status == HttpStatusCode.MultiStatus, sync.ToString());
            Assert.Equal(3, sync.Responses().Count);
        }
    }

    [Theory]
    [InlineData(new byte[] { 0xFF, 0xFE })] // UTF-16 LE
    [InlineData(new byte[] { 0xFE, 0xFF })] // UTF-16 BE
    public async Task A_utf16_body_is_refused_as_unsupported_calendar_data(byte[] bom)
    {
        using var client = server.CreateClient(Alice);
        var path = await MakeCalendarAsync(client, Alice, Unique("utf16"));
        var encoding = bom[0] == 0xFF ? Encoding.Unicode : Encoding.BigEndianUnicode;
        var response = await SendAsync(client, PutBytes(path + "u16.ics", [.. bom, .. encoding.GetBytes(Event(Unique("uid")))]));
        Assert.True(response.Status == HttpStatusCode.UnsupportedMediaType, response.ToString());
        Assert.Contains(DavHelpers.C + "supported-calendar-data", response.ErrorConditions());
    }

    static ObjectWrite Write(ParsedCalendarObject parsed, byte[] body) => new()
    {
        Uid = parsed.Uid, Component = parsed.Component, Body = body, RangeStart = parsed.RangeStart,
        RangeEnd = parsed.RangeEnd, Recurring = parsed.Recurring, EnvelopeExact = false,
    };
}

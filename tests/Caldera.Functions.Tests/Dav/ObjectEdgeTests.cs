using System.Net;
using Caldera.Storage;
using Microsoft.Extensions.DependencyInjection;
using static Caldera.Functions.Tests.Dav.DavHelpers;

namespace Caldera.Functions.Tests.Dav;

/// <summary>Less travelled object paths: UID rules across updates and calendars, names that need encoding, weak tags, call counts.</summary>
[Collection(CalderaServerCollection.Name)]
public sealed class ObjectEdgeTests(CalderaServerFixture server)
{
    const string Alice = CalderaServerFixture.Alice;

    [Fact]
    public async Task Overwriting_an_object_with_a_different_uid_is_403_no_uid_conflict()
    {
        // RFC 4791 §5.3.2.1: a PUT MUST NOT "overwrite an existing calendar object resource with one that has a different UID".
        using var client = server.CreateClient(Alice);
        var path = await MakeCalendarAsync(client, Alice, Unique("uidchange"));
        var body = Event(Unique("uid"), "original");
        await PutNewAsync(client, path + "item.ics", body);

        var response = await SendAsync(client, Put(path + "item.ics", Event(Unique("uid"), "replaced")));
        Assert.Equal(HttpStatusCode.Forbidden, response.Status);
        Assert.Equal(path + "item.ics", response.Condition(C + "no-uid-conflict").Element(D + "href")?.Value);
        Assert.Equal(body, (await GetAsync(client, path + "item.ics")).Text);
    }

    [Fact]
    public async Task The_same_uid_may_live_in_two_calendars()
    {
        using var client = server.CreateClient(Alice);
        var a = await MakeCalendarAsync(client, Alice, Unique("uid2a"));
        var b = await MakeCalendarAsync(client, Alice, Unique("uid2b"));
        var body = Event(Unique("uid"));
        await PutNewAsync(client, a + "x.ics", body);
        await PutNewAsync(client, b + "x.ics", body);
    }

    [Fact]
    public async Task A_uid_freed_by_delete_can_be_used_again()
    {
        using var client = server.CreateClient(Alice);
        var path = await MakeCalendarAsync(client, Alice, Unique("uidfree"));
        var body = Event(Unique("uid"));
        await PutNewAsync(client, path + "old.ics", body);
        Assert.Equal(HttpStatusCode.NoContent, (await SendAsync(client, new HttpRequestMessage(HttpMethod.Delete, path + "old.ics"))).Status);
        await PutNewAsync(client, path + "new.ics", body);
    }

    [Fact]
    public async Task Names_that_need_percent_encoding_round_trip_through_hrefs()
    {
        using var client = server.CreateClient(Alice);
        var path = await MakeCalendarAsync(client, Alice, Unique("names"));
        const string name = "été 2024 & co@home.ics";
        var href = path + Uri.EscapeDataString(name);
        var body = Event(Unique("uid"), "Accents");
        var etag = await PutNewAsync(client, href, body);

        var listing = await PropfindAsync(client, path, "1", D + "getetag");
        var responses = listing.Responses();
        var listed = Assert.Single(responses.Keys, k => k != path);
        Assert.Equal(name, Uri.UnescapeDataString(listed[path.Length..]));
        Assert.Equal(etag, responses[listed].Prop(D + "getetag").Value);
        // The href the server gave is one the server takes back.
        Assert.Equal(body, (await GetAsync(client, listed)).Text);

        // multiget with an href encoded differently (only what must be escaped) still finds it.
        var loose = path + "%C3%A9t%C3%A9%202024%20%26%20co@home.ics";
        var multiget = await SendAsync(client, Xml(Report, path,
            $"""<C:calendar-multiget xmlns:D="DAV:" xmlns:C="urn:ietf:params:xml:ns:caldav"><D:prop><D:getetag/></D:prop><D:href>{loose.Replace("&", "&amp;")}</D:href></C:calendar-multiget>"""));
        var found = Assert.Single(multiget.Responses());
        Assert.Equal(etag, found.Value.Prop(D + "getetag").Value);

        var token = (await SendAsync(client, Xml(Report, path,
            """<D:sync-collection xmlns:D="DAV:"><D:sync-token/><D:sync-level>1</D:sync-level><D:prop><D:getetag/></D:prop></D:sync-collection>""")))
            .Xml.Root!.Element(D + "sync-token")!.Value;
        Assert.Equal(HttpStatusCode.NoContent, (await SendAsync(client, new HttpRequestMessage(HttpMethod.Delete, listed))).Status);
        var delta = await SendAsync(client, Xml(Report, path,
            $"""<D:sync-collection xmlns:D="DAV:"><D:sync-token>{token}</D:sync-token><D:sync-level>1</D:sync-level><D:prop><D:getetag/></D:prop></D:sync-collection>"""));
        var gone = Assert.Single(delta.Responses());
        Assert.Equal(listed, gone.Key);
        Assert.Equal(404, gone.Value.ResponseStatus());
    }

    [Fact]
    public async Task Weak_tags_never_satisfy_if_match_but_do_if_none_match()
    {
        using var client = server.CreateClient(Alice);
        var path = await MakeCalendarAsync(client, Alice, Unique("weak"));
        var uid = Unique("uid");
        var body = Event(uid);
        var etag = await PutNewAsync(client, path + "x.ics", body);

        // RFC 9110 §13.1.1: If-Match uses the strong comparison, so W/"x" never matches.
        var put = Put(path + "x.ics", Event(uid, "changed"));
        put.Headers.TryAddWithoutValidation("If-Match", "W/" + etag);
        Assert.Equal(HttpStatusCode.PreconditionFailed, (await SendAsync(client, put)).Status);
        Assert.Equal(body, (await GetAsync(client, path + "x.ics")).Text);

        // §13.1.2: If-None-Match uses the weak comparison.
        var get = new HttpRequestMessage(HttpMethod.Get, path + "x.ics");
        get.Headers.TryAddWithoutValidation("If-None-Match", "\"other\", W/" + etag);
        Assert.Equal(HttpStatusCode.NotModified, (await SendAsync(client, get)).Status);

        // A list holding the current tag satisfies If-Match.
        var listed = Put(path + "x.ics", Event(uid, "changed"));
        listed.Headers.TryAddWithoutValidation("If-Match", "\"other\", " + etag);
        Assert.Equal(HttpStatusCode.NoContent, (await SendAsync(client, listed)).Status);
    }

    [Fact]
    public async Task Get_with_a_wrong_if_match_is_412_and_if_none_match_star_on_a_new_name_is_201()
    {
        using var client = server.CreateClient(Alice);
        var path = await MakeCalendarAsync(client, Alice, Unique("cond"));
        var put = Put(path + "x.ics", Event(Unique("uid")));
        put.Headers.TryAddWithoutValidation("If-None-Match", "*");
        Assert.Equal(HttpStatusCode.Created, (await SendAsync(client, put)).Status);
        var get = new HttpRequestMessage(HttpMethod.Get, path + "x.ics");
        get.Headers.TryAddWithoutValidation("If-Match", "\"nope\"");
        Assert.Equal(HttpStatusCode.PreconditionFailed, (await SendAsync(client, get)).Status);
    }

    [Fact]
    public async Task Ctag_and_sync_token_change_with_every_write_and_object_props_are_listed()
    {
        using var client = server.CreateClient(Alice);
        var path = await MakeCalendarAsync(client, Alice, Unique("ctag"));
        async Task<(string Ctag, string Token)> StateAsync()
        {
            var r = (await PropfindAsync(client, path, "0", CS + "getctag", D + "sync-token")).Responses()[path];
            return (r.Prop(CS + "getctag").Value, r.Prop(D + "sync-token").Value);
        }
        var s0 = await StateAsync();
        var uid = Unique("uid");
        var body = Event(uid);
        var etag = await PutNewAsync(client, path + "x.ics", body);
        var s1 = await StateAsync();
        Assert.NotEqual(s0.Ctag, s1.Ctag);
        Assert.NotEqual(s0.Token, s1.Token);

        var listing = await PropfindAsync(client, path, "1", D + "getetag", D + "getcontenttype", D + "getcontentlength", D + "resourcetype");
        var item = listing.Responses()[path + "x.ics"];
        Assert.Equal(etag, item.Prop(D + "getetag").Value);
        Assert.StartsWith("text/calendar", item.Prop(D + "getcontenttype").Value);
        Assert.Equal(System.Text.Encoding.UTF8.GetByteCount(body).ToString(System.Globalization.CultureInfo.InvariantCulture), item.Prop(D + "getcontentlength").Value);
        Assert.Empty(item.Prop(D + "resourcetype").Elements());

        Assert.Equal(HttpStatusCode.NoContent, (await SendAsync(client, new HttpRequestMessage(HttpMethod.Delete, path + "x.ics"))).Status);
        var s2 = await StateAsync();
        Assert.NotEqual(s1.Ctag, s2.Ctag);
        Assert.NotEqual(s1.Token, s2.Token);
    }

    [Fact]
    public async Task Listing_a_calendar_costs_the_same_table_calls_for_few_or_many_objects()
    {
        using var client = server.CreateClient(Alice);
        var counter = server.Services.GetRequiredService<StorageCallCounter>();
        var small = await MakeCalendarAsync(client, Alice, Unique("calls-s"));
        var large = await MakeCalendarAsync(client, Alice, Unique("calls-l"));
        for (int i = 0; i < 3; i++)
            await PutNewAsync(client, $"{small}{i}.ics", Event(Unique("uid")));
        for (int i = 0; i < 60; i++)
            await PutNewAsync(client, $"{large}{i}.ics", Event(Unique("uid")));

        async Task<long> CallsAsync(Func<Task<DavResponse>> request)
        {
            await request(); // warm any caches first
            var before = counter.Total;
            var response = await request();
            Assert.Equal((HttpStatusCode)207, response.Status);
            return counter.Total - before;
        }
        var smallCalls = await CallsAsync(() => PropfindAsync(client, small, "1", D + "getetag"));
        var largeCalls = await CallsAsync(() => PropfindAsync(client, large, "1", D + "getetag"));
        Assert.True(largeCalls <= smallCalls + 1, $"PROPFIND Depth 1: {smallCalls} calls for 3 objects, {largeCalls} for 60");

        string Multiget(string cal, int n) =>
            $"""<C:calendar-multiget xmlns:D="DAV:" xmlns:C="urn:ietf:params:xml:ns:caldav"><D:prop><D:getetag/></D:prop>{string.Concat(Enumerable.Range(0, n).Select(i => $"<D:href>{cal}{i}.ics</D:href>"))}</C:calendar-multiget>""";
        // The store reads up to 50 names by point reads (in parallel), more by one range query over the calendar.
        var smallGet = await CallsAsync(() => SendAsync(client, Xml(Report, small, Multiget(small, 3))));
        var largeGet = await CallsAsync(() => SendAsync(client, Xml(Report, large, Multiget(large, 60))));
        Assert.True(smallGet <= 3 + 3, $"multiget of 3 etags: {smallGet} calls");
        Assert.True(largeGet <= smallGet, $"multiget of etags: {smallGet} calls for 3 objects, {largeGet} for 60");
    }
}

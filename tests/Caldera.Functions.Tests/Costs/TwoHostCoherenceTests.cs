using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Xml.Linq;
using Caldera.Functions.Tests.Dav;
using Caldera.LocalHost;
using static Caldera.Functions.Tests.Dav.DavHelpers;

namespace Caldera.Functions.Tests.Costs;

/// <summary>
/// Two local hosts on one Azurite are two instances of the app, each with its own snapshots: whatever is written
/// through one is seen by the very next request through the other, whichever read it makes.
/// </summary>
public sealed class TwoHostCoherenceTests : IAsyncLifetime
{
    const string User = "carol";
    const string Password = "two-hosts-password-1";
    RunningServer _a = null!, _b = null!;

    public async Task InitializeAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        _a = await CalderaLocalServer.StartAsync(new LocalServerOptions { Port = 0, InMemory = true, User = User, Password = Password }, timeout.Token);
        _b = await CalderaLocalServer.StartAsync(new LocalServerOptions { Port = 0, Storage = _a.StorageConnectionString, User = null }, timeout.Token);
    }

    public async Task DisposeAsync()
    {
        await _b.DisposeAsync();
        await _a.DisposeAsync();
    }

    static HttpClient Client(RunningServer server)
    {
        var client = new HttpClient { BaseAddress = server.BaseUri };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{User}:{Password}")));
        return client;
    }

    static string Multiget(string path, params string[] names) =>
        "<C:calendar-multiget xmlns:D=\"DAV:\" xmlns:C=\"urn:ietf:params:xml:ns:caldav\"><D:prop><D:getetag/><C:calendar-data/></D:prop>" +
        string.Concat(names.Select(n => $"<D:href>{path}{n}</D:href>")) + "</C:calendar-multiget>";

    const string WeekQuery =
        "<C:calendar-query xmlns:D=\"DAV:\" xmlns:C=\"urn:ietf:params:xml:ns:caldav\"><D:prop><D:getetag/></D:prop><C:filter>" +
        "<C:comp-filter name=\"VCALENDAR\"><C:comp-filter name=\"VEVENT\"><C:time-range start=\"20240108T000000Z\" end=\"20240115T000000Z\"/>" +
        "</C:comp-filter></C:comp-filter></C:filter></C:calendar-query>";

    static string Sync(string token) =>
        $"<D:sync-collection xmlns:D=\"DAV:\"><D:sync-token>{token}</D:sync-token><D:sync-level>1</D:sync-level><D:prop><D:getetag/></D:prop></D:sync-collection>";

    /// <summary>What B answers for the calendar, through every kind of read: names with their ETags.</summary>
    static async Task<Dictionary<string, string>> ViewAsync(HttpClient b, string path, string[] names)
    {
        var listing = (await PropfindAsync(b, path, "1", D + "getetag")).Responses()
            .Where(r => r.Key != path).ToDictionary(r => r.Key[path.Length..], r => r.Value.Prop(D + "getetag").Value);
        var query = (await SendAsync(b, Xml(Report, path, WeekQuery, "1"))).Responses()
            .ToDictionary(r => r.Key[path.Length..], r => r.Value.Prop(D + "getetag").Value);
        Assert.Equal(listing.OrderBy(x => x.Key), query.OrderBy(x => x.Key)); // every object of the test is in that week
        var multiget = (await SendAsync(b, Xml(Report, path, Multiget(path, names), "1"))).Responses();
        foreach (var name in names)
        {
            var get = await GetAsync(b, path + name);
            if (listing.TryGetValue(name, out var etag))
            {
                Assert.Equal(HttpStatusCode.OK, get.Status);
                Assert.Equal(etag, get.ETag);
                Assert.Equal(etag, multiget[path + name].Prop(D + "getetag").Value);
                Assert.Contains($"UID:{UidOf(get.Text)}", multiget[path + name].Prop(C + "calendar-data").Value);
            }
            else
            {
                Assert.Equal(HttpStatusCode.NotFound, get.Status);
                Assert.Equal(404, multiget[path + name].ResponseStatus());
            }
        }
        return listing;
    }

    static string UidOf(string ics) => ics.Split("\r\n").First(l => l.StartsWith("UID:", StringComparison.Ordinal))[4..];

    [Fact]
    public async Task Writes_through_one_host_are_seen_by_the_next_request_through_the_other()
    {
        using var a = Client(_a);
        using var b = Client(_b);
        var path = await MakeCalendarAsync(a, User, "shared");
        string[] names = ["one.ics", "two.ics", "three.ics", "moved.ics"];
        foreach (var (name, i) in names[..3].Select((n, i) => (n, i)))
            await PutNewAsync(a, path + name, Event(name, "v1", $"2024011{i}T100000Z", $"2024011{i}T110000Z"));
        var first = await ViewAsync(b, path, names); // B is warm now
        Assert.Equal(["one.ics", "three.ics", "two.ics"], first.Keys.Order());
        var token = (await PropfindAsync(b, path, "0", D + "sync-token")).Responses()[path].Prop(D + "sync-token").Value;

        // Update, delete, move through A: B's next requests see each.
        var updated = await SendAsync(a, Put(path + "one.ics", Event("one.ics", "v2", "20240112T100000Z", "20240112T120000Z")));
        Assert.Equal(HttpStatusCode.NoContent, updated.Status);
        var view = await ViewAsync(b, path, names);
        Assert.Equal(updated.ETag, view["one.ics"]);
        Assert.Contains("SUMMARY:v2", (await GetAsync(b, path + "one.ics")).Text);

        Assert.Equal(HttpStatusCode.NoContent, (await SendAsync(a, new HttpRequestMessage(HttpMethod.Delete, path + "two.ics"))).Status);
        Assert.Equal(["one.ics", "three.ics"], (await ViewAsync(b, path, names)).Keys.Order());

        var move = new HttpRequestMessage(Move, path + "three.ics");
        move.Headers.Add("Destination", new Uri(_a.BaseUri, path + "moved.ics").ToString());
        Assert.Equal(HttpStatusCode.Created, (await SendAsync(a, move)).Status);
        Assert.Equal(["moved.ics", "one.ics"], (await ViewAsync(b, path, names)).Keys.Order());

        var delta = (await SendAsync(b, Xml(Report, path, Sync(token), "1"))).Responses();
        Assert.Equal(["moved.ics", "one.ics", "three.ics", "two.ics"], delta.Keys.Select(k => k[path.Length..]).Order());
        Assert.Equal(404, delta[path + "two.ics"].ResponseStatus());
        Assert.Equal(404, delta[path + "three.ics"].ResponseStatus());

        // The calendar deleted and made again under its name through A: B serves only the new one, and the old token is refused.
        Assert.Equal(HttpStatusCode.NoContent, (await SendAsync(a, new HttpRequestMessage(HttpMethod.Delete, path))).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await PropfindAsync(b, path, "1", D + "getetag")).Status);
        await MakeCalendarAsync(a, User, "shared");
        await PutNewAsync(a, path + "two.ics", Event("two-again", "new", "20240110T100000Z", "20240110T110000Z"));
        Assert.Equal(["two.ics"], (await ViewAsync(b, path, names)).Keys);
        var stale = await SendAsync(b, Xml(Report, path, Sync(token), "1"));
        Assert.Equal(HttpStatusCode.Forbidden, stale.Status);
        Assert.Contains(D + "valid-sync-token", stale.ErrorConditions());
    }
    [Fact]
    public async Task Dead_properties_set_through_one_host_are_seen_through_the_other()
    {
        using var a = Client(_a);
        using var b = Client(_b);
        var path = await MakeCalendarAsync(a, User, "props");
        await PutNewAsync(a, path + "one.ics", Event("one", "v1"));
        XName mine = XNamespace.Get("urn:example:client") + "mine";
        await PropfindAsync(b, path, "1", D + "getetag", mine); // B is warm now

        static string Patch(string instruction) =>
            $"<D:propertyupdate xmlns:D=\"DAV:\" xmlns:E=\"urn:example:client\"><D:{instruction}><D:prop><E:mine E:a=\"1\">value</E:mine></D:prop></D:{instruction}></D:propertyupdate>";
        foreach (var target in new[] { path, path + "one.ics" })
            Assert.Equal(HttpStatusCode.MultiStatus, (await SendAsync(a, Xml(Proppatch, target, Patch("set")))).Status);
        var seen = (await PropfindAsync(b, path, "1", mine)).Responses();
        foreach (var target in new[] { path, path + "one.ics" })
        {
            Assert.Equal("value", seen[target].Prop(mine).Value);
            Assert.Equal("1", seen[target].Prop(mine).Attribute(XNamespace.Get("urn:example:client") + "a")?.Value);
        }

        Assert.Equal(HttpStatusCode.MultiStatus, (await SendAsync(a, Xml(Proppatch, path + "one.ics", Patch("remove")))).Status);
        var after = (await PropfindAsync(b, path, "1", mine)).Responses();
        Assert.Equal(404, after[path + "one.ics"].StatusOf(mine));
        Assert.Equal("value", after[path].Prop(mine).Value);
    }
}

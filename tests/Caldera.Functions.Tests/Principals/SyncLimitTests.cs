using System.Net;
using System.Xml.Linq;
using Caldera.Functions.Tests.Dav;
using static Caldera.Functions.Tests.Dav.DavHelpers;

namespace Caldera.Functions.Tests.Principals;

/// <summary>sync-collection with DAV:limit/DAV:nresults (RFC 6578 §3.7–3.8): truncation with 507, paging by token, bad limits.</summary>
[Collection(CalderaServerCollection.Name)]
public sealed class SyncLimitTests(CalderaServerFixture server)
{
    const string Alice = CalderaServerFixture.Alice;
    const string Ns = """xmlns:D="DAV:" xmlns:C="urn:ietf:params:xml:ns:caldav" """;

    static string Sync(string token, string? nresults) =>
        $"""<D:sync-collection {Ns}><D:sync-token>{token}</D:sync-token><D:sync-level>1</D:sync-level>{(nresults is null ? "" : $"<D:limit><D:nresults>{nresults}</D:nresults></D:limit>")}<D:prop><D:getetag/></D:prop></D:sync-collection>""";

    sealed record Page(List<string> Changed, List<string> Deleted, bool Truncated, string Token);

    async Task<Page> SyncAsync(HttpClient client, string path, string token, int? nresults)
    {
        var response = await SendAsync(client, Xml(Report, path, Sync(token, nresults?.ToString(System.Globalization.CultureInfo.InvariantCulture)), "1"));
        Assert.True(response.Status == (HttpStatusCode)207, response.ToString());
        var root = response.Xml.Root!;
        var changed = new List<string>();
        var deleted = new List<string>();
        var truncated = false;
        foreach (var r in root.Elements(D + "response"))
        {
            var href = r.Element(D + "href")!.Value;
            if (href == path)
            {
                Assert.Equal(507, r.ResponseStatus());
                Assert.NotNull(r.Element(D + "error")?.Element(D + "number-of-matches-within-limits"));
                truncated = true;
            }
            else if (r.ResponseStatus() == 404)
                deleted.Add(href[path.Length..]);
            else
            {
                Assert.NotEmpty(r.Prop(D + "getetag").Value);
                changed.Add(href[path.Length..]);
            }
        }
        if (nresults is { } n)
            Assert.True(changed.Count + deleted.Count <= n, $"more than {n} members: {response}");
        return new Page(changed, deleted, truncated, root.Element(D + "sync-token")!.Value);
    }

    /// <summary>Syncs page by page until no 507, checking no member is reported twice.</summary>
    async Task<(List<string> Changed, List<string> Deleted, string Token, int Pages)> SyncAllAsync(HttpClient client, string path, string token, int nresults)
    {
        var changed = new List<string>();
        var deleted = new List<string>();
        for (var pages = 1; pages < 50; pages++)
        {
            var page = await SyncAsync(client, path, token, nresults);
            changed.AddRange(page.Changed);
            deleted.AddRange(page.Deleted);
            token = page.Token;
            if (!page.Truncated)
                return (changed, deleted, token, pages);
        }
        throw new Xunit.Sdk.XunitException("paging never ended");
    }

    [Fact]
    public async Task Initial_sync_with_a_limit_pages_through_every_member_once()
    {
        using var client = server.CreateClient(Alice);
        var path = await MakeCalendarAsync(client, Alice, Unique("lim"));
        var names = Enumerable.Range(1, 5).Select(i => $"e{i}.ics").ToList();
        foreach (var name in names)
            await PutNewAsync(client, path + name, Event(Unique("uid")));
        // A member created then deleted before the sync is not part of the collection.
        await PutNewAsync(client, path + "gone.ics", Event(Unique("uid")));
        Assert.Equal(HttpStatusCode.NoContent, (await SendAsync(client, new HttpRequestMessage(HttpMethod.Delete, path + "gone.ics"))).Status);

        var first = await SyncAsync(client, path, "", 2);
        Assert.True(first.Truncated);
        Assert.Equal(2, first.Changed.Count);
        Assert.Empty(first.Deleted);

        var all = await SyncAllAsync(client, path, "", 2);
        Assert.Equal(3, all.Pages);
        Assert.Equal(names.Order(), all.Changed.Order());
        // Pages after the first are deltas from a mid-point token: gone.ics was created and removed after that
        // point, so it may be reported removed (RFC 6578 allows reporting members the client never saw); a live
        // member never is.
        Assert.All(all.Deleted, d => Assert.Equal("gone.ics", d));

        // Nothing has changed since the last token; without a limit the same token gives an empty delta.
        var after = await SyncAsync(client, path, all.Token, null);
        Assert.Empty(after.Changed);
        Assert.Empty(after.Deleted);
        Assert.False(after.Truncated);

        var unlimited = await SyncAsync(client, path, "", 10);
        Assert.False(unlimited.Truncated);
        Assert.Equal(names.Order(), unlimited.Changed.Order());
    }

    [Fact]
    public async Task Delta_with_a_limit_loses_no_change_even_when_writes_happen_between_pages()
    {
        using var client = server.CreateClient(Alice);
        var path = await MakeCalendarAsync(client, Alice, Unique("limd"));
        var uids = new Dictionary<string, string>();
        foreach (var name in new[] { "a.ics", "b.ics", "c.ics" })
            await PutNewAsync(client, path + name, Event(uids[name] = Unique("uid")));
        var start = (await SyncAsync(client, path, "", null)).Token;

        // Four changes: update a, delete b, add d and e.
        await SendAsync(client, Put(path + "a.ics", Event(uids["a.ics"], "changed")));
        Assert.Equal(HttpStatusCode.NoContent, (await SendAsync(client, new HttpRequestMessage(HttpMethod.Delete, path + "b.ics"))).Status);
        await PutNewAsync(client, path + "d.ics", Event(Unique("uid")));
        await PutNewAsync(client, path + "e.ics", Event(Unique("uid")));

        var first = await SyncAsync(client, path, start, 1);
        Assert.True(first.Truncated);
        Assert.Equal(new[] { "a.ics" }, first.Changed);

        // Between pages: a (already delivered) changes again and c changes; both must still arrive.
        await SendAsync(client, Put(path + "a.ics", Event(uids["a.ics"], "changed again")));
        await SendAsync(client, Put(path + "c.ics", Event(uids["c.ics"], "changed")));

        var rest = await SyncAllAsync(client, path, first.Token, 1);
        var changed = first.Changed.Concat(rest.Changed).ToList();
        Assert.Equal(new[] { "a.ics", "a.ics", "c.ics", "d.ics", "e.ics" }, changed.Order());
        Assert.Equal(new[] { "b.ics" }, rest.Deleted);
        Assert.Equal(new[] { "d.ics", "e.ics", "a.ics", "c.ics" }, rest.Changed); // oldest change first
        Assert.Equal(5, rest.Pages); // b, d, e, a, c: one member per page, the last one not truncated

        var caughtUp = await SyncAsync(client, path, rest.Token, 1);
        Assert.False(caughtUp.Truncated);
        Assert.Empty(caughtUp.Changed);
        Assert.Empty(caughtUp.Deleted);
    }

    [Fact]
    public async Task A_limit_that_is_not_reached_truncates_nothing()
    {
        using var client = server.CreateClient(Alice);
        var path = await MakeCalendarAsync(client, Alice, Unique("limn"));
        await PutNewAsync(client, path + "x.ics", Event(Unique("uid")));
        var start = (await SyncAsync(client, path, "", 1)).Token;
        await PutNewAsync(client, path + "y.ics", Event(Unique("uid")));
        var page = await SyncAsync(client, path, start, 1);
        Assert.False(page.Truncated);
        Assert.Equal(new[] { "y.ics" }, page.Changed);
    }

    [Theory]
    [InlineData("0", 400)]
    [InlineData("-1", 400)]
    [InlineData("+5", 400)]
    [InlineData("ten", 400)]
    [InlineData("", 400)]
    [InlineData("1.5", 400)]
    [InlineData("10001", 403)]
    [InlineData("99999999999999999999999999", 403)]
    public async Task Bad_or_huge_nresults_is_refused(string nresults, int status)
    {
        using var client = server.CreateClient(Alice);
        var path = await MakeCalendarAsync(client, Alice, Unique("limb"));
        var response = await SendAsync(client, Xml(Report, path, Sync("", nresults), "1"));
        Assert.True((int)response.Status == status, response.ToString());
        if (status == 403)
            Assert.Contains(D + "number-of-matches-within-limits", response.ErrorConditions());
    }

    [Fact]
    public async Task Two_nresults_are_refused_and_the_largest_allowed_limit_is_honoured()
    {
        using var client = server.CreateClient(Alice);
        var path = await MakeCalendarAsync(client, Alice, Unique("limt"));
        var twice = Sync("", "1").Replace("</D:nresults>", "</D:nresults><D:nresults>2</D:nresults>");
        Assert.Equal(HttpStatusCode.BadRequest, (await SendAsync(client, Xml(Report, path, twice, "1"))).Status);
        var max = await SendAsync(client, Xml(Report, path, Sync("", "10000"), "1"));
        Assert.True(max.Status == (HttpStatusCode)207, max.ToString());
        Assert.NotNull(XDocument.Parse(max.Text).Root!.Element(D + "sync-token"));
    }
}

using System.Net;
using System.Xml.Linq;
using static Caldera.Functions.Tests.Dav.DavHelpers;

namespace Caldera.Functions.Tests.Dav;

/// <summary>
/// RFC 6578 §3.2: a changed member's response carries at least one propstat and no status, even when the
/// request's DAV:prop names nothing; only a removed member is a bare 404 status.
/// </summary>
[Collection(CalderaServerCollection.Name)]
public sealed class SyncMemberPropstatTests(CalderaServerFixture server)
{
    const string Alice = CalderaServerFixture.Alice;

    static string EmptyPropSync(string token, string limit = "") =>
        $"""<D:sync-collection xmlns:D="DAV:"><D:sync-token>{token}</D:sync-token><D:sync-level>1</D:sync-level>{limit}<D:prop/></D:sync-collection>""";

    [Fact]
    public async Task Sync_collection_with_an_empty_prop_answers_changed_members_with_a_getetag_propstat()
    {
        using var client = server.CreateClient(Alice);
        var path = await MakeCalendarAsync(client, Alice, Unique("sync-empty"));
        var etagA = await PutNewAsync(client, path + "a.ics", Event(Unique("uid"), "a"));
        await PutNewAsync(client, path + "b.ics", Event(Unique("uid"), "b"));

        var initial = await SendAsync(client, Xml(Report, path, EmptyPropSync("")));
        Assert.Equal(HttpStatusCode.MultiStatus, initial.Status);
        var members = initial.Responses();
        Assert.Equal([path + "a.ics", path + "b.ics"], members.Keys.Order());
        AssertChanged(members[path + "a.ics"], etagA);
        var token = initial.Xml.Root!.Element(D + "sync-token")!.Value;

        var etagC = await PutNewAsync(client, path + "c.ics", Event(Unique("uid"), "c"));
        Assert.Equal(HttpStatusCode.NoContent, (await SendAsync(client, new HttpRequestMessage(HttpMethod.Delete, path + "b.ics"))).Status);

        var delta = await SendAsync(client, Xml(Report, path, EmptyPropSync(token)));
        Assert.Equal(HttpStatusCode.MultiStatus, delta.Status);
        var changed = delta.Responses();
        AssertChanged(changed[path + "c.ics"], etagC);
        AssertRemoved(changed[path + "b.ics"]);

        // The paged path (DAV:limit) answers the same way.
        var limited = await SendAsync(client, Xml(Report, path, EmptyPropSync(token, "<D:limit><D:nresults>10</D:nresults></D:limit>")));
        Assert.Equal(HttpStatusCode.MultiStatus, limited.Status);
        AssertChanged(limited.Responses()[path + "c.ics"], etagC);
        AssertRemoved(limited.Responses()[path + "b.ics"]);
    }

    static void AssertChanged(XElement response, string etag)
    {
        Assert.Null(response.Element(D + "status"));
        Assert.NotEmpty(response.Elements(D + "propstat"));
        Assert.Equal(etag, response.Prop(D + "getetag").Value);
    }

    static void AssertRemoved(XElement response)
    {
        Assert.Equal(404, response.ResponseStatus());
        Assert.Empty(response.Elements(D + "propstat"));
    }
}

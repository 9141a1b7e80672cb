using System.Net;
using static Caldera.Functions.Tests.Dav.DavHelpers;

namespace Caldera.Functions.Tests.Dav;

/// <summary>COPY and MOVE of calendar objects between two of a user's calendars (RFC 4918 §9.8–9.9, RFC 4791 §5.3.2).</summary>
[Collection(CalderaServerCollection.Name)]
public sealed class CopyMoveTests(CalderaServerFixture server)
{
    const string Alice = CalderaServerFixture.Alice;

    HttpRequestMessage Transfer(HttpMethod method, string from, string to, string? overwrite = null)
    {
        var request = new HttpRequestMessage(method, from);
        request.Headers.Add("Destination", new Uri(server.BaseUri, to).AbsoluteUri);
        if (overwrite is not null)
            request.Headers.Add("Overwrite", overwrite);
        return request;
    }

    [Fact]
    public async Task Copy_to_a_new_name_is_201_and_onto_an_existing_one_204()
    {
        using var client = server.CreateClient(Alice);
        var a = await MakeCalendarAsync(client, Alice, Unique("cpa"));
        var b = await MakeCalendarAsync(client, Alice, Unique("cpb"));
        var body = Event(Unique("uid"), "copied");
        await PutNewAsync(client, a + "item.ics", body);

        var copied = await SendAsync(client, Transfer(Copy, a + "item.ics", b + "item.ics"));
        Assert.Equal(HttpStatusCode.Created, copied.Status);
        Assert.Equal(body, (await GetAsync(client, b + "item.ics")).Text);
        Assert.Equal(body, (await GetAsync(client, a + "item.ics")).Text);

        // Same UID again onto the same target name: an overwrite.
        var again = await SendAsync(client, Transfer(Copy, a + "item.ics", b + "item.ics"));
        Assert.Equal(HttpStatusCode.NoContent, again.Status);
        Assert.Equal(body, (await GetAsync(client, b + "item.ics")).Text);
    }

    [Fact]
    public async Task Overwrite_F_onto_an_existing_target_is_412_and_leaves_it_alone()
    {
        using var client = server.CreateClient(Alice);
        var a = await MakeCalendarAsync(client, Alice, Unique("owa"));
        var b = await MakeCalendarAsync(client, Alice, Unique("owb"));
        await PutNewAsync(client, a + "src.ics", Event(Unique("uid"), "source"));
        var targetBody = Event(Unique("uid"), "target");
        await PutNewAsync(client, b + "dst.ics", targetBody);

        var copy = await SendAsync(client, Transfer(Copy, a + "src.ics", b + "dst.ics", "F"));
        Assert.Equal(HttpStatusCode.PreconditionFailed, copy.Status);
        var move = await SendAsync(client, Transfer(Move, a + "src.ics", b + "dst.ics", "F"));
        Assert.Equal(HttpStatusCode.PreconditionFailed, move.Status);
        Assert.Equal(targetBody, (await GetAsync(client, b + "dst.ics")).Text);
        Assert.Equal(HttpStatusCode.OK, (await GetAsync(client, a + "src.ics")).Status);
    }

    [Fact]
    public async Task Move_removes_the_source()
    {
        using var client = server.CreateClient(Alice);
        var a = await MakeCalendarAsync(client, Alice, Unique("mva"));
        var b = await MakeCalendarAsync(client, Alice, Unique("mvb"));
        var body = Event(Unique("uid"), "moving");
        await PutNewAsync(client, a + "item.ics", body);

        var moved = await SendAsync(client, Transfer(Move, a + "item.ics", b + "moved.ics"));
        Assert.Equal(HttpStatusCode.Created, moved.Status);
        Assert.Equal(HttpStatusCode.NotFound, (await GetAsync(client, a + "item.ics")).Status);
        Assert.Equal(body, (await GetAsync(client, b + "moved.ics")).Text);

        // The UID left the source calendar with the object: it can be used there again.
        Assert.Equal(HttpStatusCode.Created, (await SendAsync(client, Put(a + "again.ics", body))).Status);
    }

    [Fact]
    public async Task Move_onto_an_existing_target_is_204_and_removes_the_source()
    {
        using var client = server.CreateClient(Alice);
        var a = await MakeCalendarAsync(client, Alice, Unique("mvo-a"));
        var b = await MakeCalendarAsync(client, Alice, Unique("mvo-b"));
        var body = Event(Unique("uid"), "winner");
        await PutNewAsync(client, a + "item.ics", body);
        await PutNewAsync(client, b + "item.ics", Event(Unique("uid"), "loser"));

        var moved = await SendAsync(client, Transfer(Move, a + "item.ics", b + "item.ics", "T"));
        Assert.Equal(HttpStatusCode.NoContent, moved.Status);
        Assert.Equal(body, (await GetAsync(client, b + "item.ics")).Text);
        Assert.Equal(HttpStatusCode.NotFound, (await GetAsync(client, a + "item.ics")).Status);
    }

    [Fact]
    public async Task A_uid_already_in_the_target_under_another_name_is_403_no_uid_conflict()
    {
        using var client = server.CreateClient(Alice);
        var a = await MakeCalendarAsync(client, Alice, Unique("uca"));
        var b = await MakeCalendarAsync(client, Alice, Unique("ucb"));
        var uid = Unique("uid");
        await PutNewAsync(client, a + "src.ics", Event(uid, "source"));
        await PutNewAsync(client, b + "holder.ics", Event(uid, "holder"));

        var copy = await SendAsync(client, Transfer(Copy, a + "src.ics", b + "other.ics"));
        Assert.Equal(HttpStatusCode.Forbidden, copy.Status);
        Assert.Equal(b + "holder.ics", copy.Condition(C + "no-uid-conflict").Element(D + "href")?.Value);
        var move = await SendAsync(client, Transfer(Move, a + "src.ics", b + "other.ics"));
        Assert.Equal(HttpStatusCode.Forbidden, move.Status);
        Assert.Equal(b + "holder.ics", move.Condition(C + "no-uid-conflict").Element(D + "href")?.Value);
        Assert.Equal(HttpStatusCode.NotFound, (await GetAsync(client, b + "other.ics")).Status);
        Assert.Equal(HttpStatusCode.OK, (await GetAsync(client, a + "src.ics")).Status);
    }

    [Fact]
    public async Task Copying_a_vtodo_into_a_vevent_only_calendar_is_403_supported_calendar_component()
    {
        using var client = server.CreateClient(Alice);
        var tasks = await MakeCalendarAsync(client, Alice, Unique("cpt"), "VTODO");
        var events = await MakeCalendarAsync(client, Alice, Unique("cpe"), "VEVENT");
        await PutNewAsync(client, tasks + "task.ics", Todo(Unique("uid")));

        var copy = await SendAsync(client, Transfer(Copy, tasks + "task.ics", events + "task.ics"));
        Assert.Equal(HttpStatusCode.Forbidden, copy.Status);
        Assert.Contains(C + "supported-calendar-component", copy.ErrorConditions());
        Assert.Equal(HttpStatusCode.NotFound, (await GetAsync(client, events + "task.ics")).Status);
    }

    [Fact]
    public async Task Copy_to_another_users_calendar_is_refused_and_writes_nothing()
    {
        using var client = server.CreateClient(Alice);
        using var bob = server.CreateClient(CalderaServerFixture.Bob);
        var a = await MakeCalendarAsync(client, Alice, Unique("cpx"));
        await PutNewAsync(client, a + "item.ics", Event(Unique("uid")));
        var target = "/calendars/bob/default/" + Unique("stolen") + ".ics";
        var copy = await SendAsync(client, Transfer(Copy, a + "item.ics", target));
        Assert.True(copy.Status is HttpStatusCode.Forbidden or HttpStatusCode.NotFound or HttpStatusCode.Conflict, copy.ToString());
        Assert.Equal(HttpStatusCode.NotFound, (await GetAsync(bob, target)).Status);
    }
}

/// <summary>COPY and MOVE inside one calendar, and what sync-collection reports for them.</summary>
[Collection(CalderaServerCollection.Name)]
public sealed class CopyMoveWithinTests(CalderaServerFixture server)
{
    const string Alice = CalderaServerFixture.Alice;

    static HttpRequestMessage Transfer(HttpMethod method, string from, string to)
    {
        var request = new HttpRequestMessage(method, from);
        request.Headers.Add("Destination", to);
        return request;
    }

    static string Sync(string token) =>
        $"""<D:sync-collection xmlns:D="DAV:"><D:sync-token>{token}</D:sync-token><D:sync-level>1</D:sync-level><D:prop><D:getetag/></D:prop></D:sync-collection>""";

    [Fact]
    public async Task Copy_within_one_calendar_would_duplicate_the_uid_so_it_is_403()
    {
        using var client = server.CreateClient(Alice);
        var path = await MakeCalendarAsync(client, Alice, Unique("cpsame"));
        await PutNewAsync(client, path + "a.ics", Event(Unique("uid")));
        var copy = await SendAsync(client, Transfer(Copy, path + "a.ics", path + "b.ics"));
        Assert.Equal(HttpStatusCode.Forbidden, copy.Status);
        Assert.Equal(path + "a.ics", copy.Condition(C + "no-uid-conflict").Element(D + "href")?.Value);
        Assert.Equal(HttpStatusCode.NotFound, (await GetAsync(client, path + "b.ics")).Status);
    }

    [Fact]
    public async Task Move_within_one_calendar_renames_and_sync_reports_both_names()
    {
        using var client = server.CreateClient(Alice);
        var path = await MakeCalendarAsync(client, Alice, Unique("mvsame"));
        var body = Event(Unique("uid"));
        await PutNewAsync(client, path + "a.ics", body);
        var token = (await SendAsync(client, Xml(Report, path, Sync("")))).Xml.Root!.Element(D + "sync-token")!.Value;

        var moved = await SendAsync(client, Transfer(Move, path + "a.ics", path + "b.ics"));
        Assert.Equal(HttpStatusCode.Created, moved.Status);
        Assert.Equal(body, (await GetAsync(client, path + "b.ics")).Text);
        Assert.Equal(HttpStatusCode.NotFound, (await GetAsync(client, path + "a.ics")).Status);

        var delta = (await SendAsync(client, Xml(Report, path, Sync(token)))).Responses();
        Assert.Equal([path + "a.ics", path + "b.ics"], delta.Keys.Order());
        Assert.Equal(404, delta[path + "a.ics"].ResponseStatus());
        Assert.Equal(200, delta[path + "b.ics"].StatusOf(D + "getetag"));
    }

    [Fact]
    public async Task Move_to_another_calendar_shows_up_in_both_sync_deltas()
    {
        using var client = server.CreateClient(Alice);
        var a = await MakeCalendarAsync(client, Alice, Unique("mvsa"));
        var b = await MakeCalendarAsync(client, Alice, Unique("mvsb"));
        await PutNewAsync(client, a + "x.ics", Event(Unique("uid")));
        var tokenA = (await SendAsync(client, Xml(Report, a, Sync("")))).Xml.Root!.Element(D + "sync-token")!.Value;
        var tokenB = (await SendAsync(client, Xml(Report, b, Sync("")))).Xml.Root!.Element(D + "sync-token")!.Value;

        Assert.Equal(HttpStatusCode.Created, (await SendAsync(client, Transfer(Move, a + "x.ics", b + "x.ics"))).Status);

        var deltaA = (await SendAsync(client, Xml(Report, a, Sync(tokenA)))).Responses();
        Assert.Equal(404, Assert.Single(deltaA, r => r.Key == a + "x.ics").Value.ResponseStatus());
        var deltaB = (await SendAsync(client, Xml(Report, b, Sync(tokenB)))).Responses();
        Assert.Equal(200, Assert.Single(deltaB, r => r.Key == b + "x.ics").Value.StatusOf(D + "getetag"));
    }

    [Fact]
    public async Task Move_with_a_wrong_if_match_is_412_and_moves_nothing()
    {
        using var client = server.CreateClient(Alice);
        var a = await MakeCalendarAsync(client, Alice, Unique("mvim"));
        var b = await MakeCalendarAsync(client, Alice, Unique("mvim2"));
        await PutNewAsync(client, a + "x.ics", Event(Unique("uid")));
        var request = Transfer(Move, a + "x.ics", b + "x.ics");
        request.Headers.TryAddWithoutValidation("If-Match", "\"stale\"");
        Assert.Equal(HttpStatusCode.PreconditionFailed, (await SendAsync(client, request)).Status);
        Assert.Equal(HttpStatusCode.OK, (await GetAsync(client, a + "x.ics")).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await GetAsync(client, b + "x.ics")).Status);
    }
}

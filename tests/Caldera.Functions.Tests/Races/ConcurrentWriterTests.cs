using System.Collections.Concurrent;
using System.Net;
using System.Xml.Linq;
using Caldera.Functions.Tests.Dav;
using Xunit.Abstractions;
using static Caldera.Functions.Tests.Dav.DavHelpers;

namespace Caldera.Functions.Tests.Races;

/// <summary>
/// Issue 13, races: N clients (half on each of two instances) write one calendar at once over HTTP against Azurite.
/// Every answer must be a correct one (2xx, 412, 404 where the object is gone, or 503 with Retry-After, retried), no
/// acknowledged write may be lost or doubled, and the object index, the UID index and the change log must agree
/// afterwards. Correctness only: nothing here depends on timing.
/// </summary>
public sealed class ConcurrentWriterTests(TwoHostsFixture hosts, ITestOutputHelper output) : IClassFixture<TwoHostsFixture>
{
    const string User = TwoHostsFixture.User;

    [Theory]
    [InlineData(2)]
    [InlineData(8)]
    [InlineData(32)]
    public async Task Writers_of_one_object_with_if_match_leave_one_linear_history(int writers)
    {
        var tally = new RaceTally();
        var clients = Enumerable.Range(0, writers).Select(i => new RaceClient(hosts.Client(i), tally)).ToList();
        var path = await MakeCalendarAsync(clients[0].Http, User, Unique($"same{writers}"));
        var item = path + "item.ics";
        var uid = Unique("uid");
        var before = await TokenAsync(clients[1], path);
        var retriesBefore = hosts.WriteRetries;
        var seed = await clients[0].PutAsync(item, Event(uid, "seed"), "If-None-Match", "*");
        Assert.Equal(HttpStatusCode.Created, seed.Status);

        // Each success: the ETag its condition named (null: a create with If-None-Match: *) and the one it left (null: deleted).
        var successes = new ConcurrentBag<(string? From, string? To)> { (null, seed.ETag) };
        var rounds = Math.Max(4, 96 / writers);
        using var start = new SemaphoreSlim(0);
        var tasks = clients.Select(async (client, i) =>
        {
            await start.WaitAsync();
            for (var r = 0; r < rounds; r++)
            {
                var current = await client.GetAsync(item);
                if (current.Status == HttpStatusCode.NotFound)
                {
                    var create = await client.PutAsync(item, Event(uid, $"writer {i} round {r}"), "If-None-Match", "*");
                    Assert.True(create.Status is HttpStatusCode.Created or HttpStatusCode.PreconditionFailed, $"create: {create}");
                    if (create.Status == HttpStatusCode.Created)
                        successes.Add((null, create.ETag));
                    continue;
                }
                Assert.True(current.Status == HttpStatusCode.OK, $"GET: {current}");
                var etag = current.ETag!;
                if ((i + r) % 5 == 0)
                {
                    // RFC 9110 §13.2.1: DELETE of an object already gone is 404 whatever its If-Match says.
                    var delete = await client.DeleteAsync(item, etag);
                    Assert.True(delete.Status is HttpStatusCode.NoContent or HttpStatusCode.PreconditionFailed or HttpStatusCode.NotFound, $"DELETE: {delete}");
                    if (delete.Status == HttpStatusCode.NoContent)
                        successes.Add((etag, null));
                }
                else
                {
                    var update = await client.PutAsync(item, Event(uid, $"writer {i} round {r}"), "If-Match", etag);
                    Assert.True(update.Status is HttpStatusCode.NoContent or HttpStatusCode.PreconditionFailed, $"PUT If-Match: {update}");
                    if (update.Status == HttpStatusCode.NoContent)
                        successes.Add((etag, update.ETag));
                }
            }
        }).ToList();
        start.Release(writers);
        await Task.WhenAll(tasks);

        var final = await clients[0].GetAsync(item);
        var finalETag = final.Status == HttpStatusCode.OK ? final.ETag : null;
        Assert.Equal(finalETag, HistoryEnd(successes.ToList()));
        // Through the other instance too, and the change log: one revision per acknowledged write, and the delta says the final state.
        Assert.Equal(finalETag, (await clients[1].GetAsync(item)) is { Status: HttpStatusCode.OK } other ? other.ETag : null);
        var after = await TokenAsync(clients[1], path);
        Assert.Equal(successes.Count, SyncWatcher.RevisionOf(after) - SyncWatcher.RevisionOf(before));
        var watcher = new SyncWatcher(clients[1], path);
        await watcher.SyncAsync();
        Assert.Equal(finalETag is null ? [] : [(item, finalETag)], watcher.Members.Select(m => (m.Key, m.Value)));
        if (finalETag is not null)
            await AssertUidHeldAsync(clients[0], path, uid, item);
        output.WriteLine($"N={writers}: {tally.Requests} requests, {successes.Count} successful writes, {tally.Retries} answered 503 and retried, " +
                         $"{hosts.WriteRetries - retriesBefore} write attempts retried inside the servers");
    }

    [Theory]
    [InlineData(2)]
    [InlineData(8)]
    [InlineData(32)]
    public async Task Writers_of_different_objects_lose_nothing_and_a_sync_client_sees_every_change(int writers)
    {
        var tally = new RaceTally();
        var clients = Enumerable.Range(0, writers).Select(i => new RaceClient(hosts.Client(i), tally)).ToList();
        var path = await MakeCalendarAsync(clients[0].Http, User, Unique($"diff{writers}"));
        var watcher = new SyncWatcher(new RaceClient(hosts.Client(1), new RaceTally()), path);
        await watcher.SyncAsync();
        var before = SyncWatcher.RevisionOf(watcher.Token);
        var retriesBefore = hosts.WriteRetries;

        var kept = new ConcurrentDictionary<string, (string ETag, string Uid)>(StringComparer.Ordinal);
        var deletedUids = new ConcurrentBag<string>();
        var acknowledged = new ConcurrentDictionary<string, ConcurrentBag<string>>(StringComparer.Ordinal);
        var writes = 0;
        var rounds = Math.Max(3, 96 / writers);
        using var start = new SemaphoreSlim(0);
        var tasks = clients.Select(async (client, i) =>
        {
            await start.WaitAsync();
            for (var r = 0; r < rounds; r++)
            {
                var href = $"{path}w{i}-{r}.ics";
                var uid = Unique($"w{i}r{r}");
                var created = await client.PutAsync(href, Event(uid, "new"), "If-None-Match", "*");
                Assert.True(created.Status == HttpStatusCode.Created, $"create {href}: {created}");
                acknowledged.GetOrAdd(href, _ => []).Add(created.ETag!);
                var updated = await client.PutAsync(href, Event(uid, "updated"), "If-Match", created.ETag!);
                Assert.True(updated.Status == HttpStatusCode.NoContent, $"update {href}: {updated}");
                acknowledged[href].Add(updated.ETag!);
                Interlocked.Add(ref writes, 2);
                if (r % 3 == 2)
                {
                    var deleted = await client.DeleteAsync(href, updated.ETag!);
                    Assert.True(deleted.Status == HttpStatusCode.NoContent, $"delete {href}: {deleted}");
                    Interlocked.Increment(ref writes);
                    deletedUids.Add(uid);
                }
                else
                    kept[href] = (updated.ETag!, uid);
            }
        }).ToList();
        start.Release(writers);
        var running = Task.WhenAll(tasks);
        // The sync client reads while the writers run, following its tokens, then once more after they are done.
        while (!running.IsCompleted)
            await watcher.SyncAsync();
        await running;
        await watcher.SyncAsync();

        var expected = kept.ToDictionary(k => k.Key, k => k.Value.ETag, StringComparer.Ordinal);
        Assert.Equal(expected.OrderBy(e => e.Key), watcher.Members.OrderBy(e => e.Key));
        Assert.All(watcher.Seen, s => Assert.Contains(s.ETag, acknowledged[s.Href])); // never a state no writer was told of
        Assert.Equal(writes, SyncWatcher.RevisionOf(watcher.Token) - before); // one change-log revision per acknowledged write

        // Every listing agrees, through both instances; a fresh sync from no token too.
        foreach (var client in clients.Take(2))
        {
            var listed = (await client.SendAsync(() => Xml(Propfind, path, PropfindBody(D + "getetag"), "1"))).Responses()
                .Where(r => r.Key != path).ToDictionary(r => r.Key, r => r.Value.Prop(D + "getetag").Value);
            Assert.Equal(expected.OrderBy(e => e.Key), listed.OrderBy(e => e.Key));
            var queried = (await client.SendAsync(() => Xml(Report, path, EventQuery, "1"))).Responses()
                .ToDictionary(r => r.Key, r => r.Value.Prop(D + "getetag").Value);
            Assert.Equal(expected.OrderBy(e => e.Key), queried.OrderBy(e => e.Key));
            var fresh = new SyncWatcher(client, path);
            await fresh.SyncAsync();
            Assert.Equal(expected.OrderBy(e => e.Key), fresh.Members.OrderBy(e => e.Key));
        }

        // The UID index: every kept UID is held by its object, every deleted one is free again.
        foreach (var (href, (_, uid)) in kept)
            await AssertUidHeldAsync(clients[0], path, uid, href);
        foreach (var uid in deletedUids)
            Assert.Equal(HttpStatusCode.Created, (await clients[1].PutAsync($"{path}{uid}-again.ics", Event(uid, "again"), "If-None-Match", "*")).Status);
        output.WriteLine($"N={writers}: {tally.Requests} requests, {writes} writes, {tally.Retries} answered 503 and retried, " +
                         $"{hosts.WriteRetries - retriesBefore} write attempts retried inside the servers; " +
                         $"the sync client read {watcher.Deltas} deltas");
    }

    /// <summary>
    /// Two instances writing one calendar in turn: each write's request has read the calendar row the other instance
    /// left, and the write starts from that row instead of the one this instance last committed, so it is not retried.
    /// (Before, every such write failed once on the stale row: the retry count was 1.)
    /// </summary>
    [Fact]
    public async Task A_write_after_another_instances_write_starts_from_the_row_its_request_read()
    {
        var tally = new RaceTally();
        RaceClient a = new(hosts.Client(0), tally), b = new(hosts.Client(1), tally);
        var path = await MakeCalendarAsync(a.Http, User, Unique("stale"));
        Assert.Equal(HttpStatusCode.Created, (await a.PutAsync(path + "one.ics", Event(Unique("one")), "If-None-Match", "*")).Status);
        Assert.Equal(HttpStatusCode.Created, (await b.PutAsync(path + "two.ics", Event(Unique("two")), "If-None-Match", "*")).Status);
        var before = TwoHostsFixture.RetriesOf(hosts.A);
        var third = await a.PutAsync(path + "three.ics", Event(Unique("three")), "If-None-Match", "*");
        Assert.Equal(HttpStatusCode.Created, third.Status);
        Assert.Equal(0, TwoHostsFixture.RetriesOf(hosts.A) - before);
        var sync = new SyncWatcher(b, path);
        await sync.SyncAsync();
        Assert.Equal(["one.ics", "three.ics", "two.ics"], sync.Members.Keys.Select(h => h[path.Length..]).Order());
        Assert.Equal(third.ETag, sync.Members[path + "three.ics"]);
        Assert.Equal(3, SyncWatcher.RevisionOf(sync.Token)); // three writes, three revisions: none lost, none doubled
    }

    const string EventQuery =
        "<C:calendar-query xmlns:D=\"DAV:\" xmlns:C=\"urn:ietf:params:xml:ns:caldav\"><D:prop><D:getetag/></D:prop><C:filter>" +
        "<C:comp-filter name=\"VCALENDAR\"><C:comp-filter name=\"VEVENT\"/></C:comp-filter></C:filter></C:calendar-query>";

    static async Task<string> TokenAsync(RaceClient client, string path) =>
        (await client.SendAsync(() => Xml(Propfind, path, PropfindBody(D + "sync-token"), "0"))).Responses()[path].Prop(D + "sync-token").Value;

    /// <summary>A PUT of the UID under another name is refused with CALDAV:no-uid-conflict naming the holder.</summary>
    static async Task AssertUidHeldAsync(RaceClient client, string path, string uid, string holder)
    {
        var other = await client.PutAsync($"{path}{Unique("dup")}.ics", Event(uid, "duplicate"), "If-None-Match", "*");
        Assert.Equal(HttpStatusCode.Forbidden, other.Status);
        Assert.Equal(holder, other.Condition(C + "no-uid-conflict").Element(D + "href")?.Value);
    }

    /// <summary>
    /// Where the successful writes lead: they must form one history. ETags are unique per write, so from each create the
    /// next link is the write whose If-Match named the ETag the previous one left. No two writes may start from one ETag
    /// (a lost update), every write must be on the chain, and every segment but the last ends in a delete.
    /// </summary>
    static string? HistoryEnd(IReadOnlyList<(string? From, string? To)> successes)
    {
        var next = new Dictionary<string, string?>(StringComparer.Ordinal);
        foreach (var (from, to) in successes.Where(s => s.From is not null))
            Assert.True(next.TryAdd(from!, to), $"two successful writes both started from ETag {from}: an update was lost");
        var ends = new List<string>();
        var linked = 0;
        foreach (var create in successes.Where(s => s.From is null))
        {
            linked++;
            var current = create.To;
            while (current is not null && next.Remove(current, out var to))
            {
                linked++;
                current = to;
            }
            if (current is not null)
                ends.Add(current);
        }
        Assert.True(linked == successes.Count, $"only {linked} of {successes.Count} successful writes form one history");
        Assert.True(ends.Count <= 1, $"the history forks: it ends in {string.Join(", ", ends)}");
        return ends.SingleOrDefault();
    }
}

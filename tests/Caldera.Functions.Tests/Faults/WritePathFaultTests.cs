using System.Net;
using Caldera.Functions.Tests.Dav;
using Xunit.Abstractions;
using static Caldera.Functions.Tests.Dav.DavHelpers;
using static Caldera.Functions.Tests.Faults.ObjectWriteScenario;

namespace Caldera.Functions.Tests.Faults;

/// <summary>
/// Every object write path (PUT create/update, DELETE, MOVE and COPY across calendars, MOVE within one) is run once
/// to count its storage calls k, then once per (N in 1..k, fault kind, mode) against a fresh state with the Nth call
/// failing. With faults off afterwards: the answer was a success that happened or a 503 with Retry-After; every href
/// answers its old or its new state (all of them the same one, GET/HEAD/PROPFIND agreeing); sync-collection from a
/// token taken before reports exactly the hrefs that changed; the listing equals what GET finds; no index row names
/// a missing blob; the UID index agrees; the same href takes a later write. Orphan blobs are counted and reported.
/// </summary>
[Collection(FaultServerCollection.Name)]
public sealed class WritePathFaultTests(FaultServerFixture server, ITestOutputHelper output)
{
    [Fact]
    public Task Put_create_is_old_or_new_under_a_fault_at_every_call() => RunAsync("PUT create", async probe =>
    {
        var (cal, a) = await CalendarWithObjectAsync(probe);
        var b = cal + "b.ics";
        var body = LargeEvent(Unique("uid"), "created");
        var request = Put(b, body);
        request.Headers.TryAddWithoutValidation("If-None-Match", "*");
        var s = new ObjectWriteScenario { Request = request, Success = [HttpStatusCode.Created] };
        await AddCalendarAsync(probe, s, cal, a, b);
        s.Before[b] = ObjectState.Absent;
        s.After[b] = body;
        s.Uids[b] = UidOf(body);
        return s;
    });

    [Fact]
    public Task Put_update_is_old_or_new_under_a_fault_at_every_call() => RunAsync("PUT update", async probe =>
    {
        var (cal, a) = await CalendarWithObjectAsync(probe);
        var before = await probe.ReadAsync(a);
        var body = LargeEvent(UidOf(before.Body!), "updated");
        var request = Put(a, body);
        request.Headers.TryAddWithoutValidation("If-Match", before.ETag);
        var s = new ObjectWriteScenario { Request = request, Success = [HttpStatusCode.NoContent, HttpStatusCode.OK] };
        await AddCalendarAsync(probe, s, cal, a);
        s.Before[a] = before;
        s.After[a] = body;
        s.Uids[a] = UidOf(body);
        return s;
    });

    [Fact]
    public Task Delete_is_old_or_new_under_a_fault_at_every_call() => RunAsync("DELETE", async probe =>
    {
        var (cal, a) = await CalendarWithObjectAsync(probe);
        var before = await probe.ReadAsync(a);
        var request = new HttpRequestMessage(HttpMethod.Delete, a);
        request.Headers.TryAddWithoutValidation("If-Match", before.ETag);
        var s = new ObjectWriteScenario { Request = request, Success = [HttpStatusCode.NoContent, HttpStatusCode.OK] };
        await AddCalendarAsync(probe, s, cal, a);
        s.Before[a] = before;
        s.After[a] = null;
        s.Uids[a] = UidOf(before.Body!);
        return s;
    });

    [Fact]
    public Task Move_to_another_calendar_is_old_or_new_under_a_fault_at_every_call() => TransferAsync("MOVE across", move: true, across: true);

    [Fact]
    public Task Copy_to_another_calendar_is_old_or_new_under_a_fault_at_every_call() => TransferAsync("COPY across", move: false, across: true);

    [Fact]
    public Task Move_within_a_calendar_is_old_or_new_under_a_fault_at_every_call() => TransferAsync("MOVE within", move: true, across: false);

    Task TransferAsync(string name, bool move, bool across) => RunAsync(name, async probe =>
    {
        var (cal, a) = await CalendarWithObjectAsync(probe);
        var before = await probe.ReadAsync(a);
        var target = across ? await NewCalendarAsync(probe) : cal;
        var to = target + "moved.ics";
        var request = new HttpRequestMessage(move ? Move : Copy, a);
        request.Headers.Add("Destination", new Uri(server.Server.BaseUri, to).AbsoluteUri);
        var s = new ObjectWriteScenario { Request = request, Success = [HttpStatusCode.Created] };
        await AddCalendarAsync(probe, s, cal, a);
        await AddCalendarAsync(probe, s, target, to);
        s.Before[to] = ObjectState.Absent;
        s.After[to] = before.Body;
        s.Uids[to] = UidOf(before.Body!);
        if (move)
        {
            s.Before[a] = before;
            s.After[a] = null;
            s.Uids[a] = UidOf(before.Body!);
        }
        return s;
    });

    async Task RunAsync(string name, Func<FaultProbe, Task<ObjectWriteScenario>> setup)
    {
        using var client = server.Client();
        var probe = new FaultProbe(server, client);
        var matrix = new FaultMatrix(output);
        await matrix.RunAsync(name, async plan =>
        {
            var s = await setup(probe);
            var id = server.Arm(s.Request, plan);
            var response = await SendAsync(client, s.Request);
            return (server.PlanOf(id), await CheckAsync(probe, s, response, plan));
        });
    }

    /// <summary>The checks, with faults off; returns the orphan blobs left.</summary>
    static async Task<int> CheckAsync(FaultProbe probe, ObjectWriteScenario s, DavResponse response, FaultPlan plan)
    {
        var succeeded = s.Success.Contains(response.Status);
        if (!succeeded)
            FaultMatrix.AssertCleanError(response);

        // Old or new, all hrefs alike; new after a success.
        var versions = new Dictionary<string, string>();
        foreach (var (href, before) in s.Before)
        {
            var now = await probe.ReadAsync(href);
            var after = s.After[href];
            var isOld = now == before || now.Exists == before.Exists && now.Body == before.Body && now.ETag == before.ETag;
            var isNew = after is null ? !now.Exists : now.Exists && now.Body == after && now.ETag != before.ETag
                && (!succeeded || response.ETag is null || response.ETag == now.ETag);
            Assert.True(isOld || isNew, $"{href} is neither old nor new: {(now.Exists ? now.ETag : "absent")} (was {before.ETag ?? "absent"}), response {(int)response.Status} {response.ETag}");
            versions[href] = isNew && !isOld ? "new" : "old";
        }
        var state = versions.Values.Distinct().ToList();
        Assert.True(state.Count == 1, $"a mix of old and new: {string.Join(", ", versions.Select(v => $"{v.Key}={v.Value}"))}");
        var isNewState = state[0] == "new";
        Assert.True(!succeeded || isNewState, $"{(int)response.Status} answered but the state is old");

        // Sync reports exactly the changed hrefs; the listing is what GET finds.
        var orphans = 0;
        foreach (var (calendar, token) in s.TokensBefore)
        {
            var changed = await probe.ChangesSinceAsync(calendar, token);
            var expected = isNewState ? s.Before.Keys.Where(h => CalendarOf(h) == calendar).ToHashSet() : [];
            Assert.True(changed.Keys.ToHashSet().SetEquals(expected),
                $"sync of {calendar} reports [{string.Join(", ", changed.Keys)}], expected [{string.Join(", ", expected)}]");
            foreach (var href in expected)
                Assert.True(changed[href] == (s.After[href] is null), $"sync reports {href} {(changed[href] ? "gone" : "present")}");
            var listed = await probe.ListAsync(calendar);
            var found = new Dictionary<string, string>();
            foreach (var href in s.Hrefs[calendar])
                if (await probe.ReadAsync(href) is { Exists: true } there)
                    found[href] = there.ETag!;
            Assert.True(listed.Count == found.Count && listed.All(l => found.TryGetValue(l.Key, out var etag) && etag == l.Value),
                $"listing of {calendar} [{string.Join(", ", listed)}] differs from GET [{string.Join(", ", found)}]");
        }
        foreach (var calendar in s.Calendars)
            orphans += await probe.OrphansAsync(calendar);

        // The UID index agrees: a UID is refused elsewhere in a calendar while an object there has it, free once none has.
        var present = new Dictionary<string, bool>();
        foreach (var href in s.Uids.Keys)
            present[href] = (await probe.ReadAsync(href)).Exists;
        foreach (var group in s.Uids.GroupBy(u => (Calendar: CalendarOf(u.Key), Uid: u.Value)))
        {
            var held = group.Any(u => present[u.Key]);
            var elsewhere = group.Key.Calendar + Unique("uidcheck") + ".ics";
            var put = await probe.PutAsync(elsewhere, Event(group.Key.Uid, "same UID elsewhere"));
            if (held)
                Assert.True(FaultProbe.UidConflict(put) is not null, $"PUT of a held UID elsewhere in {group.Key.Calendar}: {put}");
            else
            {
                Assert.True(put.Status == HttpStatusCode.Created, $"PUT of a UID no object in {group.Key.Calendar} has any more: {put}");
                Assert.Equal(HttpStatusCode.NoContent, (await SendAsync(probe.Client, new HttpRequestMessage(HttpMethod.Delete, elsewhere))).Status);
            }
        }
        // A later write to each href succeeds and is what GET then answers (an update keeps its UID, a new object takes a new one).
        foreach (var href in s.Before.Keys)
        {
            var body = LargeEvent(present.GetValueOrDefault(href) ? s.Uids[href] : Unique("uid"), "later write");
            var put = await probe.PutAsync(href, body);
            Assert.True(put.Status is HttpStatusCode.Created or HttpStatusCode.NoContent, $"later PUT {href}: {put}");
            Assert.Equal(body, (await probe.ReadAsync(href)).Body);
        }
        return orphans;
    }

    static async Task<string> NewCalendarAsync(FaultProbe probe)
    {
        var name = Unique("f");
        return await MakeCalendarAsync(probe.Client, FaultProbe.User, name);
    }

    static async Task<(string Calendar, string Href)> CalendarWithObjectAsync(FaultProbe probe)
    {
        var cal = await NewCalendarAsync(probe);
        var a = cal + "a.ics";
        await PutNewAsync(probe.Client, a, LargeEvent(Unique("uid"), "original"));
        // A second object the write leaves alone: the listing and sync checks see that it stays.
        await PutNewAsync(probe.Client, cal + "other.ics", Event(Unique("uid"), "bystander"));
        return (cal, a);
    }

    static async Task AddCalendarAsync(FaultProbe probe, ObjectWriteScenario s, string calendar, params string[] hrefs)
    {
        if (!s.TokensBefore.ContainsKey(calendar))
        {
            s.TokensBefore[calendar] = await probe.SyncTokenAsync(calendar);
            s.Hrefs[calendar] = [calendar + "other.ics"];
            s.Calendars.Add(calendar.TrimEnd('/').Split('/')[^1]);
        }
        s.Hrefs[calendar].UnionWith(hrefs);
    }

    static string UidOf(string body) =>
        body.Split("\r\n").First(l => l.StartsWith("UID:", StringComparison.Ordinal))["UID:".Length..];
}

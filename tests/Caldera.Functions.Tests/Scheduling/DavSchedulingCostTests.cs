using System.Net;
using Caldera.Functions.Tests.Dav;
using Caldera.Storage;
using Microsoft.Extensions.DependencyInjection;
using Xunit.Abstractions;
using static Caldera.Functions.Tests.Dav.DavHelpers;

namespace Caldera.Functions.Tests.Scheduling;

/// <summary>
/// The scheduling hooks add no storage call of their own: with a scheduler registered, a scheduling PUT (create and
/// update) and DELETE of a warm calendar cost what the same plain writes cost (the existing object a PUT already reads
/// for no-uid-conflict is what the scheduler gets; a DELETE's read comes from the calendar's snapshot). What the
/// scheduler itself reads or sends is its own cost (the test scheduler here reads nothing).
/// </summary>
[Collection(DavSchedulingCollection.Name)]
public sealed class DavSchedulingCostTests(DavSchedulingFixture server, ITestOutputHelper output)
{
    StorageCallCounter Counter => server.Services.GetRequiredService<StorageCallCounter>();

    async Task<(long Tables, long Blobs)> MeasureAsync(string label, Func<Task<DavResponse>> request, HttpStatusCode expect, Func<Task> warmUp)
    {
        await warmUp();
        // A snapshot brought forward in the background is counted apart: wait until none is under way.
        var store = server.Services.GetRequiredService<TableCalendarStore>();
        for (var i = 0; i < 1000 && store.PendingLoads > 0; i++)
            await Task.Delay(10);
        Assert.Equal(0, store.PendingLoads);
        long tables = Counter.TotalOf(StorageService.Table), blobs = Counter.TotalOf(StorageService.Blob);
        var response = await request();
        Assert.True(response.Status == expect, $"{label}: {response}");
        var cost = (Counter.TotalOf(StorageService.Table) - tables, Counter.TotalOf(StorageService.Blob) - blobs);
        output.WriteLine($"{label}: {cost.Item1} table, {cost.Item2} blob");
        return cost;
    }

    [Fact]
    public async Task Scheduling_writes_cost_what_plain_writes_cost()
    {
        using var client = server.CreateClient("alice");
        var path = await MakeCalendarAsync(client, "alice", Unique("cost"));
        await PutNewAsync(client, path + "seed.ics", Event(Unique("u"), "seed"));
        Task WarmUp() => PropfindAsync(client, path, "1", D + "getetag"); // snapshot, credentials and registry all fresh

        string plainUid = Unique("p"), schedUid = Unique("s");
        var plainCreate = await MeasureAsync("plain PUT create", () => SendAsync(client, Put(path + "plain.ics", Event(plainUid, "plain"))), HttpStatusCode.Created, WarmUp);
        var schedCreate = await MeasureAsync("scheduling PUT create", () => SendAsync(client, Put(path + "sched.ics", Event(schedUid, "sched-a"))), HttpStatusCode.Created, WarmUp);
        var plainUpdate = await MeasureAsync("plain PUT update", () => SendAsync(client, Put(path + "plain.ics", Event(plainUid, "plain 2"))), HttpStatusCode.NoContent, WarmUp);
        var schedUpdate = await MeasureAsync("scheduling PUT update", () => SendAsync(client, Put(path + "sched.ics", Event(schedUid, "sched-b"))), HttpStatusCode.NoContent, WarmUp);
        var plainDelete = await MeasureAsync("plain DELETE", () => SendAsync(client, new HttpRequestMessage(HttpMethod.Delete, path + "plain.ics")), HttpStatusCode.NoContent, WarmUp);
        var schedDelete = await MeasureAsync("scheduling DELETE", () => SendAsync(client, new HttpRequestMessage(HttpMethod.Delete, path + "sched.ics")), HttpStatusCode.NoContent, WarmUp);

        Assert.Equal(plainCreate, schedCreate);
        Assert.Equal(plainUpdate, schedUpdate);
        Assert.Equal(plainDelete, schedDelete);
        Assert.Contains(server.Scheduler.CallsFor("sched.ics"), c => c.Call == "delete"); // the scheduler was really in the path
        // What a PUT has cost since issue 13 (row + transaction + body upload + replaced-body delete at most).
        Assert.InRange(schedUpdate.Tables + schedUpdate.Blobs, 1, 6);
    }
}

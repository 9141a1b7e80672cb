using Caldera.Storage.Tests.Infrastructure;
using Xunit.Abstractions;
using static Caldera.Storage.Tests.Infrastructure.TestStorage;

namespace Caldera.Storage.Tests;

/// <summary>Storage calls per operation are bounded (invariant 5); the measured numbers are printed.</summary>
public class CallCountTests(AzuriteFixture fixture, ITestOutputHelper output) : StorageTest(fixture)
{
    Task<(T Result, int Calls)> CountAsync<T>(string label, Func<Task<T>> operation) => S.CountAsync(label, operation, output);

    [Fact]
    public async Task Reads_and_writes_make_few_calls()
    {
        var cal = await S.CreateCalendarAsync("work");
        var totalBefore = S.Counter.Total;

        var (created, putNew) = await CountAsync("PUT new", () => S.PutAsync("work", "a.ics", Event("a")));
        Assert.Equal(WriteStatus.Created, created.Status);
        Assert.InRange(putNew, 1, 5);
        Assert.Equal(5, putNew); // calendar row, the owner's calendar rows for the quota (beside the upload), blob, index row, transaction

        var (updated, putUpdate) = await CountAsync("PUT update", () => S.PutAsync("work", "a.ics", Event("a", "2"), IfMatch(created.ETag!)));
        Assert.Equal(WriteStatus.Updated, updated.Status);
        // The quota sum of the owner's calendar rows, blob, index row, transaction, deleting the previous body; the calendar row
        // is the one this instance committed.
        Assert.Equal(5, putUpdate);

        var (failed, putFailed) = await CountAsync("PUT 412", () => S.PutAsync("work", "a.ics", Event("a"), IfNoneMatch("*")));
        Assert.Equal(WriteStatus.PreconditionFailed, failed.Status);
        // The body is uploaded before the gate; a failed condition then reads the calendar row to be sure, and deletes the upload.
        Assert.Equal(6, putFailed); // and the quota sum beside the upload

        var (record, get) = await CountAsync("GET index (resolved calendar)", () => S.Calendars.GetObjectAsync(cal, "a.ics", Ct));
        Assert.NotNull(record);
        Assert.Equal(1, get);
        var (_, getByName) = await CountAsync("GET index (by name)", () => S.Calendars.GetObjectAsync(Owner, "work", "a.ics", Ct));
        Assert.Equal(2, getByName);
        var (_, body) = await CountAsync("GET body", () => S.Calendars.ReadBodyAsync(record, Ct));
        Assert.Equal(0, body); // small bodies come inline with their index row
        var (_, changes) = await CountAsync("sync changes", () => S.Calendars.GetChangesAsync(cal with { Revision = 2 }, 0, Ct));
        Assert.Equal(1, changes);

        var (deleted, delete) = await CountAsync("DELETE", () => S.Calendars.DeleteObjectAsync(Owner, "work", "a.ics", WriteConditions.None, Ct));
        Assert.Equal(WriteStatus.Deleted, deleted.Status);
        Assert.Equal(4, delete); // calendar row, index row, transaction, blob

        Assert.Equal(totalBefore + putNew + putUpdate + putFailed + get + getByName + body + changes + delete, S.Counter.Total);
    }

    [Fact]
    public async Task Listing_250_objects_is_one_page_then_a_snapshot()
    {
        await S.CreateCalendarAsync("work");
        for (var i = 0; i < 250; i++)
            Assert.Equal(WriteStatus.Created, (await S.PutAsync("work", $"e{i:D3}.ics", Event($"u{i}"))).Status);
        var cal = (await S.GetCalendarAsync("work"))!;

        var (objects, calls) = await CountAsync("ListObjects 250 cold", () => S.Calendars.ListObjectsAsync(cal, Ct));
        Assert.Equal(250, objects.Count);
        Assert.Equal(2, calls); // one page, then the calendar row again to catch writes made while it was read
        var (_, warm) = await CountAsync("ListObjects 250 warm", () => S.Calendars.ListObjectsAsync(cal, Ct));
        Assert.Equal(0, warm);
        var (_, byName) = await CountAsync("ListObjects 250 by name", () => S.Calendars.ListObjectsAsync(Owner, "work", Ct));
        Assert.Equal(1, byName); // the calendar row only
    }

    [Fact]
    public async Task Scopes_count_their_own_flow_only()
    {
        var cal = await S.CreateCalendarAsync("work");
        S.Snapshots.Options.LoadInBackground = false; // every read below is a cold point read
        using var outer = S.Counter.BeginScope();
        int innerCalls;
        using (var inner = S.Counter.BeginScope())
        {
            await S.Calendars.GetObjectAsync(cal, "x.ics", Ct);
            innerCalls = inner.Calls;
        }
        var other = Task.Run(async () =>
        {
            using var mine = S.Counter.BeginScope();
            await S.Calendars.GetObjectAsync(cal, "y.ics", Ct);
            await S.Calendars.GetObjectAsync(cal, "z.ics", Ct);
            return mine.Calls;
        });
        Assert.Equal(2, await other);
        Assert.Equal(1, innerCalls);
        Assert.Equal(3, outer.Calls); // the task started inside the outer scope flows into it
    }
}

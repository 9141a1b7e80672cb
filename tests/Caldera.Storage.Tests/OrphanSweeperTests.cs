using System.Text;
using Caldera.Storage.Sweeping;
using Caldera.Storage.Tests.Infrastructure;
using Xunit.Abstractions;
using static Caldera.Storage.Tests.Infrastructure.TestStorage;

namespace Caldera.Storage.Tests;

/// <summary>
/// The orphan sweeper against Azurite: orphans made the ways a crash makes them go once older than the grace period;
/// young orphans, live bodies and blobs of other names stay, also while writers race the sweep.
/// </summary>
public class OrphanSweeperTests(AzuriteFixture fixture, ITestOutputHelper output) : StorageTest(fixture)
{
    /// <summary>A clock two days ahead: every blob that exists now is older than the default one-day grace.</summary>
    static readonly TimeProvider TwoDaysLater = new ShiftedClock(TimeSpan.FromDays(2));

    [Fact]
    public async Task Orphans_older_than_the_grace_are_removed_and_live_bodies_stay()
    {
        var work = await S.CreateCalendarAsync("work");
        var live = new List<ObjectRecord>();
        for (var i = 0; i < 3; i++)
        {
            await S.PutAsync("work", $"e{i}.ics", Event($"uid-{i}"));
            live.Add((await S.Calendars.GetObjectAsync(Owner, "work", $"e{i}.ics", Ct))!);
        }
        // A crash between upload and commit (a create, and an update whose old body was never deleted) leaves bodies no row names.
        var crashed = await UploadOrphanAsync(work.Id);
        var replaced = await UploadOrphanAsync(work.Id);
        // A calendar delete that stopped after its row went and before its purge: every body of that incarnation is an orphan.
        var gone = await S.CreateCalendarAsync("gone");
        await S.PutAsync("gone", "x.ics", Event("uid-x"));
        var goneBlob = (await S.Calendars.GetObjectAsync(Owner, "gone", "x.ics", Ct))!.BlobName;
        await S.CalendarsTable.DeleteEntityAsync(Owner, CalendarRows.Calendar("gone"), Azure.ETag.All);
        Assert.Equal(6, (await S.BlobNamesAsync("")).Count);
        Assert.NotEqual(gone.Id, work.Id);

        var report = await S.Sweeper(new SweepOptions(), TwoDaysLater).RunAsync(Ct);

        output.WriteLine(report.ToString());
        Assert.Equal(new SweepReport(Listed: 6, Removed: 3, Young: 0, Raced: 0, Foreign: 0, Finished: true), report);
        var left = await S.BlobNamesAsync("");
        Assert.Equal(live.Select(r => r.BlobName).Order(), left.Order());
        Assert.DoesNotContain(crashed, left);
        Assert.DoesNotContain(replaced, left);
        Assert.DoesNotContain(goneBlob, left);
        foreach (var record in live)
            Assert.NotNull(await S.Calendars.ReadBodyAsync(record with { Body = null }, Ct));
    }

    [Fact]
    public async Task Orphans_younger_than_the_grace_and_foreign_blobs_are_kept()
    {
        var work = await S.CreateCalendarAsync("work");
        var orphan = await UploadOrphanAsync(work.Id);
        await S.Objects.GetBlobClient("notes/readme.txt").UploadAsync(BinaryData.FromString("not a body"));

        var report = await S.Sweeper(new SweepOptions()).RunAsync(Ct);

        Assert.Equal(new SweepReport(Listed: 2, Removed: 0, Young: 1, Raced: 0, Foreign: 1, Finished: true), report);
        Assert.Contains(orphan, await S.BlobNamesAsync(""));
        // Old but foreign: still never touched.
        var later = await S.Sweeper(new SweepOptions(), TwoDaysLater).RunAsync(Ct);
        Assert.Equal((1, 1), (later.Removed, later.Foreign));
        Assert.Equal(["notes/readme.txt"], await S.BlobNamesAsync(""));
    }

    [Fact]
    public async Task A_run_stops_after_its_bound_and_the_next_resumes_where_it_stopped()
    {
        var work = await S.CreateCalendarAsync("work");
        for (var i = 0; i < 12; i++)
            await UploadOrphanAsync(work.Id);
        var sweeper = S.Sweeper(new SweepOptions { PageSize = 5, MaxBlobsPerRun = 5 }, TwoDaysLater);

        var runs = new List<SweepReport>();
        for (var i = 0; i < 3; i++)
            runs.Add(await sweeper.RunAsync(Ct));

        output.WriteLine(string.Join("\n", runs));
        Assert.Equal([5, 5, 2], runs.Select(r => r.Removed));
        Assert.Equal([false, false, true], runs.Select(r => r.Finished));
        Assert.Empty(await S.BlobNamesAsync(""));
        // After a finished pass the cursor is cleared: a new orphan is found from the start.
        var late = await UploadOrphanAsync(work.Id);
        Assert.Equal(1, (await sweeper.RunAsync(Ct)).Removed);
        Assert.DoesNotContain(late, await S.BlobNamesAsync(""));
    }

    [Fact]
    public async Task Writers_racing_the_sweep_never_lose_a_body_and_the_old_orphans_still_go()
    {
        // A short grace so the test can age its orphans; the writers' own uploads commit within milliseconds of it.
        var grace = TimeSpan.FromSeconds(8);
        var work = await S.CreateCalendarAsync("work");
        for (var i = 0; i < 10; i++)
            await S.PutAsync("work", $"e{i}.ics", Event($"uid-{i}"));
        var orphans = new List<string>();
        for (var i = 0; i < 10; i++)
            orphans.Add(await UploadOrphanAsync(work.Id));
        await Task.Delay(grace + TimeSpan.FromSeconds(2));

        using var watchdog = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        var writing = Task.WhenAll(Enumerable.Range(0, 4).Select(w => WriteLoopAsync(w, watchdog.Token)));
        var sweeper = S.Sweeper(new SweepOptions { Grace = grace, PageSize = 3, MaxBlobsPerRun = 3 });
        var runs = 0;
        var removed = 0;
        while (!writing.IsCompleted)
        {
            removed += (await sweeper.RunAsync(watchdog.Token)).Removed;
            runs++;
        }
        await writing;
        SweepReport last;
        do
        {
            last = await sweeper.RunAsync(watchdog.Token);
            removed += last.Removed;
            runs++;
        } while (!last.Finished);

        output.WriteLine($"{runs} sweep runs during and after the writes; {removed} orphans removed");
        var blobs = await S.BlobNamesAsync("");
        Assert.All(orphans, o => Assert.DoesNotContain(o, blobs));
        var objects = await S.Calendars.ListObjectsAsync(Owner, "work", Ct);
        Assert.NotEmpty(objects);
        foreach (var record in objects)
        {
            var body = await S.Calendars.ReadBodyAsync(record with { Body = null }, Ct);
            Assert.NotNull(body);
            Assert.Contains("UID:", Encoding.UTF8.GetString(body));
        }
        Assert.Equal(objects.Count, blobs.Count); // nothing else is left: every orphan went, every body stayed
    }

    /// <summary>Creates, updates, moves and deletes objects of "work" in a loop, checking each write succeeds.</summary>
    async Task WriteLoopAsync(int writer, CancellationToken ct)
    {
        for (var i = 0; i < 15; i++)
        {
            ct.ThrowIfCancellationRequested();
            var name = $"w{writer}-{i}.ics";
            Assert.Equal(WriteStatus.Created, (await S.PutAsync("work", name, Event($"uid-w{writer}-{i}"))).Status);
            Assert.Equal(WriteStatus.Updated, (await S.PutAsync("work", name, Event($"uid-w{writer}-{i}", "again"))).Status);
            Assert.Equal(WriteStatus.Updated, (await S.PutAsync("work", $"e{writer}.ics", Event($"uid-{writer}", $"v{i}"))).Status);
            if (i % 3 == 0)
                Assert.Equal(WriteStatus.Created, (await S.Calendars.TransferObjectAsync(Owner, "work", name, "work", name + ".moved",
                    move: true, overwrite: false, WriteConditions.None, ct)).Status);
            else if (i % 3 == 1)
                Assert.Equal(WriteStatus.Deleted, (await S.Calendars.DeleteObjectAsync(Owner, "work", name, WriteConditions.None, ct)).Status);
        }
    }

    /// <summary>What a crashed write leaves: a body uploaded under the calendar, that no row names.</summary>
    async Task<string> UploadOrphanAsync(string calendarId)
    {
        var name = BodyBlobs.NewName(Owner, calendarId);
        await S.Objects.GetBlobClient(name).UploadAsync(BinaryData.FromString("BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n"));
        return name;
    }

    sealed class ShiftedClock(TimeSpan shift) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => System.GetUtcNow() + shift;
    }
}

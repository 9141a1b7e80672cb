using System.Text;
using Caldera.Storage.Tests.Infrastructure;
using static Caldera.Storage.Tests.Infrastructure.TestStorage;

namespace Caldera.Storage.Tests;

/// <summary>
/// Each instance keeps calendar snapshots. Two <see cref="TestStorage"/>s on one prefix are two instances on the same
/// data: what one writes, the other's next read (after its calendar-row read) must see, at the cost of one replay.
/// </summary>
public class SnapshotTests(AzuriteFixture fixture) : StorageTest(fixture)
{
    static ObjectWrite Body(string uid, string summary) => Event(uid, summary);

    async Task<(T Result, int Tables, int Blobs)> CountAsync<T>(TestStorage s, Func<Task<T>> read)
    {
        using var scope = s.Counter.BeginScope();
        var result = await read();
        return (result, scope.TableCalls, scope.BlobCalls);
    }

    [Fact]
    public async Task A_write_through_another_instance_is_seen_by_the_next_read_for_one_replay_call()
    {
        await using var other = await Fixture.CreateStorageAsync(S.Prefix);
        await S.CreateCalendarAsync("work");
        for (var i = 0; i < 20; i++)
            await S.PutAsync("work", $"e{i}.ics", Body($"u{i}", "v1"));

        var cal = (await other.Calendars.GetCalendarAsync(Owner, "work", Ct))!;
        var (cold, coldTables, _) = await CountAsync(other, () => other.Calendars.ListObjectsAsync(cal, Ct));
        Assert.Equal(20, cold.Count);
        Assert.Equal(2, coldTables);
        var (warm, warmTables, _) = await CountAsync(other, () => other.Calendars.ListObjectsAsync(cal, Ct));
        Assert.Equal(20, warm.Count);
        Assert.Equal(0, warmTables);

        var updated = await S.PutAsync("work", "e3.ics", Body("u3", "v2"));
        await S.Calendars.DeleteObjectAsync(Owner, "work", "e4.ics", WriteConditions.None, Ct);
        await S.PutAsync("work", "new.ics", Body("new", "v1"));

        cal = (await other.Calendars.GetCalendarAsync(Owner, "work", Ct))!;
        var (after, afterTables, afterBlobs) = await CountAsync(other, () => other.Calendars.ListObjectsAsync(cal, Ct));
        Assert.Equal(1, afterTables); // the change rows since the snapshot's revision, not a reload
        Assert.Equal(0, afterBlobs);
        Assert.Equal(20, after.Count);
        Assert.DoesNotContain(after, o => o.Name == "e4.ics");
        var e3 = after.Single(o => o.Name == "e3.ics");
        Assert.Equal(updated.ETag, e3.ETag);
        var (body, bodyTables, bodyBlobs) = await CountAsync(other, () => other.BodyTextAsync(e3));
        Assert.Contains("SUMMARY:v2", body);
        Assert.Equal((0, 0), (bodyTables, bodyBlobs));
        Assert.Contains(after, o => o.Name == "new.ics");
        Assert.Equal(1, other.Snapshots.Refreshes);
    }

    [Fact]
    public async Task A_calendar_deleted_and_made_again_under_its_name_is_never_served_from_the_old_snapshot()
    {
        await using var other = await Fixture.CreateStorageAsync(S.Prefix);
        await S.CreateCalendarAsync("work");
        await S.PutAsync("work", "old.ics", Body("old", "old"));
        var before = (await other.Calendars.GetCalendarAsync(Owner, "work", Ct))!;
        Assert.Single(await other.Calendars.ListObjectsAsync(before, Ct));

        Assert.True(await S.Calendars.DeleteCalendarAsync(Owner, "work", Ct));
        await S.CreateCalendarAsync("work");
        await S.PutAsync("work", "fresh.ics", Body("fresh", "fresh"));

        var again = (await other.Calendars.GetCalendarAsync(Owner, "work", Ct))!;
        Assert.NotEqual(before.Id, again.Id);
        Assert.Equal(["fresh.ics"], (await other.Calendars.ListObjectsAsync(again, Ct)).Select(o => o.Name));
        Assert.Null(await other.Calendars.GetObjectAsync(again, "old.ics", Ct));
        Assert.Equal(["fresh.ics"], (await other.Calendars.QueryObjectsAsync(again, ObjectQuery.All, Ct)).Select(o => o.Name));
    }

    [Fact]
    public async Task Writers_of_one_calendar_in_one_instance_wait_for_each_other_instead_of_retrying()
    {
        await S.CreateCalendarAsync("work");
        await S.PutAsync("work", "seed.ics", Body("seed", "x")); // the blob container and table are warm
        using var scope = S.Counter.BeginScope();
        var results = await Task.WhenAll(Enumerable.Range(0, 8).Select(i => Task.Run(() => S.PutAsync("work", $"w{i}.ics", Body($"w{i}", "x")))));
        Assert.All(results, r => Assert.Equal(WriteStatus.Created, r.Status));
        // Each write: the quota sum of the owner's calendar rows (beside the blob upload), index row and transaction; the
        // calendar row is the one the previous write here committed. A retry would add a calendar read and another transaction.
        Assert.Equal(8 * 3, scope.TableCalls);
        Assert.Equal(9, (await S.GetCalendarAsync("work"))!.Revision);
    }

    [Fact]
    public async Task A_calendar_row_remembered_from_an_earlier_write_that_went_stale_elsewhere_costs_a_retry_not_a_write()
    {
        await using var other = await Fixture.CreateStorageAsync(S.Prefix);
        await S.CreateCalendarAsync("work");
        Assert.Equal(WriteStatus.Created, (await S.PutAsync("work", "a.ics", Body("a", "1"))).Status); // S remembers the row
        Assert.Equal(WriteStatus.Created, (await other.PutAsync("work", "b.ics", Body("b", "1"))).Status); // now stale in S
        Assert.Equal(WriteStatus.Created, (await S.PutAsync("work", "c.ics", Body("c", "1"))).Status);
        var cal = (await S.GetCalendarAsync("work"))!;
        Assert.Equal(3, cal.Revision);
        Assert.Equal(["a.ics", "b.ics", "c.ics"], (await S.Calendars.ListObjectsAsync(cal, Ct)).Select(o => o.Name).Order());

        // Deleted and made again elsewhere: S's remembered row names the old incarnation; the write lands in the new one.
        Assert.True(await other.Calendars.DeleteCalendarAsync(Owner, "work", Ct));
        await other.CreateCalendarAsync("work");
        Assert.Equal(WriteStatus.Created, (await S.PutAsync("work", "d.ics", Body("d", "1"))).Status);
        var again = (await other.Calendars.GetCalendarAsync(Owner, "work", Ct))!;
        Assert.NotEqual(cal.Id, again.Id);
        var objects = await other.Calendars.ListObjectsAsync(again, Ct);
        Assert.Equal(["d.ics"], objects.Select(o => o.Name));
        Assert.StartsWith($"{Owner}/{again.Id}/", objects[0].BlobName);
        Assert.Contains("UID:d", await other.BodyTextAsync(objects[0] with { Body = null })); // the blob itself
        Assert.Equal([objects[0].BlobName], await S.BlobNamesAsync($"{Owner}/"));
    }

    [Fact]
    public async Task Past_the_budget_the_least_recently_used_calendars_go_and_answers_stay_right()
    {
        await using var small = await Fixture.CreateStorageAsync(S.Prefix);
        var names = Enumerable.Range(0, 6).Select(i => $"cal{i}").ToList();
        foreach (var name in names)
        {
            await S.CreateCalendarAsync(name);
            for (var i = 0; i < 25; i++)
                await S.PutAsync(name, $"e{i}.ics", Body($"{name}-{i}", name));
        }
        // Room for about two of these calendars.
        var one = (await small.Calendars.ListObjectsAsync((await small.Calendars.GetCalendarAsync(Owner, "cal0", Ct))!, Ct)).Count;
        Assert.Equal(25, one);
        small.Snapshots.Options.BudgetBytes = small.Snapshots.Bytes * 2 + small.Snapshots.Bytes / 2;
        for (var round = 0; round < 2; round++)
            foreach (var name in names)
            {
                var cal = (await small.Calendars.GetCalendarAsync(Owner, name, Ct))!;
                var objects = await small.Calendars.ListObjectsAsync(cal, Ct);
                Assert.Equal(25, objects.Count);
                Assert.All(objects, o => Assert.Contains("SUMMARY:" + name, Encoding.UTF8.GetString(o.Body!)));
                Assert.InRange(small.Snapshots.Bytes, 1, small.Snapshots.Options.BudgetBytes);
            }
        Assert.InRange(small.Snapshots.Calendars, 1, 2);
        Assert.True(small.Snapshots.Evictions >= 8, $"evictions: {small.Snapshots.Evictions}");
    }

    [Fact]
    public async Task Time_buckets_return_what_a_scan_of_the_whole_index_returns()
    {
        await S.CreateCalendarAsync("work");
        S.Snapshots.Options.LoadInBackground = false;
        var rng = new Random(7);
        var origin = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
        var written = new List<ObjectRecord>();
        for (var i = 0; i < 240; i++)
        {
            var start = origin.AddHours(rng.Next(-2000, 9000));
            DateTimeOffset? s = start, e = (i % 6) switch
            {
                0 => start, // an instant
                1 => start.AddDays(rng.Next(1, 14)), // crosses a week bucket or two
                2 => start.AddDays(rng.Next(20, 170)), // the 91-day level
                3 => start.AddDays(rng.Next(200, 900)), // longer: the open set
                4 => null, // never ends
                _ => start.AddMinutes(rng.Next(15, 600)),
            };
            if (i % 37 == 0)
                s = e = null; // no known time
            written.Add(new ObjectRecord
            {
                Name = $"o{i}.ics", ETag = "", Uid = $"u{i}", BlobName = "", Component = i % 9 == 0 ? "VTODO" : "VEVENT", RangeStart = s, RangeEnd = e,
            });
        }
        using (var gate = new SemaphoreSlim(4))
            await Task.WhenAll(written.Select(async o =>
            {
                await gate.WaitAsync();
                try
                {
                    var write = Event(o.Uid) with { RangeStart = o.RangeStart, RangeEnd = o.RangeEnd, Component = o.Component };
                    Assert.Equal(WriteStatus.Created, (await S.PutAsync("work", o.Name, write)).Status);
                }
                finally { gate.Release(); }
            }));
        // Move some across buckets and delete others: their old bucket rows must go.
        for (var i = 1; i < 240; i += 17)
        {
            var start = origin.AddDays(rng.Next(-60, 400));
            var write = Event($"u{i}") with { RangeStart = start, RangeEnd = start.AddHours(3), Component = i % 9 == 0 ? "VTODO" : "VEVENT" };
            Assert.Equal(WriteStatus.Updated, (await S.PutAsync("work", $"o{i}.ics", write)).Status);
            var index = written.FindIndex(o => o.Name == $"o{i}.ics");
            written[index] = written[index] with { RangeStart = start, RangeEnd = start.AddHours(3) };
        }
        for (var i = 2; i < 240; i += 23)
        {
            Assert.Equal(WriteStatus.Deleted, (await S.Calendars.DeleteObjectAsync(Owner, "work", $"o{i}.ics", WriteConditions.None, Ct)).Status);
            written.RemoveAll(o => o.Name == $"o{i}.ics");
        }
        var cal = (await S.GetCalendarAsync("work"))!;
        var reference = Snapshots.CalendarSnapshot.Create(cal.Id, cal.Revision, written);

        for (var q = 0; q < 60; q++)
        {
            var from = origin.AddHours(rng.Next(-3000, 10000));
            DateTimeOffset? start = q % 10 == 0 ? null : from;
            DateTimeOffset? end = q % 10 == 1 ? null : from.AddDays(q % 3 == 0 ? 7 : q % 3 == 1 ? 31 : 1);
            var query = new ObjectQuery(q % 4 == 0 ? null : "VEVENT", start, end);
            S.Snapshots.Clear();
            var cold = await S.Calendars.QueryObjectsAsync(cal, query, Ct);
            var expected = reference.Query(query).Select(o => o.Name).Order().ToList();
            Assert.Equal(expected, cold.Select(o => o.Name).Order().ToList());
        }
        // Warm, the snapshot gives the same answers.
        await S.Calendars.ListObjectsAsync(cal, Ct);
        var all = await S.Calendars.QueryObjectsAsync(cal, new ObjectQuery("VEVENT", origin, origin.AddDays(30)), Ct);
        Assert.Equal(reference.Query(new ObjectQuery("VEVENT", origin, origin.AddDays(30))).Select(o => o.Name).Order(), all.Select(o => o.Name).Order());
    }
}

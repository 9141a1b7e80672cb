using Caldera.Storage.Tests.Infrastructure;
using static Caldera.Storage.Tests.Infrastructure.TestStorage;

namespace Caldera.Storage.Tests;

public class UidTests(AzuriteFixture fixture) : StorageTest(fixture)
{
    [Fact]
    public async Task A_second_object_with_the_same_uid_is_refused_naming_the_first()
    {
        await S.CreateCalendarAsync("work");
        await S.CreateCalendarAsync("home");
        Assert.Equal(WriteStatus.Created, (await S.PutAsync("work", "a.ics", Event("same"))).Status);
        var revision = (await S.GetCalendarAsync("work"))!.Revision;

        var conflict = await S.PutAsync("work", "b.ics", Event("same"));
        Assert.Equal(new WriteResult(WriteStatus.UidConflict, ConflictingName: "a.ics", ConflictingCalendar: "work"), conflict);
        Assert.Null(await S.Calendars.GetObjectAsync(Owner, "work", "b.ics", Ct));
        Assert.Equal(revision, (await S.GetCalendarAsync("work"))!.Revision);
        Assert.Single(await S.BlobNamesAsync($"{Owner}/"));

        // An existing object taking a UID held by another is refused too, and keeps its own.
        Assert.Equal(WriteStatus.Created, (await S.PutAsync("work", "c.ics", Event("other"))).Status);
        Assert.Equal(WriteStatus.UidConflict, (await S.PutAsync("work", "c.ics", Event("same"))).Status);
        Assert.Equal("other", (await S.Calendars.GetObjectAsync(Owner, "work", "c.ics", Ct))!.Uid);

        // UIDs are unique per calendar, not per user.
        Assert.Equal(WriteStatus.Created, (await S.PutAsync("home", "b.ics", Event("same"))).Status);
    }

    [Fact]
    public async Task Changing_an_objects_uid_frees_the_old_one()
    {
        await S.CreateCalendarAsync("work");
        await S.PutAsync("work", "a.ics", Event("first"));
        Assert.Equal(WriteStatus.Updated, (await S.PutAsync("work", "a.ics", Event("second"))).Status);
        Assert.Equal(WriteStatus.Created, (await S.PutAsync("work", "b.ics", Event("first"))).Status);
        Assert.Equal("a.ics", (await S.PutAsync("work", "c.ics", Event("second"))).ConflictingName);

        // Deleting frees the UID as well.
        await S.Calendars.DeleteObjectAsync(Owner, "work", "a.ics", WriteConditions.None, Ct);
        Assert.Equal(WriteStatus.Created, (await S.PutAsync("work", "c.ics", Event("second"))).Status);
    }

    [Fact]
    public async Task Under_concurrency_exactly_one_object_gets_the_uid()
    {
        await S.CreateCalendarAsync("work");
        var results = await Task.WhenAll(Enumerable.Range(1, 10).Select(i =>
            Task.Run(() => S.PutAsync("work", $"e{i}.ics", Event("contested")))));

        var winner = Assert.Single(results, r => r.Status == WriteStatus.Created);
        var losers = results.Where(r => r.Status == WriteStatus.UidConflict).ToList();
        Assert.Equal(9, losers.Count);
        var objects = await S.Calendars.ListObjectsAsync(Owner, "work", Ct);
        var holder = Assert.Single(objects);
        Assert.All(losers, l => Assert.Equal(holder.Name, l.ConflictingName));
        Assert.Equal(winner.ETag, holder.ETag);
        Assert.Single(await S.BlobNamesAsync($"{Owner}/"));
    }
}

using Caldera.Storage.Tests.Infrastructure;
using static Caldera.Storage.Tests.Infrastructure.TestStorage;

namespace Caldera.Storage.Tests;

public class ConcurrencyTests(AzuriteFixture fixture) : StorageTest(fixture)
{
    [Fact]
    public async Task Of_ten_racing_puts_with_the_same_if_match_exactly_one_wins()
    {
        await S.CreateCalendarAsync("work");
        var etag = (await S.PutAsync("work", "a.ics", Event("uid-a", "v0"))).ETag!;
        var results = await Task.WhenAll(Enumerable.Range(1, 10).Select(i =>
            Task.Run(() => S.PutAsync("work", "a.ics", Event("uid-a", $"v{i}"), IfMatch(etag)))));

        Assert.Single(results, r => r.Status == WriteStatus.Updated);
        Assert.Equal(9, results.Count(r => r.Status == WriteStatus.PreconditionFailed));
        var winner = results.Single(r => r.Status == WriteStatus.Updated);
        var stored = (await S.Calendars.GetObjectAsync(Owner, "work", "a.ics", Ct))!;
        Assert.Equal(winner.ETag, stored.ETag);
        Assert.Equal(2, (await S.GetCalendarAsync("work"))!.Revision);
        Assert.Single(await S.BlobNamesAsync($"{Owner}/")); // losers' uploads are cleaned up
    }

    [Fact]
    public async Task Of_ten_racing_creates_with_if_none_match_star_exactly_one_wins()
    {
        await S.CreateCalendarAsync("work");
        var results = await Task.WhenAll(Enumerable.Range(1, 10).Select(i =>
            Task.Run(() => S.PutAsync("work", "a.ics", Event("uid-a", $"v{i}"), IfNoneMatch("*")))));

        Assert.Single(results, r => r.Status == WriteStatus.Created);
        Assert.Equal(9, results.Count(r => r.Status == WriteStatus.PreconditionFailed));
        Assert.Equal(1, (await S.GetCalendarAsync("work"))!.Revision);
        Assert.Single(await S.BlobNamesAsync($"{Owner}/"));
    }

    [Fact]
    public async Task Ten_concurrent_creates_of_different_objects_all_commit_with_distinct_revisions()
    {
        await S.CreateCalendarAsync("work");
        var results = await Task.WhenAll(Enumerable.Range(1, 10).Select(i =>
            Task.Run(() => S.PutAsync("work", $"e{i}.ics", Event($"uid-{i}")))));

        Assert.All(results, r => Assert.Equal(WriteStatus.Created, r.Status));
        var cal = (await S.GetCalendarAsync("work"))!;
        Assert.Equal(10, cal.Revision);
        Assert.Equal(10, (await S.Calendars.ListObjectsAsync(cal, Ct)).Count);
        var changes = (await S.Calendars.GetChangesAsync(cal, 0, Ct))!.Changes;
        Assert.Equal(Enumerable.Range(1, 10).Select(i => (long)i), changes.Select(c => c.Revision));
    }
}

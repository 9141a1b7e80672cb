using Caldera.Storage.Tests.Infrastructure;
using static Caldera.Storage.Tests.Infrastructure.TestStorage;

namespace Caldera.Storage.Tests;

public class ObjectWriteTests(AzuriteFixture fixture) : StorageTest(fixture)
{
    [Fact]
    public async Task Put_creates_updates_and_delete_removes_with_quoted_changing_etags()
    {
        await S.CreateCalendarAsync("work");
        var created = await S.PutAsync("work", "a.ics", Event("uid-a", "first"));
        Assert.Equal(WriteStatus.Created, created.Status);
        Assert.Matches("^\"[^\"]+\"$", created.ETag);

        var record = await S.Calendars.GetObjectAsync(Owner, "work", "a.ics", Ct);
        Assert.NotNull(record);
        Assert.Equal((created.ETag, "uid-a", "VEVENT", false), (record.ETag, record.Uid, record.Component, record.Recurring));
        Assert.Equal(Event("uid-a", "first").Body.Length, record.Size);
        Assert.Equal(new DateTimeOffset(2026, 1, 1, 10, 0, 0, TimeSpan.Zero), record.RangeStart);
        Assert.Contains("SUMMARY:first", await S.BodyTextAsync(record));
        var blob = await S.Objects.GetBlobClient(record.BlobName).GetPropertiesAsync();
        Assert.Equal("text/calendar; charset=utf-8", blob.Value.ContentType);

        var updated = await S.PutAsync("work", "a.ics", Event("uid-a", "second") with { Recurring = true, RangeEnd = null });
        Assert.Equal(WriteStatus.Updated, updated.Status);
        Assert.Matches("^\"[^\"]+\"$", updated.ETag);
        Assert.NotEqual(created.ETag, updated.ETag);
        var after = (await S.Calendars.GetObjectAsync(Owner, "work", "a.ics", Ct))!;
        Assert.Equal((updated.ETag, true, (DateTimeOffset?)null), (after.ETag, after.Recurring, after.RangeEnd));
        Assert.Contains("SUMMARY:second", await S.BodyTextAsync(after));
        Assert.False((await S.Objects.GetBlobClient(record.BlobName).ExistsAsync()).Value); // the previous version's blob is gone
        Assert.Null(await S.Calendars.ReadBodyAsync(record with { Body = null }, Ct));
        Assert.Equal(2, (await S.GetCalendarAsync("work"))!.Revision);

        Assert.Equal(WriteStatus.Deleted, (await S.Calendars.DeleteObjectAsync(Owner, "work", "a.ics", WriteConditions.None, Ct)).Status);
        Assert.Null(await S.Calendars.GetObjectAsync(Owner, "work", "a.ics", Ct));
        Assert.Null(await S.Calendars.ReadBodyAsync(after with { Body = null }, Ct)); // its blob went with it
        Assert.Equal(WriteStatus.NotFound, (await S.Calendars.DeleteObjectAsync(Owner, "work", "a.ics", WriteConditions.None, Ct)).Status);
        Assert.Equal(3, (await S.GetCalendarAsync("work"))!.Revision);
        Assert.Empty(await S.BlobNamesAsync($"{Owner}/"));
    }

    [Fact]
    public async Task Writes_to_a_missing_calendar_report_it()
    {
        Assert.Equal(WriteStatus.CalendarNotFound, (await S.PutAsync("none", "a.ics", Event("u"))).Status);
        Assert.Equal(WriteStatus.CalendarNotFound, (await S.Calendars.DeleteObjectAsync(Owner, "none", "a.ics", WriteConditions.None, Ct)).Status);
        Assert.Empty(await S.BlobNamesAsync(""));
    }

    [Fact]
    public async Task Failed_preconditions_change_nothing()
    {
        await S.CreateCalendarAsync("work");
        var etag = (await S.PutAsync("work", "a.ics", Event("uid-a", "first"))).ETag!;
        var before = await StateAsync();

        Assert.Equal(WriteStatus.PreconditionFailed, (await S.PutAsync("work", "a.ics", Event("uid-a", "x"), IfMatch("\"wrong\""))).Status);
        Assert.Equal(WriteStatus.PreconditionFailed, (await S.PutAsync("work", "a.ics", Event("uid-a", "x"), IfMatch("W/" + etag))).Status);
        Assert.Equal(WriteStatus.PreconditionFailed, (await S.PutAsync("work", "a.ics", Event("uid-a", "x"), IfNoneMatch("*"))).Status);
        Assert.Equal(WriteStatus.PreconditionFailed, (await S.PutAsync("work", "a.ics", Event("uid-a", "x"), IfNoneMatch("\"x\"", etag))).Status);
        Assert.Equal(WriteStatus.PreconditionFailed, (await S.PutAsync("work", "b.ics", Event("uid-b"), IfMatch("*"))).Status);
        Assert.Equal(WriteStatus.PreconditionFailed, (await S.PutAsync("work", "b.ics", Event("uid-b"), IfMatch(etag))).Status);
        Assert.Equal(WriteStatus.PreconditionFailed,
            (await S.Calendars.DeleteObjectAsync(Owner, "work", "a.ics", IfMatch("\"wrong\""), Ct)).Status);

        Assert.Equal(before, await StateAsync());

        Assert.Equal(WriteStatus.Updated, (await S.PutAsync("work", "a.ics", Event("uid-a", "y"), IfMatch("\"other\"", etag))).Status);
        Assert.Equal(WriteStatus.Created, (await S.PutAsync("work", "b.ics", Event("uid-b"), IfNoneMatch("*"))).Status);
        Assert.Equal(WriteStatus.Updated, (await S.PutAsync("work", "b.ics", Event("uid-b", "z"), IfMatch("*"))).Status);
        var current = (await S.Calendars.GetObjectAsync(Owner, "work", "b.ics", Ct))!.ETag;
        Assert.Equal(WriteStatus.Deleted, (await S.Calendars.DeleteObjectAsync(Owner, "work", "b.ics", IfMatch(current), Ct)).Status);
    }

    async Task<string> StateAsync()
    {
        var cal = (await S.GetCalendarAsync("work"))!;
        var objects = await S.Calendars.ListObjectsAsync(cal, Ct);
        var blobs = await S.BlobNamesAsync("");
        var bodies = await Task.WhenAll(objects.Select(S.BodyTextAsync));
        return $"{cal.Revision}|{string.Join(",", objects.Select(o => o.Name + o.ETag))}|{string.Join(",", blobs)}|{string.Join(",", bodies)}";
    }
}

using Caldera.Storage.Tests.Infrastructure;
using static Caldera.Storage.Tests.Infrastructure.TestStorage;

namespace Caldera.Storage.Tests;

public class TransferTests(AzuriteFixture fixture) : StorageTest(fixture)
{
    Task<WriteResult> TransferAsync(string fromCal, string from, string toCal, string to, bool move, bool overwrite = true,
        WriteConditions? conditions = null) =>
        S.Calendars.TransferObjectAsync(Owner, fromCal, from, toCal, to, move, overwrite, conditions ?? WriteConditions.None, Ct);

    [Fact]
    public async Task Copy_makes_an_independent_object_in_the_target()
    {
        await S.CreateCalendarAsync("src");
        await S.CreateCalendarAsync("dst");
        var source = await S.PutAsync("src", "a.ics", Event("uid-a", "body"));
        var srcRevision = (await S.GetCalendarAsync("src"))!.Revision;

        var copy = await TransferAsync("src", "a.ics", "dst", "b.ics", move: false);
        Assert.Equal(WriteStatus.Created, copy.Status);
        Assert.NotEqual(source.ETag, copy.ETag);
        var target = (await S.Calendars.GetObjectAsync(Owner, "dst", "b.ics", Ct))!;
        Assert.Equal((copy.ETag, "uid-a"), (target.ETag, target.Uid));
        Assert.Contains("SUMMARY:body", await S.BodyTextAsync(target));
        Assert.NotNull(await S.Calendars.GetObjectAsync(Owner, "src", "a.ics", Ct));
        Assert.Equal(srcRevision, (await S.GetCalendarAsync("src"))!.Revision);
        Assert.Equal([new ChangeEntry("b.ics", false, 1)], (await S.Calendars.GetChangesAsync(Owner, "dst", 0, Ct))!.Changes);
        // The target calendar's UID row exists: another object with that UID is refused there.
        Assert.Equal("b.ics", (await S.PutAsync("dst", "c.ics", Event("uid-a"))).ConflictingName);

        Assert.Equal(WriteStatus.PreconditionFailed, (await TransferAsync("src", "a.ics", "dst", "b.ics", move: false, overwrite: false)).Status);
        Assert.Equal(WriteStatus.PreconditionFailed,
            (await TransferAsync("src", "a.ics", "dst", "b.ics", move: false, conditions: IfMatch("\"nope\""))).Status);
        Assert.Equal(WriteStatus.Updated, (await TransferAsync("src", "a.ics", "dst", "b.ics", move: false, conditions: IfMatch(copy.ETag!))).Status);
        // Copying within one calendar would duplicate the UID.
        Assert.Equal("a.ics", (await TransferAsync("src", "a.ics", "src", "dup.ics", move: false)).ConflictingName);
    }

    [Fact]
    public async Task Move_between_calendars_removes_the_source_and_bumps_both_revisions()
    {
        await S.CreateCalendarAsync("src");
        await S.CreateCalendarAsync("dst");
        await S.PutAsync("src", "a.ics", Event("uid-a", "moved body"));
        await S.PutAsync("dst", "old.ics", Event("uid-old"));
        var (src0, dst0) = ((await S.GetCalendarAsync("src"))!.Revision, (await S.GetCalendarAsync("dst"))!.Revision);

        var moved = await TransferAsync("src", "a.ics", "dst", "old.ics", move: true);
        Assert.Equal(WriteStatus.Updated, moved.Status);
        Assert.Null(await S.Calendars.GetObjectAsync(Owner, "src", "a.ics", Ct));
        var target = (await S.Calendars.GetObjectAsync(Owner, "dst", "old.ics", Ct))!;
        Assert.Equal(("uid-a", moved.ETag), (target.Uid, target.ETag));
        Assert.Equal(src0 + 1, (await S.GetCalendarAsync("src"))!.Revision);
        Assert.Equal(dst0 + 1, (await S.GetCalendarAsync("dst"))!.Revision);
        Assert.Equal([new ChangeEntry("a.ics", true, src0 + 1)], (await S.Calendars.GetChangesAsync(Owner, "src", src0, Ct))!.Changes);
        Assert.Equal([new ChangeEntry("old.ics", false, dst0 + 1)], (await S.Calendars.GetChangesAsync(Owner, "dst", dst0, Ct))!.Changes);

        // UID rows follow: free in the source, taken in the target, the overwritten object's UID freed.
        Assert.Equal(WriteStatus.Created, (await S.PutAsync("src", "again.ics", Event("uid-a"))).Status);
        Assert.Equal("old.ics", (await S.PutAsync("dst", "x.ics", Event("uid-a"))).ConflictingName);
        Assert.Equal(WriteStatus.Created, (await S.PutAsync("dst", "y.ics", Event("uid-old"))).Status);

        // The body survives deleting the source calendar.
        Assert.True(await S.Calendars.DeleteCalendarAsync(Owner, "src", Ct));
        Assert.Contains("SUMMARY:moved body", await S.BodyTextAsync(target));
    }

    [Fact]
    public async Task Move_within_a_calendar_keeps_the_body_and_the_uid()
    {
        var cal = await S.CreateCalendarAsync("work");
        var put = await S.PutAsync("work", "a.ics", Event("uid-a"));
        var moved = await TransferAsync("work", "a.ics", "work", "b.ics", move: true);
        Assert.Equal(new WriteResult(WriteStatus.Created, put.ETag), moved);
        Assert.Null(await S.Calendars.GetObjectAsync(Owner, "work", "a.ics", Ct));
        Assert.Equal(["b.ics"], (await S.Calendars.ListObjectsAsync(Owner, "work", Ct)).Select(o => o.Name));
        Assert.Equal("b.ics", (await S.PutAsync("work", "c.ics", Event("uid-a"))).ConflictingName);
        Assert.Equal(
            [new ChangeEntry("a.ics", true, 2), new ChangeEntry("b.ics", false, 3)],
            (await S.Calendars.GetChangesAsync(Owner, "work", 1, Ct))!.Changes);
        Assert.Single(await S.BlobNamesAsync($"{Owner}/{cal.Id}/"));
    }

    [Fact]
    public async Task Missing_sources_and_calendars_are_reported()
    {
        await S.CreateCalendarAsync("src");
        await S.PutAsync("src", "a.ics", Event("uid-a"));
        Assert.Equal(WriteStatus.NotFound, (await TransferAsync("src", "none.ics", "src", "b.ics", move: true)).Status);
        Assert.Equal(WriteStatus.CalendarNotFound, (await TransferAsync("src", "a.ics", "none", "b.ics", move: true)).Status);
        Assert.Equal(WriteStatus.CalendarNotFound, (await TransferAsync("none", "a.ics", "src", "b.ics", move: false)).Status);
        Assert.Equal(WriteStatus.Conflict, (await TransferAsync("src", "a.ics", "src", "a.ics", move: true)).Status);
        Assert.NotNull(await S.Calendars.GetObjectAsync(Owner, "src", "a.ics", Ct));
    }
}

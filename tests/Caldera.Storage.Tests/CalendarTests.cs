using Caldera.Storage.Tests.Infrastructure;

namespace Caldera.Storage.Tests;

public class CalendarTests(AzuriteFixture fixture) : StorageTest(fixture)
{
    [Fact]
    public async Task Create_stores_the_calendar_with_a_fresh_id_and_refuses_a_duplicate()
    {
        var created = await S.CreateCalendarAsync("work");
        Assert.Equal(("alice", "work", "work", 0L), (created.Owner, created.Name, created.DisplayName, created.Revision));
        Assert.Equal(["VEVENT", "VTODO"], created.Components);
        Assert.Matches("^[0-9a-f]{32}$", created.Id);
        Assert.NotEqual(default, created.Created);

        Assert.False(await S.Calendars.CreateCalendarAsync(created with { DisplayName = "again" }, Ct));
        Assert.Equal("work", (await S.GetCalendarAsync("work"))!.DisplayName);
        await S.CreateCalendarAsync("home");
        Assert.Equal(["home", "work"], (await S.Calendars.ListCalendarsAsync(Owner, Ct)).Select(c => c.Name).Order());
        Assert.Empty(await S.Calendars.ListCalendarsAsync("bob", Ct));
        Assert.Null(await S.GetCalendarAsync("none"));
    }

    [Fact]
    public async Task Update_applies_all_changes_at_once_and_bumps_the_revision()
    {
        await S.CreateCalendarAsync("work");
        await S.Calendars.UpdateCalendarAsync(Owner, "work", new CalendarPropertyChanges
        {
            Description = "desc", Color = "#FF0000FF", Order = 3, TimeZone = "BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n",
        }, Ct);
        var updated = await S.Calendars.UpdateCalendarAsync(Owner, "work", new CalendarPropertyChanges
        {
            DisplayName = "Work!", Removed = ["Description", "Order"],
        }, Ct);
        var read = await S.GetCalendarAsync("work");
        Assert.NotNull(updated);
        Assert.Equal(updated, read! with { Components = updated.Components });
        Assert.Equal(("Work!", null, "#FF0000FF", null, 2L), (read!.DisplayName, read.Description, read.Color, read.Order, read.Revision));
        Assert.NotNull(read.TimeZone);
        Assert.Null(await S.Calendars.UpdateCalendarAsync(Owner, "none", new CalendarPropertyChanges { DisplayName = "x" }, Ct));
    }

    [Fact]
    public async Task Concurrent_updates_each_bump_the_revision_once()
    {
        await S.CreateCalendarAsync("work");
        await Task.WhenAll(Enumerable.Range(0, 8).Select(i =>
            S.Calendars.UpdateCalendarAsync(Owner, "work", new CalendarPropertyChanges { Order = i }, Ct)));
        Assert.Equal(8, (await S.GetCalendarAsync("work"))!.Revision);
    }

    [Fact]
    public async Task Delete_removes_rows_and_blobs_and_a_recreated_calendar_starts_empty()
    {
        var old = await S.CreateCalendarAsync("work");
        for (var i = 0; i < 3; i++)
            Assert.Equal(WriteStatus.Created, (await S.PutAsync("work", $"e{i}.ics", TestStorage.Event($"uid-{i}"))).Status);
        Assert.Equal(WriteStatus.Deleted, (await S.Calendars.DeleteObjectAsync(Owner, "work", "e0.ics", WriteConditions.None, Ct)).Status);
        Assert.NotEmpty(await S.RowKeysOfAsync(old.Id));
        Assert.NotEmpty(await S.BlobNamesAsync($"{Owner}/{old.Id}/"));

        // A blob orphaned by a crash between upload and commit is invisible, and goes with its calendar.
        await S.Objects.GetBlobClient($"{Owner}/{old.Id}/orphan.ics").UploadAsync(BinaryData.FromString("x"));
        Assert.Equal(2, (await S.Calendars.ListObjectsAsync(old, Ct)).Count);

        Assert.True(await S.Calendars.DeleteCalendarAsync(Owner, "work", Ct));
        Assert.False(await S.Calendars.DeleteCalendarAsync(Owner, "work", Ct));
        Assert.Null(await S.GetCalendarAsync("work"));
        Assert.Empty(await S.RowKeysOfAsync(old.Id));
        Assert.Empty(await S.BlobNamesAsync($"{Owner}/{old.Id}/"));
        Assert.Equal(WriteStatus.CalendarNotFound, (await S.PutAsync("work", "e9.ics", TestStorage.Event("uid-9"))).Status);

        var fresh = await S.CreateCalendarAsync("work");
        Assert.NotEqual(old.Id, fresh.Id);
        Assert.Equal(0, fresh.Revision);
        Assert.Empty(await S.Calendars.ListObjectsAsync(Owner, "work", Ct));
        Assert.Empty((await S.Calendars.GetChangesAsync(Owner, "work", 0, Ct))!.Changes);
        Assert.Null(await S.Calendars.GetObjectAsync(Owner, "work", "e1.ics", Ct));
        // The old UIDs are free in the new incarnation.
        Assert.Equal(WriteStatus.Created, (await S.PutAsync("work", "other.ics", TestStorage.Event("uid-1"))).Status);
    }
}

using Caldera.Storage.Tests.Infrastructure;
using Xunit.Abstractions;
using static Caldera.Storage.Tests.Infrastructure.TestStorage;

namespace Caldera.Storage.Tests;

/// <summary>
/// Dead properties live on the calendar row and on each object's index row (so in change rows, bucket rows and
/// snapshots too): an edit is applied to the stored value inside one conditional write, and costs are counted.
/// </summary>
public class DeadPropertyTests(AzuriteFixture fixture, ITestOutputHelper output) : StorageTest(fixture)
{
    static DeadPropertiesEdit SetTo(string? value) => (string? _, out string? updated) =>
    {
        updated = value;
        return true;
    };

    static readonly DeadPropertiesEdit Refuse = (string? _, out string? updated) =>
    {
        updated = null;
        return false;
    };

    [Fact]
    public async Task An_object_edit_is_one_transaction_keeps_the_etag_and_survives_put_copy_and_move()
    {
        await S.CreateCalendarAsync("work");
        await S.CreateCalendarAsync("home");
        var created = await S.PutAsync("work", "a.ics", Event("a"));

        var (result, calls) = await S.CountAsync("dead properties of an object", () =>
            S.Calendars.UpdateObjectPropertiesAsync(Owner, "work", "a.ics", SetTo("<x/>"), Ct), output);
        Assert.Equal(WriteStatus.Updated, result.Status);
        Assert.Equal(3, calls); // calendar row, index row, transaction
        var record = (await S.Calendars.GetObjectAsync(Owner, "work", "a.ics", Ct))!;
        Assert.Equal("<x/>", record.DeadProperties);
        Assert.Equal(created.ETag, record.ETag);

        var (refused, refusedCalls) = await S.CountAsync("refused edit", () =>
            S.Calendars.UpdateObjectPropertiesAsync(Owner, "work", "a.ics", Refuse, Ct), output);
        Assert.Equal(WriteStatus.Updated, refused.Status);
        Assert.Equal(2, refusedCalls); // read, nothing written
        Assert.Equal(WriteStatus.NotFound, (await S.Calendars.UpdateObjectPropertiesAsync(Owner, "work", "none.ics", SetTo("<y/>"), Ct)).Status);

        await S.PutAsync("work", "a.ics", Event("a", "changed"));
        Assert.Equal("<x/>", (await S.Calendars.GetObjectAsync(Owner, "work", "a.ics", Ct))!.DeadProperties);
        // One UID per calendar: copy to the other calendar, move within this one.
        Assert.Equal(WriteStatus.Created, (await S.Calendars.TransferObjectAsync(Owner, "work", "a.ics", "home", "b.ics", move: false, overwrite: true, WriteConditions.None, Ct)).Status);
        Assert.Equal(WriteStatus.Created, (await S.Calendars.TransferObjectAsync(Owner, "work", "a.ics", "work", "c.ics", move: true, overwrite: true, WriteConditions.None, Ct)).Status);
        Assert.Equal("<x/>", (await S.Calendars.GetObjectAsync(Owner, "home", "b.ics", Ct))!.DeadProperties);
        Assert.Equal("<x/>", (await S.Calendars.GetObjectAsync(Owner, "work", "c.ics", Ct))!.DeadProperties);

        await S.Calendars.UpdateObjectPropertiesAsync(Owner, "home", "b.ics", SetTo(null), Ct);
        Assert.Null((await S.Calendars.GetObjectAsync(Owner, "home", "b.ics", Ct))!.DeadProperties);
    }

    [Fact]
    public async Task A_calendar_edit_is_applied_with_its_other_changes_or_not_at_all()
    {
        await S.CreateCalendarAsync("work");
        var updated = await S.Calendars.UpdateCalendarAsync(Owner, "work", new CalendarPropertyChanges { Color = "#112233", DeadProperties = SetTo("<x/>") }, Ct);
        Assert.Equal("<x/>", updated!.DeadProperties);
        var unchanged = await S.Calendars.UpdateCalendarAsync(Owner, "work", new CalendarPropertyChanges { Color = "#445566", DeadProperties = Refuse }, Ct);
        Assert.Equal(updated.Revision, unchanged!.Revision);
        var stored = (await S.GetCalendarAsync("work"))!;
        Assert.Equal(("#112233", "<x/>"), (stored.Color, stored.DeadProperties));
        await S.Calendars.UpdateCalendarAsync(Owner, "work", new CalendarPropertyChanges { DeadProperties = SetTo(null) }, Ct);
        Assert.Null((await S.GetCalendarAsync("work"))!.DeadProperties);
    }

    [Fact]
    public async Task Another_instance_sees_an_object_edit_by_replaying_the_change_rows()
    {
        await using var other = await Fixture.CreateStorageAsync(S.Prefix);
        await S.CreateCalendarAsync("work");
        for (var i = 0; i < 5; i++)
            await S.PutAsync("work", $"e{i}.ics", Event($"u{i}"));
        var cal = (await other.Calendars.GetCalendarAsync(Owner, "work", Ct))!;
        Assert.Equal(5, (await other.Calendars.ListObjectsAsync(cal, Ct)).Count); // other is warm

        await S.Calendars.UpdateObjectPropertiesAsync(Owner, "work", "e2.ics", SetTo("<x/>"), Ct);
        cal = (await other.Calendars.GetCalendarAsync(Owner, "work", Ct))!;
        var (after, calls) = await other.CountAsync("replay", () => other.Calendars.ListObjectsAsync(cal, Ct), output);
        Assert.Equal(1, calls);
        Assert.Equal("<x/>", after.Single(o => o.Name == "e2.ics").DeadProperties);
        // A cold time-range query reads bucket rows: they carry the edit too.
        other.Snapshots.Clear();
        other.Snapshots.Options.LoadInBackground = false;
        var ranged = await other.Calendars.QueryObjectsAsync(cal, new ObjectQuery(null, new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero), new DateTimeOffset(2026, 1, 2, 0, 0, 0, TimeSpan.Zero)), Ct);
        Assert.Equal("<x/>", ranged.Single(o => o.Name == "e2.ics").DeadProperties);
    }
}

using Caldera.Storage.Tests.Infrastructure;
using static Caldera.Storage.Tests.Infrastructure.TestStorage;

namespace Caldera.Storage.Tests;

public class ChangeLogTests(AzuriteFixture fixture) : StorageTest(fixture)
{
    [Fact]
    public async Task Changes_list_each_name_once_with_its_latest_state()
    {
        await S.CreateCalendarAsync("work");
        await S.PutAsync("work", "a.ics", Event("a"));                                      // 1
        await S.PutAsync("work", "b.ics", Event("b"));                                      // 2
        await S.PutAsync("work", "c.ics", Event("c"));                                      // 3
        var mid = (await S.GetCalendarAsync("work"))!.Revision;
        await S.PutAsync("work", "a.ics", Event("a", "changed"));                           // 4
        await S.Calendars.DeleteObjectAsync(Owner, "work", "b.ics", WriteConditions.None, Ct); // 5
        await S.Calendars.UpdateCalendarAsync(Owner, "work", new CalendarPropertyChanges { Color = "#00FF00" }, Ct); // 6
        await S.PutAsync("work", "d.ics", Event("d"));                                      // 7
        await S.Calendars.DeleteObjectAsync(Owner, "work", "d.ics", WriteConditions.None, Ct); // 8

        var all = await S.Calendars.GetChangesAsync(Owner, "work", 0, Ct);
        Assert.NotNull(all);
        Assert.Equal(8, all.Revision);
        Assert.Equal(
            [new("c.ics", false, 3), new("a.ics", false, 4), new("b.ics", true, 5), new("d.ics", true, 8)],
            all.Changes);

        var later = await S.Calendars.GetChangesAsync(Owner, "work", mid, Ct);
        Assert.Equal(["a.ics", "b.ics", "d.ics"], later!.Changes.Select(c => c.Name));
        Assert.Equal([new ChangeEntry("d.ics", true, 8)], (await S.Calendars.GetChangesAsync(Owner, "work", 6, Ct))!.Changes);
        Assert.Empty((await S.Calendars.GetChangesAsync(Owner, "work", 8, Ct))!.Changes);

        Assert.Null(await S.Calendars.GetChangesAsync(Owner, "work", 9, Ct));
        Assert.Null(await S.Calendars.GetChangesAsync(Owner, "work", -1, Ct));
        Assert.Null(await S.Calendars.GetChangesAsync(Owner, "none", 0, Ct));
    }

    [Fact]
    public async Task A_change_committed_after_a_token_is_always_in_the_delta()
    {
        await S.CreateCalendarAsync("work");
        await S.PutAsync("work", "a.ics", Event("a"));
        var token = (await S.GetCalendarAsync("work"))!.Revision;
        var writes = Enumerable.Range(0, 6).Select(i => Task.Run(() => S.PutAsync("work", $"n{i}.ics", Event($"n{i}")))).ToArray();
        await Task.WhenAll(writes);
        var delta = (await S.Calendars.GetChangesAsync(Owner, "work", token, Ct))!;
        Assert.Equal(Enumerable.Range(0, 6).Select(i => $"n{i}.ics").Order(), delta.Changes.Select(c => c.Name).Order());
        Assert.Equal(token + 6, delta.Revision);
    }
}

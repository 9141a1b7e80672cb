using Caldera.Storage.Tests.Infrastructure;
using static Caldera.Storage.Tests.Infrastructure.TestStorage;

namespace Caldera.Storage.Tests;

public class OddNameTests(AzuriteFixture fixture) : StorageTest(fixture)
{
    public static TheoryData<string> OddNames => new()
    {
        "a/b", "x#y?z", "%41", "ünï cødé.ics", "a|b", "back\\slash", "quote'd\"", "~!=@+&;,", "😀.ics", new string('é', 200),
    };

    [Theory]
    [MemberData(nameof(OddNames))]
    public async Task Odd_object_names_round_trip_and_stay_apart(string name)
    {
        await S.CreateCalendarAsync("work");
        Assert.Equal(WriteStatus.Created, (await S.PutAsync("work", name, Event("u1", "odd"))).Status);
        // Names that encode alike, or that are prefixes of each other, must not collide.
        Assert.Equal(WriteStatus.Created, (await S.PutAsync("work", name + "x", Event("u2"))).Status);
        Assert.Equal(WriteStatus.Created, (await S.PutAsync("work", "A", Event("u3"))).Status);

        var record = await S.Calendars.GetObjectAsync(Owner, "work", name, Ct);
        Assert.Equal(name, record?.Name);
        Assert.Contains("SUMMARY:odd", await S.BodyTextAsync(record!));
        Assert.Equal(new[] { name, name + "x", "A" }.Order(StringComparer.Ordinal),
            (await S.Calendars.ListObjectsAsync(Owner, "work", Ct)).Select(o => o.Name).Order(StringComparer.Ordinal));
        Assert.Equal([name], (await S.Calendars.GetObjectsAsync(Owner, "work", [name, "missing"], Ct)).Select(o => o.Name));
        Assert.Contains((await S.Calendars.GetChangesAsync(Owner, "work", 0, Ct))!.Changes, c => c.Name == name);

        Assert.Equal(WriteStatus.Deleted, (await S.Calendars.DeleteObjectAsync(Owner, "work", name, WriteConditions.None, Ct)).Status);
        Assert.Null(await S.Calendars.GetObjectAsync(Owner, "work", name, Ct));
        Assert.NotNull(await S.Calendars.GetObjectAsync(Owner, "work", name + "x", Ct));
    }

    [Theory]
    [InlineData("ünï cødé")]
    [InlineData("a|b")]
    [InlineData("x#y?z%41")]
    public async Task Odd_calendar_names_round_trip(string calendar)
    {
        await S.CreateCalendarAsync(calendar);
        await S.CreateCalendarAsync(calendar + "2");
        Assert.Equal(WriteStatus.Created, (await S.PutAsync(calendar, "a.ics", Event("u"))).Status);
        Assert.Equal(calendar, (await S.GetCalendarAsync(calendar))!.Name);
        Assert.Contains(calendar, (await S.Calendars.ListCalendarsAsync(Owner, Ct)).Select(c => c.Name));
        Assert.Single(await S.Calendars.ListObjectsAsync(Owner, calendar, Ct));
        Assert.Empty(await S.Calendars.ListObjectsAsync(Owner, calendar + "2", Ct));
        Assert.True(await S.Calendars.DeleteCalendarAsync(Owner, calendar, Ct));
        Assert.NotNull(await S.GetCalendarAsync(calendar + "2"));
    }

    [Fact]
    public async Task Many_names_load_the_calendar_once_then_read_nothing()
    {
        await S.CreateCalendarAsync("work");
        for (var i = 0; i < 60; i++)
            await S.PutAsync("work", $"e{i}.ics", Event($"u{i}"));
        var cal = (await S.GetCalendarAsync("work"))!;
        var names = Enumerable.Range(0, 70).Select(i => $"e{i}.ics").ToList();
        using (var scope = S.Counter.BeginScope())
        {
            var found = await S.Calendars.GetObjectsAsync(cal, names, Ct);
            Assert.Equal(60, found.Count);
            Assert.Equal(2, scope.Calls); // one index page, then the calendar row again (nothing changed meanwhile)
        }
        using (var scope = S.Counter.BeginScope())
        {
            Assert.Equal(60, (await S.Calendars.GetObjectsAsync(cal, names, Ct)).Count);
            Assert.Equal(0, scope.Calls); // the caller already read the calendar row: the snapshot answers
        }
    }

    [Fact]
    public async Task A_few_names_cold_are_read_by_keyed_queries_of_fourteen()
    {
        await S.CreateCalendarAsync("work");
        S.Snapshots.Options.LoadInBackground = false;
        for (var i = 0; i < 60; i++)
            await S.PutAsync("work", $"e{i}.ics", Event($"u{i}"));
        var cal = (await S.GetCalendarAsync("work"))!;
        var names = Enumerable.Range(0, 50).Select(i => $"e{i * 2}.ics").ToList(); // 30 exist
        using var scope = S.Counter.BeginScope();
        var found = await S.Calendars.GetObjectsAsync(cal, names, Ct);
        Assert.Equal(Enumerable.Range(0, 30).Select(i => $"e{i * 2}.ics").Order(), found.Select(f => f.Name).Order());
        Assert.Equal(4, scope.TableCalls); // 50 names / 14 per query
        Assert.Equal(0, scope.BlobCalls);
        Assert.All(found, f => Assert.NotNull(f.Body)); // bodies come inline
    }
}

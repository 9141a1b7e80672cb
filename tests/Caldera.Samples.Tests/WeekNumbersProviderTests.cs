using System.Text;
using Caldera.Calendars;
using Caldera.Calendars.Providers;
using Caldera.Samples;

namespace Caldera.Samples.Tests;

public sealed class WeekNumbersProviderTests
{
    sealed class FixedTime(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }

    static readonly CalendarContext Alice = new("alice", "alice");
    static WeekNumbersProvider At(int y, int m, int d) => new(new FixedTime(new DateTimeOffset(y, m, d, 15, 0, 0, TimeSpan.Zero)));

    static async Task<ICalendar> OpenAsync(WeekNumbersProvider provider) =>
        await provider.GetCalendarAsync(Alice, WeekNumbersProvider.CalendarUri, CancellationToken.None) ?? throw new InvalidOperationException();

    [Fact]
    public async Task One_calendar_read_only_without_sync_token()
    {
        var provider = At(2026, 11, 25);
        Assert.Equal("weeknumbers", provider.AppId);
        var all = await provider.GetCalendarsAsync(Alice, null, CancellationToken.None);
        var calendar = Assert.Single(all);
        Assert.Equal("alice", calendar.Owner);
        Assert.Equal(CalendarPrivileges.Read, calendar.Privileges);
        Assert.IsNotAssignableFrom<IWritableCalendar>(calendar);
        Assert.IsNotAssignableFrom<IManageableCalendar>(calendar);
        Assert.Null(calendar.SyncToken);
        Assert.Null(await calendar.GetChangesAsync("anything", CancellationToken.None));
        Assert.Equal(["VEVENT"], calendar.SupportedComponents);
        Assert.Empty(await provider.GetCalendarsAsync(Alice, ["other"], CancellationToken.None));
        Assert.Null(await provider.GetCalendarAsync(Alice, "other", CancellationToken.None));
        Assert.True(await provider.HasCalendarAsync(Alice, "weeks", CancellationToken.None));
        Assert.False(await provider.HasCalendarAsync(Alice, "other", CancellationToken.None));
    }

    [Fact]
    public async Task One_all_day_event_per_iso_week_around_today()
    {
        var calendar = await OpenAsync(At(2026, 11, 25)); // a Wednesday of week 48
        var objects = await calendar.GetObjectsAsync(CancellationToken.None);
        Assert.Equal(WeekNumbersProvider.WeeksBefore + WeekNumbersProvider.WeeksAfter + 1, objects.Count);
        Assert.Equal(objects.Count, objects.Select(o => o.Uid).Distinct().Count());
        var week = Assert.Single(objects, o => o.Name == "2026-W48.ics");
        Assert.Equal("VEVENT", week.Component);
        var text = Encoding.UTF8.GetString((await week.GetDataAsync(CancellationToken.None))!);
        Assert.Contains("DTSTART;VALUE=DATE:20261123\r\n", text, StringComparison.Ordinal);
        Assert.Contains("SUMMARY:Week 48\r\n", text, StringComparison.Ordinal);
        Assert.Equal(text.Length, week.Size);
        // valid for the engine's own parser (what PUT would accept)
        var parsed = CalendarObjectParser.Parse(Encoding.UTF8.GetBytes(text), ["VEVENT"]);
        Assert.Equal(week.Uid, parsed.Uid);
        // ISO years: 2026-12-28 is in week 53 of 2026, 2027-01-04 opens week 1 of 2027
        Assert.Contains(objects, o => o.Name == "2026-W53.ics");
        Assert.Contains(objects, o => o.Name == "2027-W01.ics");
    }

    [Fact]
    public async Task Names_uids_and_etags_are_stable_and_change_with_content()
    {
        var monday = await OpenAsync(At(2026, 11, 23));
        var sunday = await OpenAsync(At(2026, 11, 29));
        var a = await monday.GetObjectAsync("2026-W48.ics", CancellationToken.None);
        var b = await sunday.GetObjectAsync("2026-W48.ics", CancellationToken.None);
        Assert.NotNull(a);
        Assert.Equal(a.ETag, b!.ETag);
        Assert.Equal(a.Uid, b.Uid);
        Assert.StartsWith("\"", a.ETag, StringComparison.Ordinal);
        Assert.Equal(monday.CTag, sunday.CTag);
        var next = await monday.GetObjectAsync("2026-W49.ics", CancellationToken.None);
        Assert.NotEqual(a.ETag, next!.ETag);
        Assert.NotEqual(monday.CTag, (await OpenAsync(At(2026, 11, 30))).CTag); // the window moved
        var some = await monday.GetObjectsAsync(["2026-W48.ics", "nope.ics"], CancellationToken.None);
        Assert.Equal("2026-W48.ics", Assert.Single(some).Name);
        Assert.Null(await monday.GetObjectAsync("nope.ics", CancellationToken.None));
    }
}

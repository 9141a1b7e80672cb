using System.Net;
using System.Net.Http.Json;
using Caldera.Calendars;
using Caldera.Calendars.Manager;
using Caldera.Storage;
using Microsoft.Extensions.DependencyInjection;
using static Caldera.Functions.Tests.Dav.DavHelpers;

namespace Caldera.Functions.Tests.Providers;

/// <summary>The app-facing manager (the seed's IManager): the same calendars, privileges and validation as CalDAV.</summary>
[Collection(CalderaServerCollection.Name)]
public sealed class CalendarManagerTests(CalderaServerFixture fixture)
{
    const string Alice = CalderaServerFixture.Alice;
    const string Bob = CalderaServerFixture.Bob;

    ICalendarManager Manager => fixture.Services.GetRequiredService<ICalendarManager>();

    static string Appointment(string uid, string summary) =>
        Event(uid, summary, "20310505T090000Z", "20310505T100000Z");

    [Fact]
    public async Task Create_from_string_then_search_by_text_and_time_range()
    {
        using var alice = fixture.CreateClient(Alice);
        var name = Unique("mgr");
        var path = await MakeCalendarAsync(alice, Alice, name);
        var uid = Unique("dentist");

        var created = await Manager.CreateFromStringAsync(Alice, name, "m1.ics", Appointment(uid, "Dentist appointment"), default);
        Assert.Equal(WriteStatus.Created, created.Status);
        var get = await GetAsync(alice, path + "m1.ics");
        Assert.Equal(HttpStatusCode.OK, get.Status);
        Assert.Equal(created.ETag, get.ETag);
        Assert.Contains("Dentist appointment", get.Text);

        // Create never overwrites, and data is validated like a PUT.
        Assert.Equal(WriteStatus.PreconditionFailed, (await Manager.CreateFromStringAsync(Alice, name, "m1.ics", Appointment(Unique("x"), "Other"), default)).Status);
        var invalid = await Assert.ThrowsAsync<CalendarDataException>(() => Manager.CreateFromStringAsync(Alice, name, "bad.ics", "not a calendar", default));
        Assert.Equal(CalendarDataError.InvalidData, invalid.Error);

        var byText = await Manager.SearchAsync(Alice, new CalendarSearch { Text = "DENTIST", CalendarUris = [name] }, default);
        Assert.Equal(["m1.ics"], byText.Select(r => r.Name).ToArray());
        Assert.Equal(uid, byText[0].Uid);
        var inWeek = await Manager.SearchAsync(Alice, new CalendarSearch { Start = new DateTime(2031, 5, 5, 0, 0, 0, DateTimeKind.Utc), End = new DateTime(2031, 5, 6, 0, 0, 0, DateTimeKind.Utc), CalendarUris = [name] }, default);
        Assert.Equal(["m1.ics"], inWeek.Select(r => r.Name).ToArray());
        Assert.Empty(await Manager.SearchAsync(Alice, new CalendarSearch { Text = "dentist", Start = new DateTime(2031, 6, 1, 0, 0, 0, DateTimeKind.Utc), End = new DateTime(2031, 7, 1, 0, 0, 0, DateTimeKind.Utc) }, default));
        Assert.Empty(await Manager.SearchAsync(Alice, new CalendarSearch { Text = "no such words", CalendarUris = [name] }, default));

        // Bob searches his own calendars only.
        Assert.DoesNotContain(await Manager.SearchAsync(Bob, new CalendarSearch { Text = "dentist" }, default), r => r.Uid == uid);
        // The store's calendars do not take iMIP data themselves.
        Assert.False(await Manager.HandleImipMessageAsync(Alice, name, "i.ics", Appointment(Unique("i"), "x"), default));
    }

    [Fact]
    public async Task A_read_only_shared_calendar_is_listed_and_searched_but_refuses_create()
    {
        using var alice = fixture.CreateClient(Alice);
        var name = Unique("mgrro");
        var path = await MakeCalendarAsync(alice, Alice, name);
        await PutNewAsync(alice, path + "a.ics", Appointment(Unique("ro"), "Board meeting"));
        using (var manage = fixture.CreateManagementClient())
        using (var share = await manage.PutAsJsonAsync($"manage/users/{Alice}/calendars/{name}/shares/{Bob}", new { access = "read" }))
            Assert.Equal(HttpStatusCode.OK, share.StatusCode);

        var segment = $"app-generated--shared--{Alice}--{name}";
        var calendars = await Manager.GetCalendarsAsync(Bob, [segment], default);
        Assert.Single(calendars);
        Assert.Equal(["a.ics"], (await Manager.SearchAsync(Bob, new CalendarSearch { Text = "board", CalendarUris = [segment] }, default)).Select(r => r.Name).ToArray());
        await Assert.ThrowsAsync<UnauthorizedAccessException>(() =>
            Manager.CreateFromStringAsync(Bob, segment, "b.ics", Appointment(Unique("b"), "Sneaky"), default));
        Assert.Equal(HttpStatusCode.NotFound, (await GetAsync(alice, path + "b.ics")).Status);
    }
}

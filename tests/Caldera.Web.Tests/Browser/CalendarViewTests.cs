using System.Text.RegularExpressions;
using static Caldera.Web.Tests.Browser.WebPage;
using static Microsoft.Playwright.Assertions;

namespace Caldera.Web.Tests.Browser;

/// <summary>
/// Events written over CalDAV show in the week and month views, recurrences expanded by the server (later weeks
/// reached with FullCalendar's own buttons, an EXDATE'd instance absent).
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class CalendarViewTests(WebServerFixture server, BrowserFixture browser)
{
    const string Alice = WebServerFixture.Alice;

    [Fact]
    public async Task An_event_put_over_CalDAV_shows_in_the_week_view()
    {
        var title = $"Dentist {Dav.Unique()}";
        using (var dav = server.CreateDavClient(Alice))
            await Dav.PutAsync(dav, Alice, "default", $"one-{Dav.Unique()}", Ics.Event(Guid.NewGuid().ToString(), title, "20270210T140000Z", "20270210T150000Z"));

        await using var context = await browser.NewContextAsync();
        var page = await SignInAsync(context, server, Alice);
        await OpenCalendarAsync(page, server, "2027-02-10");

        await Expect(Events(Day(page, "2027-02-10"), title)).ToBeVisibleAsync();
        await Expect(Events(page, title)).ToHaveCountAsync(1);
    }

    [Fact]
    public async Task A_weekly_series_shows_on_later_weeks_but_not_on_its_excluded_date_and_in_month_view()
    {
        // Mondays 1 March to 3 May 2027; 15 March is excluded. A one-off marker shows when the 15 March week has loaded.
        var title = $"Stand-up {Dav.Unique()}";
        var marker = $"Marker {Dav.Unique()}";
        using (var dav = server.CreateDavClient(Alice))
        {
            await Dav.PutAsync(dav, Alice, "default", $"series-{Dav.Unique()}", Ics.Event(Guid.NewGuid().ToString(), title,
                "20270301T100000Z", "20270301T103000Z", rrule: "FREQ=WEEKLY;COUNT=10", exdate: "20270315T100000Z"));
            await Dav.PutAsync(dav, Alice, "default", $"marker-{Dav.Unique()}", Ics.Event(Guid.NewGuid().ToString(), marker,
                "20270317T120000Z", "20270317T130000Z"));
        }

        await using var context = await browser.NewContextAsync();
        var page = await SignInAsync(context, server, Alice);
        await OpenCalendarAsync(page, server, "2027-03-03");
        await Expect(Events(Day(page, "2027-03-01"), title)).ToBeVisibleAsync();

        await page.Locator("#calendar .fc-next-button").ClickAsync();
        await Expect(Events(Day(page, "2027-03-08"), title)).ToBeVisibleAsync();

        await page.Locator("#calendar .fc-next-button").ClickAsync();
        await Expect(Events(Day(page, "2027-03-17"), marker)).ToBeVisibleAsync();
        await Expect(Events(page, title)).ToHaveCountAsync(0);

        await page.Locator("#calendar .fc-next-button").ClickAsync();
        await Expect(Events(Day(page, "2027-03-22"), title)).ToBeVisibleAsync();

        await page.Locator("#calendar .fc-next-button").ClickAsync();
        await page.Locator("#calendar .fc-next-button").ClickAsync();
        await page.Locator("#calendar .fc-next-button").ClickAsync();
        await Expect(Events(Day(page, "2027-04-12"), title)).ToBeVisibleAsync();

        // Month view of March: the series' Mondays, the marker, and nothing on the 15th.
        await OpenCalendarAsync(page, server, "2027-03-03", "month");
        await Expect(Events(Day(page, "2027-03-17"), marker)).ToBeVisibleAsync();
        foreach (var monday in new[] { "2027-03-01", "2027-03-08", "2027-03-22", "2027-03-29" })
            await Expect(Events(Day(page, monday), title)).ToBeVisibleAsync();
        await Expect(Events(Day(page, "2027-03-15"), title)).ToHaveCountAsync(0);
    }

    [Fact]
    public async Task The_month_button_switches_to_the_month_grid()
    {
        var title = $"Offsite {Dav.Unique()}";
        using (var dav = server.CreateDavClient(Alice))
            await Dav.PutAsync(dav, Alice, "default", $"month-{Dav.Unique()}", Ics.Event(Guid.NewGuid().ToString(), title, "20270125T090000Z", "20270125T170000Z"));

        await using var context = await browser.NewContextAsync();
        var page = await SignInAsync(context, server, Alice);
        await OpenCalendarAsync(page, server, "2027-01-06");
        await Expect(Events(page, title)).ToHaveCountAsync(0);

        await page.Locator("#calendar .fc-dayGridMonth-button").ClickAsync();

        await Expect(page.Locator("#calendar .fc-dayGridMonth-view")).ToBeVisibleAsync();
        await Expect(page).ToHaveURLAsync(new Regex("view=month"));
        await Expect(Events(Day(page, "2027-01-25"), title)).ToBeVisibleAsync();
    }
}

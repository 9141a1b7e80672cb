using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Caldera.Web.Tests.Browser;

/// <summary>
/// How the tests find their way around the page, by role and accessible name as the page contract names them
/// (sign-in form, the "Main" nav, each view's h1, FullCalendar's events).
/// </summary>
public static class WebPage
{
    /// <summary>The views of the nav: link text, hash route and h1.</summary>
    public static readonly IReadOnlyList<string> Views = ["Calendar", "Calendars", "Devices", "Sharing", "Subscriptions", "Invitations"];

    /// <summary>A new page in <paramref name="context"/> signed in as <paramref name="user"/> (the fixture's password unless given).</summary>
    public static async Task<IPage> SignInAsync(IBrowserContext context, WebServerFixture server, string user, string? password = null)
    {
        var page = await context.NewPageAsync();
        await page.GotoAsync(server.WebUri.ToString());
        await SignInOnAsync(page, user, password ?? server.PasswordOf(user));
        return page;
    }

    /// <summary>Fills and sends the sign-in form on a page that shows it, then waits for the nav.</summary>
    public static async Task SignInOnAsync(IPage page, string user, string password)
    {
        await UserName(page).FillAsync(user);
        await AppPassword(page).FillAsync(password);
        await Button(page, "Sign in").ClickAsync();
        await Expect(Nav(page)).ToBeVisibleAsync();
    }

    /// <summary>The sign-in form's user name (a role locator: views hidden by the page are not matched).</summary>
    public static ILocator UserName(IPage page) => Textbox(page, "User name");

    public static ILocator AppPassword(IPage page) => page.GetByLabel("App password", new() { Exact = true });

    public static ILocator Nav(IPage page) => page.GetByRole(AriaRole.Navigation, new() { Name = "Main", Exact = true });

    public static ILocator Button(IPage page, string name) => page.GetByRole(AriaRole.Button, new() { Name = name, Exact = true });

    public static ILocator Button(ILocator scope, string name) => scope.GetByRole(AriaRole.Button, new() { Name = name, Exact = true });

    /// <summary>A visible text field (text, url, email, search, textarea) by its label.</summary>
    public static ILocator Textbox(IPage page, string label) => page.GetByRole(AriaRole.Textbox, new() { Name = label, Exact = true });

    public static ILocator Textbox(ILocator scope, string label) => scope.GetByRole(AriaRole.Textbox, new() { Name = label, Exact = true });

    /// <summary>A visible select by its label.</summary>
    public static ILocator Select(IPage page, string label) => page.GetByRole(AriaRole.Combobox, new() { Name = label, Exact = true });

    public static ILocator Heading(IPage page, string name) => page.GetByRole(AriaRole.Heading, new() { Name = name, Level = 1, Exact = true });

    /// <summary>The open confirmation dialog's button <paramref name="name"/>.</summary>
    public static ILocator DialogButton(IPage page, string name) => Button(page.GetByRole(AriaRole.Dialog), name);

    /// <summary>Goes to a view through the nav link and waits for its h1.</summary>
    public static async Task GoToAsync(IPage page, string view)
    {
        await Nav(page).GetByRole(AriaRole.Link, new() { Name = view, Exact = true }).ClickAsync();
        await Expect(Heading(page, view)).ToBeVisibleAsync();
    }

    /// <summary>Opens the calendar view at <paramref name="date"/> (yyyy-MM-dd) in "week" or "month" through the hash route.</summary>
    public static async Task OpenCalendarAsync(IPage page, WebServerFixture server, string date, string view = "week")
    {
        await page.GotoAsync($"{server.WebUri}#/calendar?date={date}&view={view}");
        await Expect(Heading(page, "Calendar")).ToBeVisibleAsync();
        await Expect(page.Locator(view == "month" ? "#calendar .fc-dayGridMonth-view" : "#calendar .fc-timeGridWeek-view")).ToBeVisibleAsync();
    }

    /// <summary>FullCalendar's event elements in #calendar whose text holds <paramref name="title"/>.</summary>
    public static ILocator Events(ILocator scope, string title) =>
        scope.Locator(".fc-event").Filter(new() { HasText = title });

    public static ILocator Events(IPage page, string title) => Events(page.Locator("#calendar"), title);

    /// <summary>One day of the grid shown (a time-grid column in week view, a day cell in month view).</summary>
    public static ILocator Day(IPage page, string date) =>
        page.Locator($"#calendar td.fc-timegrid-col[data-date='{date}'], #calendar td.fc-daygrid-day[data-date='{date}']");

    /// <summary>The calendar card of the Calendars view whose h2 is <paramref name="name"/>.</summary>
    public static ILocator CalendarCard(IPage page, string name) =>
        page.Locator("article[data-calendar-id]").Filter(new()
        {
            Has = page.GetByRole(AriaRole.Heading, new() { Name = name, Level = 2, Exact = true }),
        });

    /// <summary>The status of a same-origin fetch of <paramref name="path"/> made by the page itself (its cookies).</summary>
    public static Task<int> FetchStatusAsync(IPage page, string path) =>
        page.EvaluateAsync<int>("async path => (await fetch(path, { credentials: 'same-origin' })).status", path);
}

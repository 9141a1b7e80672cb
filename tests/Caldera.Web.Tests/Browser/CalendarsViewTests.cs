using System.Net;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using static Caldera.Web.Tests.Browser.WebPage;
using static Microsoft.Playwright.Assertions;

namespace Caldera.Web.Tests.Browser;

/// <summary>
/// The Calendars view: a calendar made in the page exists over CalDAV, is renamed and deleted through the page;
/// its card holds the CalDAV URL, a QR code, the DAVx5 link and an .ics export holding its events.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class CalendarsViewTests(WebServerFixture server, BrowserFixture browser)
{
    const string Alice = WebServerFixture.Alice;

    [Fact]
    public async Task A_calendar_is_created_renamed_and_deleted_through_the_page()
    {
        var name = $"Projects {Dav.Unique()}";
        await using var context = await browser.NewContextAsync();
        var page = await SignInAsync(context, server, Alice);
        await GoToAsync(page, "Calendars");

        var form = page.Locator("form").Filter(new() { Has = Button(page, "Create calendar") });
        await Textbox(form, "Name").FillAsync(name);
        await form.GetByLabel("Colour", new() { Exact = true }).FillAsync("#2a9d8f");
        await Textbox(form, "Description").FillAsync("Made by the browser test");
        await Button(form, "Create calendar").ClickAsync();

        var created = CalendarCard(page, name);
        await Expect(created).ToBeVisibleAsync();
        var id = await created.GetAttributeAsync("data-calendar-id");
        Assert.Matches("^[a-z0-9-]+$", id);
        // From here on by id: the heading changes with the name.
        var card = page.Locator($"article[data-calendar-id='{id}']");
        await Expect(card).ToContainTextAsync("Made by the browser test");
        var url = new Uri(server.BaseUri, Dav.CalendarPath(Alice, id!)).ToString();
        await Expect(card.GetByLabel("CalDAV URL", new() { Exact = true })).ToHaveValueAsync(url);

        using var dav = server.CreateDavClient(Alice);
        var found = await Dav.PropfindAsync(dav, Dav.CalendarPath(Alice, id!));
        Assert.True(found.Status == HttpStatusCode.MultiStatus, $"{found.Status} {found.Body}");
        Assert.Contains(name, found.Body);

        var renamed = $"Renamed {Dav.Unique()}";
        await Button(card, "Rename").ClickAsync();
        await Textbox(card, "Name").FillAsync(renamed);
        await Button(card, "Save").ClickAsync();
        await Expect(card.GetByRole(AriaRole.Heading, new() { Level = 2 })).ToHaveTextAsync(renamed);
        Assert.Contains(renamed, (await Dav.PropfindAsync(dav, Dav.CalendarPath(Alice, id!))).Body);

        await Button(card, "Delete").ClickAsync();
        await DialogButton(page, "Delete calendar").ClickAsync();
        await Expect(card).ToHaveCountAsync(0);
        Assert.Equal(HttpStatusCode.NotFound, (await Dav.PropfindAsync(dav, Dav.CalendarPath(Alice, id!))).Status);
    }

    [Fact]
    public async Task A_card_has_the_QR_code_the_DAVx5_link_and_an_ics_export_with_its_events()
    {
        var id = $"export-{Dav.Unique()}";
        var name = $"Export {Dav.Unique()}";
        var title = $"Exported event {Dav.Unique()}";
        using (var dav = server.CreateDavClient(Alice))
        {
            await Dav.MakeCalendarAsync(dav, Alice, id, name, "#e76f51");
            await Dav.PutAsync(dav, Alice, id, "exported", Ics.Event($"{id}@example.com", title, "20270405T080000Z", "20270405T090000Z"));
        }

        await using var context = await browser.NewContextAsync();
        var page = await SignInAsync(context, server, Alice);
        await GoToAsync(page, "Calendars");
        var card = page.Locator($"article[data-calendar-id='{id}']");
        await Expect(card.GetByRole(AriaRole.Heading, new() { Level = 2 })).ToHaveTextAsync(name);

        await Expect(card.GetByLabel("CalDAV URL", new() { Exact = true }))
            .ToHaveValueAsync(new Uri(server.BaseUri, Dav.CalendarPath(Alice, id)).ToString());
        await Expect(Button(card, "Copy")).ToBeVisibleAsync();
        var qr = card.Locator($"canvas[aria-label='QR code for {name}'], img[alt='QR code for {name}']");
        await Expect(qr).ToBeVisibleAsync();
        // DAVx5's login intent takes davx5:// (https) and caldav:// (http) with the user name as user info; this
        // server is plain http on loopback.
        var davx5 = card.GetByRole(AriaRole.Link, new() { Name = "Open in DAVx⁵", Exact = true });
        await Expect(davx5).ToHaveAttributeAsync("href", new Regex($@"^(davx5|caldav)://{Alice}@{Regex.Escape(server.BaseUri.Authority)}/$"));

        var download = await page.RunAndWaitForDownloadAsync(() =>
            card.GetByRole(AriaRole.Link, new() { Name = "Export .ics", Exact = true }).ClickAsync());
        Assert.Equal($"{id}.ics", download.SuggestedFilename);
        var text = await File.ReadAllTextAsync(await download.PathAsync());
        Assert.StartsWith("BEGIN:VCALENDAR", text);
        Assert.Contains($"SUMMARY:{title}", text);
        Assert.Contains($"UID:{id}@example.com", text);
    }
}

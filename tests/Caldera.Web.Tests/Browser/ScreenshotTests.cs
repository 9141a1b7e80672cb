using System.Net.Http.Json;
using Microsoft.Playwright;
using static Caldera.Web.Tests.Browser.WebPage;
using static Microsoft.Playwright.Assertions;

namespace Caldera.Web.Tests.Browser;

/// <summary>
/// Every view at desktop (1280×800) and phone (390×844) width, saved as full-page PNGs in
/// tests/Caldera.Web.Tests/artifacts/ (the README shows two), for a user whose week looks like a real one; at phone
/// width no view may scroll sideways.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class ScreenshotTests(WebServerFixture server, BrowserFixture browser)
{
    const string User = "robin";
    const string Password = "robin-web-password-4444";
    const string Week = "2027-05-12";

    public static readonly string[] Pages =
        ["sign-in", "calendar-week", "calendar-month", "calendars", "devices", "sharing", "subscriptions", "invitations", "admin"];

    [Fact]
    public async Task Every_view_is_captured_at_desktop_and_phone_width_and_fits_a_phone()
    {
        var feedBody = Ics.Calendar(
            Ics.VEvent("match-1@league.example", "Home match", "20270510T173000Z", "20270510T193000Z") +
            Ics.VEvent("match-2@league.example", "Away match", "20270515T140000Z", "20270515T160000Z"));
        await using var feed = new LoopbackFeed(feedBody);
        await SetUpRobinAsync();

        var overflow = new List<string>();
        foreach (var viewport in new[] { Viewport.Desktop, Viewport.Phone })
        {
            await using var context = await browser.NewContextAsync(viewport);
            var page = await context.NewPageAsync();
            async Task CaptureAsync(IPage shown, string name)
            {
                await Screenshots.SaveAsync(shown, name, viewport);
                var width = await shown.EvaluateAsync<int>("() => document.scrollingElement.scrollWidth");
                if (viewport == Viewport.Phone && width > viewport.Width + 1)
                    overflow.Add($"{name}: {width} px wide");
            }

            await page.GotoAsync(server.WebUri.ToString());
            await Expect(UserName(page)).ToBeVisibleAsync();
            await CaptureAsync(page, "sign-in");
            await SignInOnAsync(page, User, Password);

            if (viewport == Viewport.Desktop)
                await SubscribeAsync(page, feed.Url("league.ics"));

            await OpenCalendarAsync(page, server, Week);
            await Expect(Events(page, "Design review")).ToBeVisibleAsync();
            await Expect(Events(page, "Home match")).ToBeVisibleAsync();
            await CaptureAsync(page, "calendar-week");

            await OpenCalendarAsync(page, server, Week, "month");
            await Expect(Events(Day(page, "2027-05-11"), "Design review")).ToBeVisibleAsync();
            await CaptureAsync(page, "calendar-month");

            await GoToAsync(page, "Calendars");
            await Expect(CalendarCard(page, "Work")).ToBeVisibleAsync();
            await Expect(CalendarCard(page, "Book club")).ToBeVisibleAsync();
            await CaptureAsync(page, "calendars");

            await GoToAsync(page, "Devices");
            await Expect(page.Locator("tr[data-password-id]").Filter(new() { HasText = "Pixel 8" })).ToBeVisibleAsync();
            await CaptureAsync(page, "devices");

            await GoToAsync(page, "Sharing");
            await Expect(page.Locator($"tr[data-share='work/{WebServerFixture.Alice}']")).ToBeVisibleAsync();
            await CaptureAsync(page, "sharing");

            await GoToAsync(page, "Subscriptions");
            await Expect(page.Locator("tr[data-subscription-id]").Filter(new() { HasText = "Football league" })).ToBeVisibleAsync();
            await CaptureAsync(page, "subscriptions");

            await GoToAsync(page, "Invitations");
            await Expect(page.Locator("tr[data-imip-row]").Filter(new() { HasText = "Quarterly planning" })).ToBeVisibleAsync();
            await CaptureAsync(page, "invitations");

            var admin = await AdminPageTests.OpenAdminAsync(context, server);
            await Expect(admin.Locator($"tr[data-user='{User}']")).ToBeVisibleAsync();
            await CaptureAsync(admin, "admin");
        }

        foreach (var viewport in new[] { Viewport.Desktop, Viewport.Phone })
            foreach (var name in Pages)
            {
                var path = Screenshots.PathOf(name, viewport);
                Assert.True(File.Exists(path), $"{path} is missing");
                var head = new byte[8];
                await using (var file = File.OpenRead(path))
                    Assert.Equal(8, await file.ReadAsync(head));
                Assert.Equal(new byte[] { 0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A }, head);
                Assert.True(new FileInfo(path).Length > 1000, $"{path} is nearly empty");
            }
        Assert.True(overflow.Count == 0, "views wider than a phone (390 px):\n" + string.Join("\n", overflow));
    }

    /// <summary>robin: two calendars of a working week, a shared-in calendar, two devices, a share, an invitation.</summary>
    async Task SetUpRobinAsync()
    {
        using var manage = server.CreateManagementClient();
        (await manage.PostAsJsonAsync("manage/users", new { userName = User, displayName = "Robin Park", email = "robin@example.com" })).EnsureSuccessStatusCode();
        (await manage.PostAsJsonAsync($"manage/users/{User}/passwords", new { label = "Laptop", password = Password })).EnsureSuccessStatusCode();
        (await manage.PostAsJsonAsync($"manage/users/{User}/passwords", new { label = "Pixel 8" })).EnsureSuccessStatusCode();

        using (var dav = server.CreateDavClient(User, Password))
        {
            await Dav.MakeCalendarAsync(dav, User, "work", "Work", "#1d4ed8");
            await Dav.MakeCalendarAsync(dav, User, "personal", "Personal", "#c2410c");
            await Dav.PutAsync(dav, User, "work", "standup", Ics.Event("standup@robin", "Team stand-up",
                "20270503T083000Z", "20270503T084500Z", rrule: "FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR;COUNT=40"));
            await Dav.PutAsync(dav, User, "work", "review", Ics.Event("review@robin", "Design review", "20270511T120000Z", "20270511T133000Z"));
            await Dav.PutAsync(dav, User, "work", "one-on-one", Ics.Event("one-on-one@robin", "1:1 with Sam", "20270513T100000Z", "20270513T103000Z"));
            await Dav.PutAsync(dav, User, "work", "release", Ics.Event("release@robin", "Release 2.4", "20270514T150000Z", "20270514T163000Z"));
            await Dav.PutAsync(dav, User, "personal", "dentist", Ics.Event("dentist@robin", "Dentist", "20270512T150000Z", "20270512T160000Z"));
            await Dav.PutAsync(dav, User, "personal", "yoga", Ics.Event("yoga@robin", "Yoga",
                "20270504T170000Z", "20270504T180000Z", rrule: "FREQ=WEEKLY;BYDAY=TU,TH;COUNT=16"));
            await Dav.PutAsync(dav, User, "personal", "trip", Ics.Calendar(
                "BEGIN:VEVENT\r\nUID:trip@robin\r\nDTSTAMP:20270101T000000Z\r\nSUMMARY:Long weekend\r\n" +
                "DTSTART;VALUE=DATE:20270514\r\nDTEND;VALUE=DATE:20270517\r\nEND:VEVENT\r\n"));
        }
        using (var carol = server.CreateDavClient(WebServerFixture.Carol))
        {
            await Dav.MakeCalendarAsync(carol, WebServerFixture.Carol, "book-club", "Book club", "#7c3aed");
            await Dav.PutAsync(carol, WebServerFixture.Carol, "book-club", "meeting", Ics.Event("book@carol", "Book club: Piranesi", "20270513T180000Z", "20270513T193000Z"));
        }
        (await manage.PutAsJsonAsync($"manage/users/{User}/calendars/work/shares/{WebServerFixture.Alice}", new { access = "read" })).EnsureSuccessStatusCode();
        (await manage.PutAsJsonAsync($"manage/users/{WebServerFixture.Carol}/calendars/book-club/shares/{User}", new { access = "read" })).EnsureSuccessStatusCode();

        var invitation = ImipMail.Invitation("robin@example.com", "Invitation: Quarterly planning", "quarterly@example.net",
            "Quarterly planning", "20270512T090000Z", "20270512T103000Z");
        await ImipMail.DeliverAsync(server, invitation, "robin@example.com", User);
    }

    /// <summary>Subscribes robin to the feed through the page (once, at the first width).</summary>
    static async Task SubscribeAsync(IPage page, string url)
    {
        await GoToAsync(page, "Subscriptions");
        await Textbox(page, "Feed URL").FillAsync(url);
        await Textbox(page, "Name").FillAsync("Football league");
        await Button(page, "Subscribe").ClickAsync();
        await Expect(page.Locator("tr[data-subscription-id]").Filter(new() { HasText = "Football league" })).ToBeVisibleAsync();
    }
}

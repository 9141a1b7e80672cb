using static Caldera.Web.Tests.Browser.WebPage;
using static Microsoft.Playwright.Assertions;

namespace Caldera.Web.Tests.Browser;

/// <summary>A share granted in alice's page shows in bob's (list and events) and goes away when alice stops it.</summary>
[Collection(BrowserCollection.Name)]
public sealed class SharingTests(WebServerFixture server, BrowserFixture browser)
{
    const string Alice = WebServerFixture.Alice;
    const string Bob = WebServerFixture.Bob;

    [Fact]
    public async Task A_read_only_share_shows_in_the_sharees_page_until_it_is_stopped()
    {
        var id = $"team-{Dav.Unique()}";
        var name = $"Team {Dav.Unique()}";
        var title = $"Planning {Dav.Unique()}";
        using (var dav = server.CreateDavClient(Alice))
        {
            await Dav.MakeCalendarAsync(dav, Alice, id, name, "#264653");
            await Dav.PutAsync(dav, Alice, id, "planning", Ics.Event($"{id}@example.com", title, "20270607T130000Z", "20270607T140000Z"));
        }

        await using var aliceContext = await browser.NewContextAsync();
        var alice = await SignInAsync(aliceContext, server, Alice);
        await GoToAsync(alice, "Sharing");
        await Select(alice, "Calendar").SelectOptionAsync(id);
        await Expect(alice.Locator("#share-user")).ToHaveAccessibleNameAsync("User name");
        await alice.Locator("#share-user").FillAsync(Bob);
        await Select(alice, "Access").SelectOptionAsync("read");
        await Button(alice, "Share").ClickAsync();
        var granted = alice.Locator($"tr[data-share='{id}/{Bob}']");
        await Expect(granted).ToBeVisibleAsync();

        await using var bobContext = await browser.NewContextAsync();
        var bob = await SignInAsync(bobContext, server, Bob);
        await GoToAsync(bob, "Calendars");
        var shared = CalendarCard(bob, name);
        await Expect(shared).ToBeVisibleAsync();
        // A read-only share is not bob's to rename or delete.
        await Expect(Button(shared, "Delete")).ToHaveCountAsync(0);
        await OpenCalendarAsync(bob, server, "2027-06-09");
        await Expect(Events(Day(bob, "2027-06-07"), title)).ToBeVisibleAsync();

        await Button(granted, "Stop sharing").ClickAsync();
        await Expect(granted).ToHaveCountAsync(0);

        await bob.ReloadAsync();
        await GoToAsync(bob, "Calendars");
        // Bob's own calendar shows once the list has loaded; the shared one no longer does.
        await Expect(bob.Locator("article[data-calendar-id='default']")).ToBeVisibleAsync();
        await Expect(CalendarCard(bob, name)).ToHaveCountAsync(0);
    }
}

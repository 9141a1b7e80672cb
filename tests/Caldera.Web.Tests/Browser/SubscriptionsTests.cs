using System.Text.RegularExpressions;
using static Caldera.Web.Tests.Browser.WebPage;
using static Microsoft.Playwright.Assertions;

namespace Caldera.Web.Tests.Browser;

/// <summary>A feed served on loopback, subscribed to in the page: its row has a status and its event shows.</summary>
[Collection(BrowserCollection.Name)]
public sealed class SubscriptionsTests(WebServerFixture server, BrowserFixture browser)
{
    const string Alice = WebServerFixture.Alice;

    [Fact]
    public async Task A_feed_added_in_the_page_shows_its_status_and_its_events()
    {
        var title = $"Match day {Dav.Unique()}";
        var name = $"Football {Dav.Unique()}";
        await using var feed = new LoopbackFeed(Ics.Event($"match-{Dav.Unique()}@feed.example", title, "20270712T180000Z", "20270712T200000Z"));
        var url = feed.Url("fixtures.ics");

        await using var context = await browser.NewContextAsync();
        var page = await SignInAsync(context, server, Alice);
        await GoToAsync(page, "Subscriptions");
        await Textbox(page, "Feed URL").FillAsync(url);
        await Textbox(page, "Name").FillAsync(name);
        await Button(page, "Subscribe").ClickAsync();

        var row = page.Locator("tr[data-subscription-id]").Filter(new() { HasText = name });
        await Expect(row).ToBeVisibleAsync();
        await Expect(row).ToContainTextAsync(url);
        // The status is a sentence of its own, in the cell after name and URL.
        await Expect(row.Locator("td").Nth(2)).ToHaveTextAsync(new Regex(@"\w+\s+\w+"));

        await OpenCalendarAsync(page, server, "2027-07-14");
        await Expect(Events(Day(page, "2027-07-12"), title)).ToBeVisibleAsync();
        Assert.True(feed.Requests > 0, "Caldera never fetched the feed");

        // Now fetched, the status says when (the feed calendar's own sentence).
        await GoToAsync(page, "Subscriptions");
        await Expect(row.Locator("td").Nth(2)).ToContainTextAsync(new Regex(@"last fetched \d{4}-\d{2}-\d{2}"));
    }
}

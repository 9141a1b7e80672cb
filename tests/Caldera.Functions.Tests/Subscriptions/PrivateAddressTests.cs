using static Caldera.Functions.Tests.Dav.DavHelpers;
using static Caldera.Functions.Tests.Subscriptions.SubscriptionHelpers;

namespace Caldera.Functions.Tests.Subscriptions;

/// <summary>With the default configuration (the shared server), a feed on a loopback address is never fetched.</summary>
[Collection(CalderaServerCollection.Name)]
public sealed class PrivateAddressTests(CalderaServerFixture fixture)
{
    [Fact]
    public async Task A_loopback_feed_is_refused_and_the_calendar_says_why()
    {
        await using var feeds = new FeedServer();
        var user = await NewUserAsync(fixture.Services, "subsdef");
        var feed = feeds["private.ics"];
        feed.Body = Feed(FeedEvent("secret", "Secret", "20250101T100000Z"));
        await SubscribeAsync(fixture.Services, user, new { uri = "internal", url = feeds.Url("private.ics"), refreshMinutes = 0 });
        using var client = Client(fixture.BaseUri, user);

        var (description, objects) = await ReadCalendarAsync(client, $"/calendars/{user}/app-generated--ics--internal/");

        Assert.Empty(objects);
        Assert.Contains("refused", description);
        Assert.Contains("127.0.0.1", description);
        Assert.Contains("No copy of the feed is available", description);
        Assert.Equal(0, feed.Requests);
    }
}

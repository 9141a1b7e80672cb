using System.Net;

namespace Caldera.Web.Tests.Api;

/// <summary>subscriptions: feeds kept in the user's ics registry row, shown in the home with the feed's status.</summary>
[Collection(WebServerCollection.Name)]
public sealed class SubscriptionApiTests(WebServerFixture fixture)
{
    const string Feed = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//feed//EN\r\nBEGIN:VEVENT\r\nUID:holiday-1\r\nDTSTAMP:20260101T000000Z\r\n" +
                        "DTSTART;VALUE=DATE:20270501\r\nDTEND;VALUE=DATE:20270502\r\nSUMMARY:Labour Day\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n";

    [Fact]
    public async Task Subscribe_shows_the_feed_with_its_status_and_events_and_unsubscribe_removes_it()
    {
        await using var feed = new LoopbackFeed(Feed);
        using var client = await ApiUsers.SignedInAsync(fixture, "subs");

        var added = await client.ExpectAsync(HttpStatusCode.Created, HttpMethod.Post, "subscriptions", new { url = feed.Url.ToString(), name = "Public Holidays" });
        Assert.Equal("public-holidays", ApiUsers.Text(added, "id"));
        Assert.Equal("app-generated--ics--public-holidays", ApiUsers.Text(added, "calendarId"));
        Assert.Equal("Public Holidays", ApiUsers.Text(added, "name"));
        Assert.Equal(feed.Url.ToString(), ApiUsers.Text(added, "url"));
        Assert.StartsWith($"Subscribed to {feed.Url}", ApiUsers.Text(added, "status"));
        Assert.True(feed.Requests >= 1);

        var list = Assert.Single((await client.GetJsonAsync("subscriptions")).AsArray());
        Assert.Equal("public-holidays", ApiUsers.Text(list, "id"));
        Assert.StartsWith("Subscribed to", ApiUsers.Text(list, "status"));

        var calendar = (await client.GetJsonAsync("calendars")).AsArray().Single(c => ApiUsers.Text(c, "kind") == "subscription");
        Assert.Equal("app-generated--ics--public-holidays", ApiUsers.Text(calendar, "id"));
        Assert.Equal("read", ApiUsers.Text(calendar, "access"));
        Assert.Equal(feed.Url.ToString(), ApiUsers.Text(calendar, "source"));
        Assert.StartsWith("Subscribed to", ApiUsers.Text(calendar, "feedStatus"));
        await client.ExpectAsync(HttpStatusCode.Forbidden, HttpMethod.Delete, $"calendars/{ApiUsers.Text(calendar, "id")}");

        var events = await client.GetJsonAsync("events?start=2027-05-01T00:00:00Z&end=2027-05-02T00:00:00Z");
        var holiday = Assert.Single(events["events"]!.AsArray());
        Assert.Equal("Labour Day", ApiUsers.Text(holiday, "title"));
        Assert.Equal("app-generated--ics--public-holidays", ApiUsers.Text(holiday, "calendar"));

        // A second feed with no name takes its id from the host; webcal:// is read as https://.
        var second = await client.ExpectAsync(HttpStatusCode.Created, HttpMethod.Post, "subscriptions", new { url = "webcal://127.0.0.1:1/none.ics" });
        Assert.Equal("127-0-0-1", ApiUsers.Text(second, "id"));
        Assert.Equal("https://127.0.0.1:1/none.ics", ApiUsers.Text(second, "url"));
        Assert.StartsWith("Feed error", ApiUsers.Text(second, "status"));

        await client.ExpectAsync(HttpStatusCode.NoContent, HttpMethod.Delete, "subscriptions/public-holidays");
        Assert.Equal(["127-0-0-1"], (await client.GetJsonAsync("subscriptions")).AsArray().Select(s => ApiUsers.Text(s, "id")));
        Assert.DoesNotContain((await client.GetJsonAsync("calendars")).AsArray(), c => ApiUsers.Text(c, "id") == "app-generated--ics--public-holidays");
        await client.ExpectAsync(HttpStatusCode.NotFound, HttpMethod.Delete, "subscriptions/public-holidays");
    }

    [Fact]
    public async Task Bad_urls_are_400_and_one_user_cannot_see_or_remove_another_s_feeds()
    {
        using var owner = await ApiUsers.SignedInAsync(fixture, "feedowner");
        using var other = await ApiUsers.SignedInAsync(fixture, "feedother");
        await owner.ExpectAsync(HttpStatusCode.BadRequest, HttpMethod.Post, "subscriptions", new { url = "file:///etc/passwd" });
        await owner.ExpectAsync(HttpStatusCode.BadRequest, HttpMethod.Post, "subscriptions", new { url = "https://user:secret@example.com/x.ics" });
        await owner.ExpectAsync(HttpStatusCode.BadRequest, HttpMethod.Post, "subscriptions", new { url = "not a url" });
        Assert.Empty((await owner.GetJsonAsync("subscriptions")).AsArray());

        await owner.ExpectAsync(HttpStatusCode.Created, HttpMethod.Post, "subscriptions", new { url = "http://127.0.0.1:1/x.ics", name = "Mine" });
        Assert.Empty((await other.GetJsonAsync("subscriptions")).AsArray());
        await other.ExpectAsync(HttpStatusCode.NotFound, HttpMethod.Delete, "subscriptions/mine");
        Assert.Single((await owner.GetJsonAsync("subscriptions")).AsArray());
    }

    [Fact]
    public async Task A_user_with_fifty_feeds_gets_409_and_the_list_stays_as_it_was()
    {
        using var client = await ApiUsers.SignedInAsync(fixture, "manyfeeds");
        var user = ApiUsers.Text(await client.GetJsonAsync("session"), "user");
        var feeds = Enumerable.Range(1, Caldera.Web.Api.SubscriptionEndpoints.MaxFeeds)
            .Select(n => new Caldera.Calendars.Providers.Subscriptions.FeedDefinition($"feed-{n}", new Uri($"https://example.invalid/{n}.ics"), null, null));
        var store = Microsoft.Extensions.DependencyInjection.ServiceProviderServiceExtensions
            .GetRequiredService<Caldera.Storage.Registry.IProviderRegistryStore>(fixture.Services);
        await store.UpsertAsync(new Caldera.Storage.Registry.ProviderRegistration(user, Caldera.Calendars.Providers.Subscriptions.IcsSubscriptionProvider.Id, true,
            Caldera.Calendars.Providers.Subscriptions.FeedDefinition.FormatAll(feeds)), CancellationToken.None);

        await client.ExpectAsync(HttpStatusCode.Conflict, HttpMethod.Post, "subscriptions", new { url = "https://example.invalid/one-more.ics" });
        var row = (await store.GetForUserAsync(user, CancellationToken.None)).Single(r => r.Principal == user);
        Assert.Equal(Caldera.Web.Api.SubscriptionEndpoints.MaxFeeds, Caldera.Calendars.Providers.Subscriptions.FeedDefinition.ParseAll(row.Configuration).Count);
    }
}

using System.Net;
using System.Xml.Linq;
using Caldera.Functions.Tests.Dav;
using static Caldera.Functions.Tests.Dav.DavHelpers;
using static Caldera.Functions.Tests.Subscriptions.SubscriptionHelpers;

namespace Caldera.Functions.Tests.Subscriptions;

/// <summary>ics subscriptions end to end, with feeds on 127.0.0.1 allowed by configuration (issue 5, item 3).</summary>
public sealed class SubscriptionTests(SubscriptionServerFixture fixture) : IClassFixture<SubscriptionServerFixture>
{
    IServiceProvider Services => fixture.Server.Services;

    static readonly string TwoEvents = Feed(
        FeedEvent("new-year", "New Year", "20250101T100000Z"),
        FeedEvent("weekly", "Weekly", "20250106T090000Z", "RRULE:FREQ=WEEKLY;COUNT=4\r\n"),
        FeedEvent("weekly", "Weekly moved", "20250114T150000Z", "RECURRENCE-ID:20250113T090000Z\r\n"));

    [Fact]
    public async Task A_subscribed_feed_is_a_read_only_calendar_in_the_users_home()
    {
        var user = await NewUserAsync(Services, "subs");
        var feed = fixture.Feeds[user + ".ics"];
        feed.Body = TwoEvents;
        await SubscribeAsync(Services, user, new { uri = "holidays", url = fixture.Feeds.Url(user + ".ics"), name = "Holidays", refreshMinutes = 60 });
        using var client = Client(fixture.Server.BaseUri, user);
        var home = $"/calendars/{user}/";
        var path = $"/calendars/{user}/app-generated--ics--holidays/";

        // The home lists it, with its name and read-only privileges; no sync-collection is offered.
        var listing = await PropfindAsync(client, home, "1", D + "displayname", D + "current-user-privilege-set", D + "supported-report-set", D + "resourcetype");
        Assert.True((int)listing.Status == 207, listing.ToString());
        var calendar = Find(listing, path);
        Assert.Equal("Holidays", calendar.Prop(D + "displayname").Value);
        Assert.NotNull(calendar.Prop(D + "resourcetype").Element(C + "calendar"));
        var privileges = calendar.Prop(D + "current-user-privilege-set").Descendants(D + "privilege").SelectMany(p => p.Elements()).Select(e => e.Name).ToList();
        Assert.Contains(D + "read", privileges);
        Assert.DoesNotContain(D + "write", privileges);
        Assert.DoesNotContain(D + "write-content", privileges);
        Assert.DoesNotContain(D + "bind", privileges);
        var reports = calendar.Prop(D + "supported-report-set").Descendants(D + "report").SelectMany(r => r.Elements()).Select(e => e.Name).ToList();
        Assert.Contains(C + "calendar-query", reports);
        Assert.DoesNotContain(D + "sync-collection", reports);

        // Two objects (the weekly series keeps its override), fetched once, described as healthy.
        var (description, objects) = await ReadCalendarAsync(client, path);
        Assert.Equal(2, objects.Count);
        Assert.StartsWith("Subscribed to http://127.0.0.1:", description);
        var weekly = objects.Single(o => o.EndsWith(Caldera.Calendars.Providers.Subscriptions.FeedSplitter.NameFor("weekly"), StringComparison.Ordinal));
        var get = await GetAsync(client, weekly);
        Assert.Equal(HttpStatusCode.OK, get.Status);
        Assert.Contains("RECURRENCE-ID:20250113T090000Z", get.Text);
        Assert.Contains("SUMMARY:Weekly moved", get.Text);
        Assert.DoesNotContain("METHOD:", get.Text);
        Assert.NotNull(get.ETag);

        // calendar-query by time range finds the recurring event's week and not New Year.
        var query = $"""
            <C:calendar-query xmlns:D="DAV:" xmlns:C="urn:ietf:params:xml:ns:caldav">
              <D:prop><D:getetag/><C:calendar-data/></D:prop>
              <C:filter><C:comp-filter name="VCALENDAR"><C:comp-filter name="VEVENT">
                <C:time-range start="20250114T000000Z" end="20250115T000000Z"/>
              </C:comp-filter></C:comp-filter></C:filter>
            </C:calendar-query>
            """;
        var found = await SendAsync(client, Xml(Report, path, query, "1"));
        Assert.True((int)found.Status == 207, found.ToString());
        Assert.Equal([weekly], found.Responses().Keys);

        // multiget by href.
        var multiget = $"""
            <C:calendar-multiget xmlns:D="DAV:" xmlns:C="urn:ietf:params:xml:ns:caldav">
              <D:prop><D:getetag/></D:prop><D:href>{weekly}</D:href>
            </C:calendar-multiget>
            """;
        var got = await SendAsync(client, Xml(Report, path, multiget, "1"));
        Assert.Equal(get.ETag, Find(got, weekly).Prop(D + "getetag").Value);

        // sync-collection: refused clearly (the calendar keeps no change log).
        var sync = await SendAsync(client, Xml(Report, path,
            """<D:sync-collection xmlns:D="DAV:"><D:sync-token/><D:sync-level>1</D:sync-level><D:prop><D:getetag/></D:prop></D:sync-collection>"""));
        Assert.Equal(HttpStatusCode.Forbidden, sync.Status);
        Assert.Contains(D + "supported-report", sync.ErrorConditions());

        // Writes are refused with need-privileges.
        var put = await SendAsync(client, Put(path + "new.ics", DavHelpers.Event("new-uid")));
        Assert.Equal(HttpStatusCode.Forbidden, put.Status);
        Assert.Contains(D + "need-privileges", put.ErrorConditions());
        // No RFC 5995 add-member either: not offered, and a POST there is refused the same way.
        Assert.Equal(404, (await PropfindAsync(client, path, "0", D + "add-member")).Responses()[path].StatusOf(D + "add-member"));
        var post = await SendAsync(client, new HttpRequestMessage(HttpMethod.Post, path + "?add-member") { Content = new StringContent(DavHelpers.Event("new-uid"), System.Text.Encoding.UTF8, "text/calendar") });
        Assert.Equal(HttpStatusCode.Forbidden, post.Status);
        Assert.Contains(D + "need-privileges", post.ErrorConditions());
        var overwrite = await SendAsync(client, Put(weekly, DavHelpers.Event("weekly")));
        Assert.Equal(HttpStatusCode.Forbidden, overwrite.Status);
        Assert.Contains(D + "need-privileges", overwrite.ErrorConditions());
        var delete = await SendAsync(client, new HttpRequestMessage(HttpMethod.Delete, weekly));
        Assert.Equal(HttpStatusCode.Forbidden, delete.Status);
        Assert.Contains(D + "need-privileges", delete.ErrorConditions());
        Assert.Equal(2, (await ReadCalendarAsync(client, path)).Objects.Count);

        // Within the refresh interval the feed was fetched only once.
        Assert.Equal(1, feed.Requests);
    }

    [Fact]
    public async Task After_the_refresh_interval_the_feed_is_fetched_again_conditionally()
    {
        var user = await NewUserAsync(Services, "subs");
        var feed = fixture.Feeds[user + ".ics"];
        feed.Body = TwoEvents;
        feed.ETag = "\"first\"";
        await SubscribeAsync(Services, user, new { uri = "team", url = fixture.Feeds.Url(user + ".ics"), refreshMinutes = 0 });
        using var client = Client(fixture.Server.BaseUri, user);
        var path = $"/calendars/{user}/app-generated--ics--team/";

        Assert.Equal(2, (await ReadCalendarAsync(client, path)).Objects.Count);
        Assert.Equal(1, feed.Requests);
        Assert.Equal(0, feed.NotModified);

        var (description, objects) = await ReadCalendarAsync(client, path);
        Assert.Equal(2, objects.Count);
        Assert.StartsWith("Subscribed to", description);
        Assert.Equal(2, feed.Requests);
        Assert.Equal(1, feed.NotModified);
        Assert.Equal(new string?[] { null, "\"first\"" }, feed.IfNoneMatch.ToArray());

        // A changed feed (new ETag) replaces the copy.
        feed.Body = Feed(FeedEvent("only", "Only one", "20250301T100000Z"));
        feed.ETag = "\"second\"";
        var changed = await ReadCalendarAsync(client, path);
        Assert.Equal([path + Caldera.Calendars.Providers.Subscriptions.FeedSplitter.NameFor("only")], changed.Objects);
        Assert.Equal(3, feed.Requests);
    }

    [Fact]
    public async Task A_broken_feed_keeps_the_last_good_copy_and_says_why()
    {
        var user = await NewUserAsync(Services, "subs");
        var feed = fixture.Feeds[user + ".ics"];
        feed.Body = TwoEvents;
        await SubscribeAsync(Services, user, new { uri = "flaky", url = fixture.Feeds.Url(user + ".ics"), refreshMinutes = 0 });
        using var client = Client(fixture.Server.BaseUri, user);
        var path = $"/calendars/{user}/app-generated--ics--flaky/";
        var good = await ReadCalendarAsync(client, path);
        Assert.Equal(2, good.Objects.Count);

        feed.Status = 500;
        var failed = await ReadCalendarAsync(client, path);
        Assert.Equal(good.Objects, failed.Objects);
        Assert.Contains("HTTP 500", failed.Description);
        Assert.Contains("last good copy", failed.Description);

        feed.Status = 200;
        feed.ETag = "\"broken\"";
        feed.Body = "<html><body>Service unavailable</body></html>";
        var invalid = await ReadCalendarAsync(client, path);
        Assert.Equal(good.Objects, invalid.Objects);
        Assert.Contains("not valid iCalendar", invalid.Description);
        var get = await GetAsync(client, good.Objects[0]);
        Assert.Equal(HttpStatusCode.OK, get.Status);

        feed.ETag = "\"fixed\"";
        feed.Body = TwoEvents;
        var healed = await ReadCalendarAsync(client, path);
        Assert.Equal(good.Objects, healed.Objects);
        Assert.StartsWith("Subscribed to", healed.Description);
        Assert.Equal(5, feed.Requests); // with refreshMinutes 0 every request re-checks: 4 PROPFINDs and a GET
    }

    [Fact]
    public async Task The_feed_shows_only_in_its_users_home_and_bad_configuration_shows_nothing()
    {
        var user = await NewUserAsync(Services, "subs");
        var other = await NewUserAsync(Services, "subs");
        fixture.Feeds[user + ".ics"].Body = TwoEvents;
        await SubscribeAsync(Services, user, new { uri = "mine", url = fixture.Feeds.Url(user + ".ics") });
        await RegisterAsync(Services, other, "{\"feeds\":[{\"uri\":\"x\",\"url\":\"file:///etc/passwd\"}]}");

        using (var client = Client(fixture.Server.BaseUri, user))
        {
            var home = await PropfindAsync(client, $"/calendars/{user}/", "1", D + "resourcetype");
            Assert.Contains($"/calendars/{user}/app-generated--ics--mine/", home.Responses().Keys);
        }
        using (var client = Client(fixture.Server.BaseUri, other))
        {
            var home = await PropfindAsync(client, $"/calendars/{other}/", "1", D + "resourcetype");
            Assert.True((int)home.Status == 207, home.ToString());
            Assert.DoesNotContain(home.Responses().Keys, k => k.Contains("app-generated--ics--", StringComparison.Ordinal));
            var direct = await PropfindAsync(client, $"/calendars/{other}/app-generated--ics--x/", "0", D + "resourcetype");
            Assert.Equal(HttpStatusCode.NotFound, direct.Status);
            // and the other user cannot reach the first user's feed
            var foreign = await PropfindAsync(client, $"/calendars/{user}/app-generated--ics--mine/", "0", D + "resourcetype");
            Assert.True(foreign.Status is HttpStatusCode.NotFound or HttpStatusCode.Forbidden, foreign.ToString());
        }
    }
}

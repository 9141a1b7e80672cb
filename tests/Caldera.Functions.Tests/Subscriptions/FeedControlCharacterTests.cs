using System.Net;
using Caldera.Functions.Tests.Dav;
using static Caldera.Functions.Tests.Dav.DavHelpers;
using static Caldera.Functions.Tests.Subscriptions.SubscriptionHelpers;

namespace Caldera.Functions.Tests.Subscriptions;

/// <summary>
/// A feed is a stranger's text and is not validated like a PUT. A control character in it (which iCalendar forbids
/// and XML cannot carry) must not turn every calendar-data answer on that calendar into a failed transfer.
/// </summary>
public sealed class FeedControlCharacterTests(SubscriptionServerFixture fixture) : IClassFixture<SubscriptionServerFixture>
{
    [Fact]
    public async Task A_control_character_in_a_feed_is_served_as_a_replacement_character()
    {
        var user = await NewUserAsync(fixture.Server.Services, "ctrl");
        fixture.Feeds[user + ".ics"].Body = Feed(FeedEvent("bell", "Bell\u0007 and\u0001 friends", "20250101T100000Z"));
        await SubscribeAsync(fixture.Server.Services, user, new { uri = "bells", url = fixture.Feeds.Url(user + ".ics"), name = "Bells", refreshMinutes = 60 });
        using var client = Client(fixture.Server.BaseUri, user);
        var path = $"/calendars/{user}/app-generated--ics--bells/";

        var query = """
            <C:calendar-query xmlns:D="DAV:" xmlns:C="urn:ietf:params:xml:ns:caldav">
              <D:prop><D:getetag/><C:calendar-data/></D:prop>
              <C:filter><C:comp-filter name="VCALENDAR"/></C:filter>
            </C:calendar-query>
            """;
        var found = await SendAsync(client, Xml(Report, path, query, "1"));
        Assert.True((int)found.Status == 207, found.ToString());
        var data = Assert.Single(found.Responses()).Value.Prop(C + "calendar-data").Value;
        Assert.Contains("SUMMARY:Bell\uFFFD and\uFFFD friends", data);

        var href = found.Responses().Keys.Single();
        var get = await GetAsync(client, href);
        Assert.Equal(HttpStatusCode.OK, get.Status);
        Assert.DoesNotContain('\u0007', get.Text);
    }
}

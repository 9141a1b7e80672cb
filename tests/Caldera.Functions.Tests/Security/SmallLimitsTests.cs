using System.Net;
using System.Net.Http.Headers;
using System.Text;
using static Caldera.Functions.Tests.Dav.DavHelpers;

namespace Caldera.Functions.Tests.Security;

/// <summary>
/// The smaller caps on what a client may send, each at its documented number (docs/security.md): Basic credentials,
/// management bodies, principal searches, calendar-data nesting and the free-busy instance budget.
/// </summary>
[Collection(CalderaServerCollection.Name)]
public sealed class SmallLimitsTests(CalderaServerFixture server)
{
    const string Ns = """xmlns:D="DAV:" xmlns:C="urn:ietf:params:xml:ns:caldav" """;

    [Fact]
    public async Task Credentials_over_their_caps_are_401_like_any_wrong_password()
    {
        // A header of 4,097 characters, and a password of 1,025 characters (checked before anything is hashed).
        var header = "Basic " + new string('A', 4097 - "Basic ".Length);
        var password = new string('p', 1025);
        foreach (var value in new[] { header, "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes($"alice:{password}")) })
        {
            using var client = server.CreateAnonymousClient();
            using var request = new HttpRequestMessage(HttpMethod.Get, "/calendars/alice/");
            request.Headers.TryAddWithoutValidation("Authorization", value);
            using var response = await client.SendAsync(request);
            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
            Assert.Contains("Basic", response.Headers.WwwAuthenticate.ToString());
        }
    }

    [Fact]
    public async Task A_management_body_over_sixteen_kibibytes_is_413_and_creates_nothing()
    {
        using var client = server.CreateManagementClient();
        var name = "big" + Guid.NewGuid().ToString("N")[..8];
        var body = $$"""{"userName":"{{name}}","displayName":"{{new string('x', 16 * 1024)}}"}""";
        using var response = await client.PostAsync("manage/users", new StringContent(body, Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        using var get = await client.GetAsync($"manage/users/{name}");
        Assert.Equal(HttpStatusCode.NotFound, get.StatusCode);
    }

    [Theory]
    [InlineData(20, 256, 207)]
    [InlineData(21, 10, 400)]
    [InlineData(1, 257, 400)]
    public async Task Principal_property_search_takes_twenty_searches_of_256_characters(int searches, int matchLength, int expected)
    {
        using var client = server.CreateClient(CalderaServerFixture.Alice);
        var search = $"<D:property-search><D:prop><D:displayname/></D:prop><D:match>{new string('z', matchLength)}</D:match></D:property-search>";
        var body = $"""<D:principal-property-search {Ns} test="anyof">{string.Concat(Enumerable.Repeat(search, searches))}<D:prop><D:displayname/></D:prop></D:principal-property-search>""";
        var response = await SendAsync(client, Xml(Report, "/principals/", body, "0"));
        Assert.True((int)response.Status == expected, response.ToString());
    }

    [Theory]
    [InlineData(7, 207)] // CalendarDataParser.MaxDepth = 6 counts from 0: VCALENDAR and six levels below it
    [InlineData(8, 400)]
    public async Task Calendar_data_comp_elements_nest_at_most_seven_deep(int depth, int expected)
    {
        using var client = server.CreateClient(CalderaServerFixture.Alice);
        var comps = string.Concat(Enumerable.Range(0, depth).Select(i => $"<C:comp name=\"{(i == 0 ? "VCALENDAR" : "VEVENT")}\">")) +
                    string.Concat(Enumerable.Repeat("</C:comp>", depth));
        var body = $"""<C:calendar-query {Ns}><D:prop><C:calendar-data>{comps}</C:calendar-data></D:prop><C:filter><C:comp-filter name="VCALENDAR"/></C:filter></C:calendar-query>""";
        var response = await SendAsync(client, Xml(Report, "/calendars/alice/default/", body, "1"));
        Assert.True((int)response.Status == expected, response.ToString());
    }

    [Fact]
    public async Task Free_busy_over_more_than_five_thousand_instances_of_one_event_is_403_max_instances()
    {
        using var client = server.CreateClient(CalderaServerFixture.Alice);
        var calendar = await MakeCalendarAsync(client, CalderaServerFixture.Alice, Unique("fb"));
        await PutNewAsync(client, calendar + "minutely.ics",
            Event(Unique("minutely"), "every minute", "20250101T000000Z", "20250101T000030Z", "RRULE:FREQ=MINUTELY\r\n"));
        string Query(string end) => $"""<C:free-busy-query {Ns}><C:time-range start="20250101T000000Z" end="{end}"/></C:free-busy-query>""";

        var day = await SendAsync(client, Xml(Report, calendar, Query("20250101T010000Z"), "1")); // 60 instances
        Assert.True(day.Status == HttpStatusCode.OK, day.ToString());
        var week = await SendAsync(client, Xml(Report, calendar, Query("20250108T000000Z"), "1")); // 10,080 instances
        Assert.True(week.Status == HttpStatusCode.Forbidden, week.ToString());
        Assert.Contains("max-instances", week.Text);
    }

    [Fact]
    public async Task A_control_character_in_a_put_body_is_403_valid_calendar_data()
    {
        // iCalendar forbids controls but TAB in values, and XML cannot carry them: stored, one would break every
        // calendar-data answer that includes it.
        using var client = server.CreateClient(CalderaServerFixture.Alice);
        var calendar = await MakeCalendarAsync(client, CalderaServerFixture.Alice, Unique("ctl"));
        var response = await SendAsync(client, Put(calendar + "bell.ics", Event(Unique("bell"), "bell\u0007here")));
        Assert.True(response.Status == HttpStatusCode.Forbidden, response.ToString());
        Assert.Contains("valid-calendar-data", response.Text);
        Assert.Equal(HttpStatusCode.NotFound, (await GetAsync(client, calendar + "bell.ics")).Status);
    }
}

using System.Net;
using System.Xml.Linq;
using Caldera.Functions.Tests.Dav;
using static Caldera.Functions.Tests.Dav.DavHelpers;
using static Caldera.Functions.Tests.Queries.QueryRequests;

namespace Caldera.Functions.Tests.Queries;

/// <summary>
/// Issue 12, items 8 and 9 over HTTP: what a recurrence rule may ask for at PUT, that a rule far from its DTSTART
/// answers (from near the range, not by walking from DTSTART) and that a recurring VTODO matches an open-ended range.
/// </summary>
[Collection(CalderaServerCollection.Name)]
public sealed class RecurrenceCostTests(CalderaServerFixture server)
{
    const string Alice = CalderaServerFixture.Alice;
    const string Ns = """xmlns:D="DAV:" xmlns:C="urn:ietf:params:xml:ns:caldav" """;

    static string Series(string uid, string dtStart, string rule, string end = "DURATION:PT30M") =>
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Caldera tests//EN\r\n" +
        $"BEGIN:VEVENT\r\nUID:{uid}\r\nDTSTAMP:20240101T000000Z\r\nDTSTART:{dtStart}\r\n{end}\r\nRRULE:{rule}\r\nSUMMARY:Series\r\nEND:VEVENT\r\n" +
        "END:VCALENDAR\r\n";

    static string Query(string component, string start, string? end) => $"""
        <C:calendar-query {Ns}><D:prop><D:getetag/></D:prop>
          <C:filter><C:comp-filter name="VCALENDAR"><C:comp-filter name="{component}">
            <C:time-range start="{start}"{(end is null ? "" : $" end=\"{end}\"")}/>
          </C:comp-filter></C:comp-filter></C:filter>
        </C:calendar-query>
        """;

    [Theory]
    [InlineData("FREQ=SECONDLY")]
    [InlineData("FREQ=SECONDLY;INTERVAL=30")]
    [InlineData("FREQ=MINUTELY;BYSECOND=0,10,20,30,40,50")]
    [InlineData("FREQ=HOURLY;BYMINUTE=0;BYSECOND=0,1")]
    public async Task Rules_that_repeat_more_than_once_a_minute_are_refused_and_nothing_is_stored(string rule)
    {
        using var client = server.CreateClient(Alice);
        var path = await MakeCalendarAsync(client, Alice, Unique("dense"));
        var response = await SendAsync(client, Put(path + "dense.ics", Series(Unique("uid"), "20260101T000000Z", rule, "DURATION:PT1S")));
        Assert.Equal(HttpStatusCode.Forbidden, response.Status);
        Assert.NotNull(response.Xml.Root!.Element(C + "valid-calendar-data"));
        Assert.Equal(HttpStatusCode.NotFound, (await GetAsync(client, path + "dense.ics")).Status);
    }

    [Fact]
    public async Task A_count_beyond_max_instances_is_refused_with_that_precondition_and_the_limit_is_advertised()
    {
        using var client = server.CreateClient(Alice);
        var path = await MakeCalendarAsync(client, Alice, Unique("count"));
        var limit = (await PropfindAsync(client, path, "0", C + "max-instances")).Responses()[path].Prop(C + "max-instances").Value;
        Assert.Equal("10000", limit);

        var refused = await SendAsync(client, Put(path + "long.ics", Series(Unique("uid"), "20260101T090000Z", "FREQ=DAILY;COUNT=10001")));
        Assert.Equal(HttpStatusCode.Forbidden, refused.Status);
        Assert.NotNull(refused.Xml.Root!.Element(C + "max-instances"));
        Assert.Equal(HttpStatusCode.NotFound, (await GetAsync(client, path + "long.ics")).Status);

        // At the limit it is stored, and its last instance (27 years on) is found.
        await PutNewAsync(client, path + "at-limit.ics", Series(Unique("uid"), "20260101T090000Z", "FREQ=DAILY;COUNT=10000"));
        var last = new DateTime(2026, 1, 1, 9, 0, 0, DateTimeKind.Utc).AddDays(9999);
        Assert.Equal([path + "at-limit.ics"], await MatchesAsync(client, path,
            Query("VEVENT", $"{last:yyyyMMdd}T000000Z", $"{last.AddDays(1):yyyyMMdd}T000000Z")));
        Assert.Empty(await MatchesAsync(client, path,
            Query("VEVENT", $"{last.AddDays(1):yyyyMMdd}T000000Z", $"{last.AddDays(2):yyyyMMdd}T000000Z")));
    }

    [Fact]
    public async Task A_minutely_rule_is_answered_right_decades_after_its_start()
    {
        using var client = server.CreateClient(Alice);
        var path = await MakeCalendarAsync(client, Alice, Unique("far"));
        // Every 7 minutes from 1970, 3 minutes long: walked from DTSTART, 2030 is 4.5 million steps away.
        await PutNewAsync(client, path + "far.ics", Series(Unique("uid"), "19700101T000000Z", "FREQ=MINUTELY;INTERVAL=7", "DURATION:PT3M"));
        // 2030-01-01T00:00Z is 31,557,600 minutes on, 4 past a multiple of 7: instances 23:56–23:59, 00:03–00:06, 00:10–00:13.
        Assert.Equal([path + "far.ics"], await MatchesAsync(client, path, Query("VEVENT", "20300101T000000Z", "20400101T000000Z")));
        Assert.Empty(await MatchesAsync(client, path, Query("VEVENT", "20300101T000000Z", "20300101T000300Z")));
        Assert.Equal([path + "far.ics"], await MatchesAsync(client, path, Query("VEVENT", "20300101T000259Z", "20300101T000301Z")));
        Assert.Empty(await MatchesAsync(client, path, Query("VEVENT", "20300101T000600Z", "20300101T001000Z")));
        Assert.Equal([path + "far.ics"], await MatchesAsync(client, path, Query("VEVENT", "20291231T235800Z", "20291231T235801Z")));
    }

    [Fact]
    public async Task A_yearly_vtodo_matches_a_time_range_without_an_end()
    {
        using var client = server.CreateClient(Alice);
        var path = await MakeCalendarAsync(client, Alice, Unique("todo"));
        var todo = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Caldera tests//EN\r\n" +
                   $"BEGIN:VTODO\r\nUID:{Unique("uid")}\r\nDTSTAMP:20240101T000000Z\r\nDTSTART:19920415T133000Z\r\n" +
                   "DUE:19920516T045959Z\r\nRRULE:FREQ=YEARLY\r\nSUMMARY:Taxes\r\nEND:VTODO\r\nEND:VCALENDAR\r\n";
        await PutNewAsync(client, path + "taxes.ics", todo);
        Assert.Equal([path + "taxes.ics"], await MatchesAsync(client, path, Query("VTODO", "20250414T000000Z", null)));
        // Its 2025 instance runs from 15 April 13:30 to 16 May: a range that ends before it starts does not match.
        Assert.Empty(await MatchesAsync(client, path, Query("VTODO", "20250414T000000Z", "20250415T000000Z")));
        Assert.Equal([path + "taxes.ics"], await MatchesAsync(client, path, Query("VTODO", "20250415T000000Z", "20250416T000000Z")));
    }
}

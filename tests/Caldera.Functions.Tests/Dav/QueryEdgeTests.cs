using System.Net;
using static Caldera.Functions.Tests.Dav.DavHelpers;

namespace Caldera.Functions.Tests.Dav;

/// <summary>calendar-query beyond plain UTC events: time zones, all-day and DURATION events, text and property filters.</summary>
[Collection(CalderaServerCollection.Name)]
public sealed class QueryEdgeTests(CalderaServerFixture server)
{
    const string Alice = CalderaServerFixture.Alice;
    const string Ns = """xmlns:D="DAV:" xmlns:C="urn:ietf:params:xml:ns:caldav" """;

    const string Berlin =
        "BEGIN:VTIMEZONE\r\nTZID:Europe/Berlin\r\n" +
        "BEGIN:STANDARD\r\nDTSTART:19701025T030000\r\nTZOFFSETFROM:+0200\r\nTZOFFSETTO:+0100\r\nRRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU\r\nEND:STANDARD\r\n" +
        "BEGIN:DAYLIGHT\r\nDTSTART:19700329T020000\r\nTZOFFSETFROM:+0100\r\nTZOFFSETTO:+0200\r\nRRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU\r\nEND:DAYLIGHT\r\n" +
        "END:VTIMEZONE\r\n";

    static string Calendar(string uid, string eventLines, string timezone = "") =>
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Caldera tests//EN\r\n" + timezone +
        $"BEGIN:VEVENT\r\nUID:{uid}\r\nDTSTAMP:20240101T000000Z\r\n{eventLines}END:VEVENT\r\nEND:VCALENDAR\r\n";

    static string Query(string compFilterBody, string props = "<D:getetag/>") => $"""
        <C:calendar-query {Ns}>
          <D:prop>{props}</D:prop>
          <C:filter><C:comp-filter name="VCALENDAR"><C:comp-filter name="VEVENT">{compFilterBody}</C:comp-filter></C:comp-filter></C:filter>
        </C:calendar-query>
        """;

    static string Range(string start, string end) => $"""<C:time-range start="{start}" end="{end}"/>""";

    async Task<IReadOnlyList<string>> MatchesAsync(HttpClient client, string path, string body)
    {
        var response = await SendAsync(client, Xml(Report, path, body, "1"));
        Assert.True((int)response.Status == 207, response.ToString());
        return response.Responses().Keys.Order().ToList();
    }

    [Fact]
    public async Task Events_with_a_tzid_are_placed_in_utc_by_their_time_zone()
    {
        using var client = server.CreateClient(Alice);
        var path = await MakeCalendarAsync(client, Alice, Unique("tz"));
        // 10:00–11:00 in Berlin on 5 March 2024 (UTC+1) is 09:00–10:00Z.
        await PutNewAsync(client, path + "berlin.ics", Calendar(Unique("uid"),
            "DTSTART;TZID=Europe/Berlin:20240305T100000\r\nDTEND;TZID=Europe/Berlin:20240305T110000\r\nSUMMARY:Berlin\r\n", Berlin));

        Assert.Equal([path + "berlin.ics"], await MatchesAsync(client, path, Query(Range("20240305T090000Z", "20240305T093000Z"))));
        Assert.Empty(await MatchesAsync(client, path, Query(Range("20240305T100000Z", "20240305T110000Z"))));
        // In summer Berlin is UTC+2: a weekly series from March puts the 2 July instance at 08:00Z.
        await PutNewAsync(client, path + "weekly.ics", Calendar(Unique("uid"),
            "DTSTART;TZID=Europe/Berlin:20240305T100000\r\nDTEND;TZID=Europe/Berlin:20240305T110000\r\nRRULE:FREQ=WEEKLY\r\nSUMMARY:Weekly Berlin\r\n", Berlin));
        Assert.Equal([path + "weekly.ics"], await MatchesAsync(client, path, Query(Range("20240702T080000Z", "20240702T083000Z"))));
        Assert.Empty(await MatchesAsync(client, path, Query(Range("20240702T090000Z", "20240702T100000Z"))));
    }

    [Fact]
    public async Task All_day_and_duration_events_span_the_right_time()
    {
        using var client = server.CreateClient(Alice);
        var path = await MakeCalendarAsync(client, Alice, Unique("allday"));
        // An all-day event without DTEND lasts one day (RFC 5545 §3.6.1).
        await PutNewAsync(client, path + "day.ics", Calendar(Unique("uid"), "DTSTART;VALUE=DATE:20240305\r\nSUMMARY:All day\r\n"));
        // DTSTART + DURATION: 20:00Z for three hours runs into the next day.
        await PutNewAsync(client, path + "duration.ics", Calendar(Unique("uid"), "DTSTART:20240310T200000Z\r\nDURATION:PT3H\r\nSUMMARY:Late\r\n"));

        Assert.Equal([path + "day.ics"], await MatchesAsync(client, path, Query(Range("20240305T120000Z", "20240305T130000Z"))));
        Assert.Empty(await MatchesAsync(client, path, Query(Range("20240307T000000Z", "20240308T000000Z"))));
        Assert.Equal([path + "duration.ics"], await MatchesAsync(client, path, Query(Range("20240310T223000Z", "20240310T230000Z"))));
        Assert.Empty(await MatchesAsync(client, path, Query(Range("20240310T230000Z", "20240311T000000Z"))));
    }

    [Fact]
    public async Task Text_match_and_is_not_defined_filters()
    {
        using var client = server.CreateClient(Alice);
        var path = await MakeCalendarAsync(client, Alice, Unique("text"));
        await PutNewAsync(client, path + "standup.ics", Event(Unique("uid"), "Daily Standup", extra: "LOCATION:Room 1\r\n"));
        await PutNewAsync(client, path + "lunch.ics", Event(Unique("uid"), "Lunch"));

        Assert.Equal([path + "standup.ics"], await MatchesAsync(client, path,
            Query("""<C:prop-filter name="SUMMARY"><C:text-match collation="i;ascii-casemap">standup</C:text-match></C:prop-filter>""")));
        Assert.Empty(await MatchesAsync(client, path,
            Query("""<C:prop-filter name="SUMMARY"><C:text-match collation="i;octet">standup</C:text-match></C:prop-filter>""")));
        Assert.Equal([path + "lunch.ics"], await MatchesAsync(client, path,
            Query("""<C:prop-filter name="SUMMARY"><C:text-match negate-condition="yes">standup</C:text-match></C:prop-filter>""")));
        Assert.Equal([path + "lunch.ics"], await MatchesAsync(client, path,
            Query("""<C:prop-filter name="LOCATION"><C:is-not-defined/></C:prop-filter>""")));

        var unknownCollation = await SendAsync(client, Xml(Report, path,
            Query("""<C:prop-filter name="SUMMARY"><C:text-match collation="i;klingon">x</C:text-match></C:prop-filter>"""), "1"));
        Assert.Equal(HttpStatusCode.Forbidden, unknownCollation.Status);
        Assert.Contains(C + "supported-collation", unknownCollation.ErrorConditions());
    }

    [Fact]
    public async Task Query_results_carry_calendar_data_and_a_vtodo_filter_finds_no_events()
    {
        using var client = server.CreateClient(Alice);
        var path = await MakeCalendarAsync(client, Alice, Unique("qdata"));
        var etag = await PutNewAsync(client, path + "e.ics", Event(Unique("uid"), "With data"));
        var response = await SendAsync(client, Xml(Report, path, Query(Range("20240110T000000Z", "20240111T000000Z"), "<D:getetag/><C:calendar-data/>"), "1"));
        var item = Assert.Single(response.Responses()).Value;
        Assert.Equal(etag, item.Prop(D + "getetag").Value);
        Assert.Contains("SUMMARY:With data", item.Prop(C + "calendar-data").Value);

        var todos = await SendAsync(client, Xml(Report, path, $"""
            <C:calendar-query {Ns}><D:prop><D:getetag/></D:prop>
              <C:filter><C:comp-filter name="VCALENDAR"><C:comp-filter name="VTODO"/></C:comp-filter></C:filter>
            </C:calendar-query>
            """, "1"));
        Assert.Equal((HttpStatusCode)207, todos.Status);
        Assert.Empty(todos.Responses());
    }
}

using System.Net;
using Caldera.Functions.Tests.Dav;
using static Caldera.Functions.Tests.Dav.DavHelpers;

namespace Caldera.Functions.Tests.Filters;

/// <summary>calendar-query over HTTP (RFC 4791 §7.8, §9.7, §9.9) with recurring fixtures, a fresh calendar per test.</summary>
[Collection(CalderaServerCollection.Name)]
public sealed class CalendarQueryFilterTests(CalderaServerFixture server)
{
    const string Alice = CalderaServerFixture.Alice;
    const string Ns = """xmlns:D="DAV:" xmlns:C="urn:ietf:params:xml:ns:caldav" """;

    static string Ics(string body) => "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Caldera filter tests//EN\r\n" + body + "END:VCALENDAR\r\n";

    static string Vevent(string uid, params string[] lines) =>
        $"BEGIN:VEVENT\r\nUID:{uid}\r\nDTSTAMP:20240101T000000Z\r\n" + string.Concat(lines.Select(l => l + "\r\n")) + "END:VEVENT\r\n";

    static string Vtodo(string uid, params string[] lines) =>
        $"BEGIN:VTODO\r\nUID:{uid}\r\nDTSTAMP:20240101T000000Z\r\n" + string.Concat(lines.Select(l => l + "\r\n")) + "END:VTODO\r\n";

    static string Query(string inner) => $"""
        <C:calendar-query {Ns}><D:prop><D:getetag/></D:prop>
          <C:filter><C:comp-filter name="VCALENDAR">{inner}</C:comp-filter></C:filter>
        </C:calendar-query>
        """;

    static string InRange(string component, string start, string end, string more = "") =>
        Query($"""<C:comp-filter name="{component}"><C:time-range start="{start}" end="{end}"/>{more}</C:comp-filter>""");

    async Task<IReadOnlyList<string>> NamesAsync(HttpClient client, string path, string body)
    {
        var response = await SendAsync(client, Xml(Report, path, body, "1"));
        Assert.True((int)response.Status == 207, response.ToString());
        return response.Responses().Keys.Select(k => k[path.Length..]).Order().ToList();
    }

    async Task<(HttpClient Client, string Path)> CalendarAsync(string prefix)
    {
        var client = server.CreateClient(Alice);
        return (client, await MakeCalendarAsync(client, Alice, Unique(prefix)));
    }

    [Fact]
    public async Task Recurring_events_match_by_their_instances()
    {
        var (client, path) = await CalendarAsync("rec");
        using var _ = client;
        // Weekly on Mondays from 1 January 2024, ten times, 10:00–11:00Z.
        await PutNewAsync(client, path + "weekly.ics", Ics(Vevent(Unique("w"), "DTSTART:20240101T100000Z", "DTEND:20240101T110000Z", "RRULE:FREQ=WEEKLY;COUNT=10")));
        // Same series with the 15 January instance excluded.
        await PutNewAsync(client, path + "exdate.ics", Ics(Vevent(Unique("x"), "DTSTART:20240101T120000Z", "DTEND:20240101T130000Z", "RRULE:FREQ=WEEKLY;COUNT=10", "EXDATE:20240115T120000Z")));
        // Instance of 8 January moved to 20 January (into a Saturday range); 22 January moved out to 23 January.
        var moved = Unique("m");
        await PutNewAsync(client, path + "moved.ics", Ics(
            Vevent(moved, "DTSTART:20240101T140000Z", "DTEND:20240101T150000Z", "RRULE:FREQ=WEEKLY;COUNT=10") +
            Vevent(moved, "RECURRENCE-ID:20240108T140000Z", "DTSTART:20240120T140000Z", "DTEND:20240120T150000Z") +
            Vevent(moved, "RECURRENCE-ID:20240122T140000Z", "DTSTART:20240123T140000Z", "DTEND:20240123T150000Z")));

        // Only the 5th instance (29 January) lies in this range.
        Assert.Equal(["exdate.ics", "moved.ics", "weekly.ics"], await NamesAsync(client, path, InRange("VEVENT", "20240129T000000Z", "20240130T000000Z")));
        Assert.Equal(["weekly.ics"], await NamesAsync(client, path, InRange("VEVENT", "20240129T100000Z", "20240129T103000Z")));
        // The EXDATE'd 15 January instance does not match; the others' do.
        Assert.Equal(["moved.ics", "weekly.ics"], await NamesAsync(client, path, InRange("VEVENT", "20240115T000000Z", "20240116T000000Z")));
        // Moved into a range where the series has no instance: 20 January (Saturday).
        Assert.Equal(["moved.ics"], await NamesAsync(client, path, InRange("VEVENT", "20240120T000000Z", "20240121T000000Z")));
        // Moved out: 8 January and 22 January no longer hold moved.ics.
        Assert.Equal(["exdate.ics", "weekly.ics"], await NamesAsync(client, path, InRange("VEVENT", "20240108T000000Z", "20240109T000000Z")));
        Assert.Equal(["exdate.ics", "weekly.ics"], await NamesAsync(client, path, InRange("VEVENT", "20240122T000000Z", "20240123T000000Z")));
        // After the last instances (4 March) nothing.
        Assert.Empty(await NamesAsync(client, path, InRange("VEVENT", "20240305T000000Z", "20240401T000000Z")));
    }

    [Fact]
    public async Task This_and_future_override_moves_later_instances()
    {
        var (client, path) = await CalendarAsync("taf");
        using var _ = client;
        var uid = Unique("t");
        await PutNewAsync(client, path + "series.ics", Ics(
            Vevent(uid, "DTSTART:20240101T100000Z", "DTEND:20240101T110000Z", "RRULE:FREQ=WEEKLY;COUNT=6") +
            Vevent(uid, "RECURRENCE-ID;RANGE=THISANDFUTURE:20240115T100000Z", "DTSTART:20240115T160000Z", "DTEND:20240115T170000Z")));
        Assert.Equal(["series.ics"], await NamesAsync(client, path, InRange("VEVENT", "20240129T160000Z", "20240129T163000Z")));
        Assert.Empty(await NamesAsync(client, path, InRange("VEVENT", "20240129T100000Z", "20240129T110000Z")));
        Assert.Equal(["series.ics"], await NamesAsync(client, path, InRange("VEVENT", "20240108T100000Z", "20240108T110000Z")));
    }

    [Fact]
    public async Task All_day_event_at_a_range_boundary()
    {
        var (client, path) = await CalendarAsync("day");
        using var _ = client;
        await PutNewAsync(client, path + "day.ics", Ics(Vevent(Unique("d"), "DTSTART;VALUE=DATE:20240305", "DTEND;VALUE=DATE:20240306")));
        // [5 March 00:00Z, 6 March 00:00Z): a range ending at its start or starting at its end does not overlap.
        Assert.Empty(await NamesAsync(client, path, InRange("VEVENT", "20240304T000000Z", "20240305T000000Z")));
        Assert.Empty(await NamesAsync(client, path, InRange("VEVENT", "20240306T000000Z", "20240307T000000Z")));
        Assert.Equal(["day.ics"], await NamesAsync(client, path, InRange("VEVENT", "20240305T235959Z", "20240306T000000Z")));
        Assert.Equal(["day.ics"], await NamesAsync(client, path, InRange("VEVENT", "20240304T000000Z", "20240305T000001Z")));
    }

    const string NewYorkTimezone =
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//x//EN\r\nBEGIN:VTIMEZONE\r\nTZID:America/New_York\r\n" +
        "BEGIN:STANDARD\r\nDTSTART:19701101T020000\r\nTZOFFSETFROM:-0400\r\nTZOFFSETTO:-0500\r\nRRULE:FREQ=YEARLY;BYMONTH=11;BYDAY=1SU\r\nEND:STANDARD\r\n" +
        "BEGIN:DAYLIGHT\r\nDTSTART:19700308T020000\r\nTZOFFSETFROM:-0500\r\nTZOFFSETTO:-0400\r\nRRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=2SU\r\nEND:DAYLIGHT\r\n" +
        "END:VTIMEZONE\r\nEND:VCALENDAR\r\n";

    [Fact]
    public async Task Floating_event_under_a_non_utc_calendar_timezone()
    {
        using var client = server.CreateClient(Alice);
        var path = CalendarPath(Alice, Unique("float"));
        var mk = $"""
            <C:mkcalendar {Ns}><D:set><D:prop><C:calendar-timezone><![CDATA[{NewYorkTimezone}]]></C:calendar-timezone></D:prop></D:set></C:mkcalendar>
            """;
        var made = await SendAsync(client, Xml(Mkcalendar, path, mk));
        Assert.True(made.Status == HttpStatusCode.Created, made.ToString());
        // Floating 10:00–11:00 on 5 March (New York is UTC−5) is 15:00–16:00Z.
        await PutNewAsync(client, path + "floating.ics", Ics(Vevent(Unique("f"), "DTSTART:20240305T100000", "DTEND:20240305T110000")));
        // An all-day event there is 05:00Z to 05:00Z.
        await PutNewAsync(client, path + "day.ics", Ics(Vevent(Unique("d"), "DTSTART;VALUE=DATE:20240310", "DTEND;VALUE=DATE:20240311")));
        Assert.Equal(["floating.ics"], await NamesAsync(client, path, InRange("VEVENT", "20240305T153000Z", "20240305T154500Z")));
        Assert.Empty(await NamesAsync(client, path, InRange("VEVENT", "20240305T100000Z", "20240305T110000Z")));
        Assert.Equal(["day.ics"], await NamesAsync(client, path, InRange("VEVENT", "20240311T030000Z", "20240311T035000Z")));
        Assert.Empty(await NamesAsync(client, path, InRange("VEVENT", "20240310T000000Z", "20240310T035000Z")));
    }

    [Fact]
    public async Task Vtodo_rows_of_the_time_range_table()
    {
        var (client, path) = await CalendarAsync("todo");
        using var _ = client;
        // One VTODO per row of RFC 4791 §9.9, all around 10 March 2024.
        await PutNewAsync(client, path + "1-start-duration.ics", Ics(Vtodo(Unique("t"), "DTSTART:20240310T100000Z", "DURATION:PT2H")));
        await PutNewAsync(client, path + "2-start-due.ics", Ics(Vtodo(Unique("t"), "DTSTART:20240310T100000Z", "DUE:20240310T120000Z")));
        await PutNewAsync(client, path + "3-start.ics", Ics(Vtodo(Unique("t"), "DTSTART:20240310T100000Z")));
        await PutNewAsync(client, path + "4-due.ics", Ics(Vtodo(Unique("t"), "DUE:20240310T120000Z")));
        await PutNewAsync(client, path + "5-completed-created.ics", Ics(Vtodo(Unique("t"), "CREATED:20240310T090000Z", "COMPLETED:20240310T130000Z")));
        await PutNewAsync(client, path + "6-completed.ics", Ics(Vtodo(Unique("t"), "COMPLETED:20240310T130000Z")));
        await PutNewAsync(client, path + "7-created.ics", Ics(Vtodo(Unique("t"), "CREATED:20240310T090000Z")));
        await PutNewAsync(client, path + "8-nothing.ics", Ics(Vtodo(Unique("t"), "SUMMARY:undated")));

        Assert.Equal(["1-start-duration.ics", "2-start-due.ics", "4-due.ics", "5-completed-created.ics", "7-created.ics", "8-nothing.ics"],
            await NamesAsync(client, path, InRange("VTODO", "20240310T110000Z", "20240310T120000Z")));
        Assert.Equal(["1-start-duration.ics", "2-start-due.ics", "3-start.ics", "5-completed-created.ics", "7-created.ics", "8-nothing.ics"],
            await NamesAsync(client, path, InRange("VTODO", "20240310T093000Z", "20240310T103000Z")));
        Assert.Equal(["5-completed-created.ics", "6-completed.ics", "7-created.ics", "8-nothing.ics"],
            await NamesAsync(client, path, InRange("VTODO", "20240310T130000Z", "20240310T140000Z")));
        Assert.Equal(["8-nothing.ics"], await NamesAsync(client, path, InRange("VTODO", "20240301T000000Z", "20240302T000000Z")));
    }

    [Fact]
    public async Task Alarm_time_range()
    {
        var (client, path) = await CalendarAsync("alarm");
        using var _ = client;
        await PutNewAsync(client, path + "alarm.ics", Ics(Vevent(Unique("a"), "DTSTART:20240101T100000Z", "DTEND:20240101T110000Z", "RRULE:FREQ=WEEKLY;COUNT=10",
            "BEGIN:VALARM", "ACTION:DISPLAY", "DESCRIPTION:soon", "TRIGGER:-PT30M", "END:VALARM")));
        await PutNewAsync(client, path + "plain.ics", Ics(Vevent(Unique("p"), "DTSTART:20240129T093000Z", "DTEND:20240129T100000Z")));
        string Alarm(string s, string e) => Query($"""<C:comp-filter name="VEVENT"><C:comp-filter name="VALARM"><C:time-range start="{s}" end="{e}"/></C:comp-filter></C:comp-filter>""");
        // The 29 January instance's alarm fires at 09:30Z.
        Assert.Equal(["alarm.ics"], await NamesAsync(client, path, Alarm("20240129T092000Z", "20240129T094000Z")));
        Assert.Empty(await NamesAsync(client, path, Alarm("20240129T094000Z", "20240129T110000Z")));
    }

    [Fact]
    public async Task Freebusy_time_range_by_its_periods_or_its_dates()
    {
        var client = server.CreateClient(Alice);
        using var _ = client;
        var path = await MakeCalendarAsync(client, Alice, Unique("fb"), "VFREEBUSY");
        static string Vfreebusy(string uid, params string[] lines) =>
            $"BEGIN:VFREEBUSY\r\nUID:{uid}\r\nDTSTAMP:20240101T000000Z\r\n" + string.Concat(lines.Select(l => l + "\r\n")) + "END:VFREEBUSY\r\n";
        await PutNewAsync(client, path + "periods.ics", Ics(Vfreebusy(Unique("p"),
            "FREEBUSY;FBTYPE=BUSY:20240310T100000Z/20240310T110000Z,20240312T100000Z/PT1H")));
        await PutNewAsync(client, path + "dates.ics", Ics(Vfreebusy(Unique("d"), "DTSTART:20240401T000000Z", "DTEND:20240402T000000Z")));
        Assert.Equal(["periods.ics"], await NamesAsync(client, path, InRange("VFREEBUSY", "20240312T103000Z", "20240312T120000Z")));
        Assert.Empty(await NamesAsync(client, path, InRange("VFREEBUSY", "20240310T110000Z", "20240312T100000Z")));
        Assert.Equal(["dates.ics"], await NamesAsync(client, path, InRange("VFREEBUSY", "20240401T120000Z", "20240405T000000Z")));
    }

    [Fact]
    public async Task Prop_param_text_and_is_not_defined_filters()
    {
        var (client, path) = await CalendarAsync("text");
        using var _ = client;
        await PutNewAsync(client, path + "cafe.ics", Ics(Vevent(Unique("c"), "DTSTART:20240110T100000Z", "SUMMARY:Réunion au Café",
            "LOCATION:Zürich", "ATTENDEE;PARTSTAT=ACCEPTED;CN=Bob:mailto:bob@example.com")));
        await PutNewAsync(client, path + "lunch.ics", Ics(Vevent(Unique("l"), "DTSTART:20240111T100000Z", "SUMMARY:lunch",
            "ATTENDEE;PARTSTAT=NEEDS-ACTION:mailto:carol@example.com")));
        string Summary(string text, string collation, string negate = "no") => Query(
            $"""<C:comp-filter name="VEVENT"><C:prop-filter name="SUMMARY"><C:text-match collation="{collation}" negate-condition="{negate}">{text}</C:text-match></C:prop-filter></C:comp-filter>""");

        Assert.Equal(["lunch.ics"], await NamesAsync(client, path, Summary("LUNCH", "i;ascii-casemap")));
        Assert.Empty(await NamesAsync(client, path, Summary("RÉUNION", "i;ascii-casemap")));
        Assert.Equal(["cafe.ics"], await NamesAsync(client, path, Summary("RÉUNION AU CAFÉ", "i;unicode-casemap")));
        Assert.Empty(await NamesAsync(client, path, Summary("LUNCH", "i;octet")));
        Assert.Equal(["lunch.ics"], await NamesAsync(client, path, Summary("lunch", "i;octet")));
        Assert.Equal(["cafe.ics"], await NamesAsync(client, path, Summary("lunch", "i;octet", "yes")));
        // text-match on a DATE-TIME compares its iCalendar text.
        Assert.Equal(["lunch.ics"], await NamesAsync(client, path, Query(
            """<C:comp-filter name="VEVENT"><C:prop-filter name="DTSTART"><C:text-match collation="i;octet">20240111T</C:text-match></C:prop-filter></C:comp-filter>""")));
        // is-not-defined on a property.
        Assert.Equal(["lunch.ics"], await NamesAsync(client, path, Query(
            """<C:comp-filter name="VEVENT"><C:prop-filter name="LOCATION"><C:is-not-defined/></C:prop-filter></C:comp-filter>""")));
        // param-filter: text-match and is-not-defined.
        Assert.Equal(["cafe.ics"], await NamesAsync(client, path, Query(
            """<C:comp-filter name="VEVENT"><C:prop-filter name="ATTENDEE"><C:param-filter name="PARTSTAT"><C:text-match>accepted</C:text-match></C:param-filter></C:prop-filter></C:comp-filter>""")));
        Assert.Equal(["lunch.ics"], await NamesAsync(client, path, Query(
            """<C:comp-filter name="VEVENT"><C:prop-filter name="ATTENDEE"><C:param-filter name="CN"><C:is-not-defined/></C:param-filter></C:prop-filter></C:comp-filter>""")));
    }

    [Theory]
    [InlineData("""<C:comp-filter name="VEVENT"><C:time-range start="20240102T000000Z" end="20240101T000000Z"/></C:comp-filter>""", 400, "valid-filter")]
    [InlineData("""<C:comp-filter name="VEVENT"><C:comp-filter name="VEVENT"/></C:comp-filter>""", 400, "valid-filter")]
    [InlineData("""<C:comp-filter name="VEVENT"><C:bogus/></C:comp-filter>""", 400, "valid-filter")]
    [InlineData("""<C:comp-filter name="VEVENT"><C:prop-filter name="SUMMARY"><C:text-match collation="i;klingon">x</C:text-match></C:prop-filter></C:comp-filter>""", 403, "supported-collation")]
    [InlineData("""<C:comp-filter name="VWHATEVER"/>""", 403, "supported-filter")]
    [InlineData("""<C:comp-filter name="VTIMEZONE"><C:time-range start="20240101T000000Z" end="20240102T000000Z"/></C:comp-filter>""", 403, "supported-filter")]
    public async Task Bad_filters_are_refused_with_the_precondition(string inner, int status, string condition)
    {
        var (client, path) = await CalendarAsync("bad");
        using var _ = client;
        var response = await SendAsync(client, Xml(Report, path, Query(inner), "1"));
        Assert.Equal(status, (int)response.Status);
        Assert.Contains(condition, response.ToString());
    }
}

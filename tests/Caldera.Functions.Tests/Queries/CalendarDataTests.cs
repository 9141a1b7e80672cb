using System.Net;
using System.Xml.Linq;
using Caldera.Functions.Tests.Dav;
using static Caldera.Functions.Tests.Dav.DavHelpers;

namespace Caldera.Functions.Tests.Queries;

/// <summary>CALDAV:calendar-data in REPORT responses (RFC 4791 §9.6) and CALDAV:min/max-date-time (§5.2.6–5.2.7), over HTTP.</summary>
[Collection(CalderaServerCollection.Name)]
public sealed class CalendarDataTests(CalderaServerFixture server)
{
    const string Alice = CalderaServerFixture.Alice;
    const string Ns = """xmlns:D="DAV:" xmlns:C="urn:ietf:params:xml:ns:caldav" """;

    internal const string Berlin =
        "BEGIN:VTIMEZONE\r\nTZID:Europe/Berlin\r\n" +
        "BEGIN:STANDARD\r\nDTSTART:19701025T030000\r\nRRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU\r\nTZOFFSETFROM:+0200\r\nTZOFFSETTO:+0100\r\nTZNAME:CET\r\nEND:STANDARD\r\n" +
        "BEGIN:DAYLIGHT\r\nDTSTART:19700329T020000\r\nRRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU\r\nTZOFFSETFROM:+0100\r\nTZOFFSETTO:+0200\r\nTZNAME:CEST\r\nEND:DAYLIGHT\r\n" +
        "END:VTIMEZONE\r\n";

    /// <summary>Mondays 10:00 Berlin (09:00Z in January) from 2024-01-01; the 15th excluded; the 22nd moved to 14:00; 1 April moved to 12:00.</summary>
    internal static string Weekly(string uid) =>
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Caldera tests//EN\r\n" + Berlin +
        $"BEGIN:VEVENT\r\nUID:{uid}\r\nDTSTAMP:20240101T000000Z\r\nDTSTART;TZID=Europe/Berlin:20240101T100000\r\nDTEND;TZID=Europe/Berlin:20240101T110000\r\n" +
        "RRULE:FREQ=WEEKLY\r\nEXDATE;TZID=Europe/Berlin:20240115T100000\r\nSUMMARY:Weekly\r\nEND:VEVENT\r\n" +
        $"BEGIN:VEVENT\r\nUID:{uid}\r\nDTSTAMP:20240101T000000Z\r\nRECURRENCE-ID;TZID=Europe/Berlin:20240122T100000\r\n" +
        "DTSTART;TZID=Europe/Berlin:20240122T140000\r\nDTEND;TZID=Europe/Berlin:20240122T150000\r\nSUMMARY:Moved\r\nEND:VEVENT\r\n" +
        $"BEGIN:VEVENT\r\nUID:{uid}\r\nDTSTAMP:20240101T000000Z\r\nRECURRENCE-ID;TZID=Europe/Berlin:20240401T100000\r\n" +
        "DTSTART;TZID=Europe/Berlin:20240401T120000\r\nDTEND;TZID=Europe/Berlin:20240401T130000\r\nSUMMARY:April\r\nEND:VEVENT\r\n" +
        "END:VCALENDAR\r\n";

    static string Query(string calendarData, string start = "20240101T000000Z", string end = "20240201T000000Z") => $"""
        <C:calendar-query {Ns}>
          <D:prop><D:getetag/>{calendarData}</D:prop>
          <C:filter><C:comp-filter name="VCALENDAR"><C:comp-filter name="VEVENT">
            <C:time-range start="{start}" end="{end}"/>
          </C:comp-filter></C:comp-filter></C:filter>
        </C:calendar-query>
        """;

    static string Multiget(string calendarData, params string[] hrefs) =>
        $"""<C:calendar-multiget {Ns}><D:prop><D:getetag/>{calendarData}</D:prop>{string.Concat(hrefs.Select(h => $"<D:href>{h}</D:href>"))}</C:calendar-multiget>""";

    static string Data(DavResponse response, string href)
    {
        Assert.True(response.Status == (HttpStatusCode)207, response.ToString());
        return response.Responses()[href].Prop(C + "calendar-data").Value.Replace("\r\n", "\n").Replace("\n", "\r\n");
    }

    /// <summary>The content lines of each component with this name (nested components' lines included).</summary>
    static List<List<string>> Components(string text, string name)
    {
        var result = new List<List<string>>();
        List<string>? current = null;
        int depth = 0;
        foreach (var line in text.Replace("\r\n ", "").Split("\r\n"))
        {
            if (line == "BEGIN:" + name && depth++ == 0) { current = []; continue; }
            if (line == "END:" + name && --depth == 0) { result.Add(current!); current = null; continue; }
            current?.Add(line);
        }
        return result;
    }

    [Fact]
    public async Task Comp_and_prop_return_only_the_named_components_and_properties()
    {
        using var client = server.CreateClient(Alice);
        var path = await MakeCalendarAsync(client, Alice, Unique("cd"));
        await PutNewAsync(client, path + "w.ics", Weekly(Unique("uid")));

        var response = await SendAsync(client, Xml(Report, path, Query("""
            <C:calendar-data>
              <C:comp name="VCALENDAR">
                <C:prop name="VERSION"/>
                <C:comp name="VEVENT"><C:prop name="SUMMARY"/><C:prop name="DTSTART"/><C:prop name="RRULE" novalue="yes"/></C:comp>
              </C:comp>
            </C:calendar-data>
            """), "1"));
        var text = Data(response, path + "w.ics");
        Assert.StartsWith("BEGIN:VCALENDAR\r\nVERSION:2.0\r\n", text);
        Assert.DoesNotContain("PRODID", text);
        var events = Components(text, "VEVENT");
        Assert.Equal(3, events.Count);
        Assert.Equal(["DTSTART;TZID=Europe/Berlin:20240101T100000", "RRULE:", "SUMMARY:Weekly"], events[0]);
        Assert.Equal(["DTSTART;TZID=Europe/Berlin:20240122T140000", "SUMMARY:Moved"], events[1]);
        Assert.DoesNotContain("UID:", text);
        Assert.DoesNotContain("EXDATE", text);
        // The kept DTSTARTs name Europe/Berlin, so its VTIMEZONE comes along.
        Assert.Single(Components(text, "VTIMEZONE"));

        // allprop/allcomp inside a named comp, through multiget
        var all = await SendAsync(client, Xml(Report, path, Multiget("""
            <C:calendar-data><C:comp name="VCALENDAR"><C:allprop/><C:comp name="VEVENT"><C:allprop/></C:comp></C:comp></C:calendar-data>
            """, path + "w.ics")));
        var whole = Data(all, path + "w.ics");
        Assert.Contains("PRODID:-//Caldera tests//EN", whole);
        Assert.Contains("EXDATE;TZID=Europe/Berlin:20240115T100000", whole);
        Assert.Equal(3, Components(whole, "VEVENT").Count);
    }

    [Fact]
    public async Task Expand_returns_each_instance_in_utc_with_recurrence_id_honouring_exdate_and_override()
    {
        using var client = server.CreateClient(Alice);
        var path = await MakeCalendarAsync(client, Alice, Unique("exp"));
        await PutNewAsync(client, path + "w.ics", Weekly(Unique("uid")));

        var response = await SendAsync(client, Xml(Report, path, Query("""
            <C:calendar-data><C:expand start="20240101T000000Z" end="20240130T000000Z"/></C:calendar-data>
            """), "1"));
        var text = Data(response, path + "w.ics");
        var events = Components(text, "VEVENT");
        Assert.Equal(["20240101T090000Z", "20240108T090000Z", "20240122T090000Z", "20240129T090000Z"],
            events.Select(e => e.Single(l => l.StartsWith("RECURRENCE-ID")).Split(':')[1]));
        Assert.Equal(["20240101T090000Z", "20240108T090000Z", "20240122T130000Z", "20240129T090000Z"],
            events.Select(e => e.Single(l => l.StartsWith("DTSTART")).Split(':')[1]));
        Assert.Contains("DTEND:20240122T140000Z", events[2]);
        Assert.Contains("SUMMARY:Moved", events[2]);
        Assert.Contains("SUMMARY:Weekly", events[3]);
        Assert.DoesNotContain("RRULE", text);
        Assert.DoesNotContain("EXDATE", text);
        Assert.DoesNotContain("TZID", text);
        Assert.DoesNotContain("20240115", text); // the excluded Monday
    }

    [Fact]
    public async Task Limit_recurrence_set_keeps_the_master_and_the_overrides_that_affect_the_range()
    {
        using var client = server.CreateClient(Alice);
        var path = await MakeCalendarAsync(client, Alice, Unique("lrs"));
        await PutNewAsync(client, path + "w.ics", Weekly(Unique("uid")));

        var response = await SendAsync(client, Xml(Report, path, Multiget("""
            <C:calendar-data><C:limit-recurrence-set start="20240120T000000Z" end="20240127T000000Z"/></C:calendar-data>
            """, path + "w.ics")));
        var text = Data(response, path + "w.ics");
        var events = Components(text, "VEVENT");
        Assert.Equal(2, events.Count);
        Assert.Contains("RRULE:FREQ=WEEKLY", events[0]);
        Assert.Contains("SUMMARY:Moved", events[1]);
        Assert.DoesNotContain("SUMMARY:April", text);
    }

    [Fact]
    public async Task Limit_freebusy_set_keeps_only_overlapping_freebusy_periods()
    {
        using var client = server.CreateClient(Alice);
        var path = await MakeCalendarAsync(client, Alice, Unique("lfb"), "VEVENT", "VFREEBUSY");
        var uid = Unique("uid");
        await PutNewAsync(client, path + "fb.ics",
            "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Caldera tests//EN\r\n" +
            $"BEGIN:VFREEBUSY\r\nUID:{uid}\r\nDTSTAMP:20240101T000000Z\r\nDTSTART:20240101T000000Z\r\nDTEND:20240201T000000Z\r\n" +
            "FREEBUSY;FBTYPE=BUSY:20240102T100000Z/PT1H,20240110T100000Z/20240110T120000Z\r\n" +
            "FREEBUSY;FBTYPE=BUSY-TENTATIVE:20240120T100000Z/PT1H\r\nEND:VFREEBUSY\r\nEND:VCALENDAR\r\n");

        var response = await SendAsync(client, Xml(Report, path, Multiget("""
            <C:calendar-data><C:limit-freebusy-set start="20240109T000000Z" end="20240111T000000Z"/></C:calendar-data>
            """, path + "fb.ics")));
        var text = Data(response, path + "fb.ics");
        Assert.Equal(["FREEBUSY;FBTYPE=BUSY:20240110T100000Z/20240110T120000Z"],
            Components(text, "VFREEBUSY").Single().Where(l => l.StartsWith("FREEBUSY")));
        Assert.Contains($"UID:{uid}", text);
    }

    [Fact]
    public async Task Expanding_an_endless_rule_beyond_the_cap_is_refused_with_max_instances()
    {
        using var client = server.CreateClient(Alice);
        var path = await MakeCalendarAsync(client, Alice, Unique("cap"));
        await PutNewAsync(client, path + "m.ics", Event(Unique("uid"), "every minute", "20240101T000000Z", "20240101T000100Z", "RRULE:FREQ=MINUTELY\r\n"));

        var started = DateTime.UtcNow;
        var response = await SendAsync(client, Xml(Report, path, Query("""
            <C:calendar-data><C:expand start="20240101T000000Z" end="20250101T000000Z"/></C:calendar-data>
            """, "20240101T000000Z", "20250101T000000Z"), "1"));
        Assert.Equal(HttpStatusCode.Forbidden, response.Status);
        Assert.Contains(C + "max-instances", response.ErrorConditions());
        Assert.True(DateTime.UtcNow - started < TimeSpan.FromSeconds(30));

        // A window within the cap expands: one hour holds 60 instances.
        var hour = await SendAsync(client, Xml(Report, path, Query("""
            <C:calendar-data><C:expand start="20240301T000000Z" end="20240301T010000Z"/></C:calendar-data>
            """, "20240301T000000Z", "20240301T010000Z"), "1"));
        Assert.Equal(60, Components(Data(hour, path + "m.ics"), "VEVENT").Count);
    }

    [Theory]
    [InlineData("""<C:expand start="20240201T000000Z" end="20240101T000000Z"/>""")]
    [InlineData("""<C:expand start="20240101T000000Z"/>""")]
    [InlineData("""<C:limit-recurrence-set end="20240101T000000Z"/>""")]
    [InlineData("""<C:expand start="2024-01-01" end="20240201T000000Z"/>""")]
    public async Task Malformed_calendar_data_time_ranges_are_400(string element)
    {
        using var client = server.CreateClient(Alice);
        var path = await MakeCalendarAsync(client, Alice, Unique("bad"));
        await PutNewAsync(client, path + "w.ics", Weekly(Unique("uid")));
        var response = await SendAsync(client, Xml(Report, path, Multiget($"<C:calendar-data>{element}</C:calendar-data>", path + "w.ics")));
        Assert.Equal(HttpStatusCode.BadRequest, response.Status);
    }

    [Fact]
    public async Task Min_and_max_date_time_are_calendar_properties_and_bound_report_time_ranges()
    {
        using var client = server.CreateClient(Alice);
        var path = await MakeCalendarAsync(client, Alice, Unique("mm"));
        var props = await PropfindAsync(client, path, "0", C + "min-date-time", C + "max-date-time", D + "supported-report-set");
        Assert.True(props.Status == (HttpStatusCode)207, props.ToString());
        var r = props.Responses()[path];
        Assert.Equal("19000101T000000Z", r.Prop(C + "min-date-time").Value);
        Assert.Equal("21001231T235959Z", r.Prop(C + "max-date-time").Value);
        Assert.Contains(r.Prop(D + "supported-report-set").Descendants(D + "report"), e => e.Element(C + "free-busy-query") is not null);

        // RFC 4791 §7.8 preconditions: time ranges outside the limits are refused.
        var early = await SendAsync(client, Xml(Report, path, Query("", "18000101T000000Z", "20240101T000000Z"), "1"));
        Assert.Equal(HttpStatusCode.Forbidden, early.Status);
        Assert.Contains(C + "min-date-time", early.ErrorConditions());
        var late = await SendAsync(client, Xml(Report, path, Query("""
            <C:calendar-data><C:expand start="20240101T000000Z" end="22000101T000000Z"/></C:calendar-data>
            """), "1"));
        Assert.Equal(HttpStatusCode.Forbidden, late.Status);
        Assert.Contains(C + "max-date-time", late.ErrorConditions());

        // allprop leaves them out (§5.2.6: SHOULD NOT be returned by allprop).
        var allprop = await SendAsync(client, Xml(Propfind, path, $"""<D:propfind {Ns}><D:allprop/></D:propfind>""", "0"));
        Assert.DoesNotContain("min-date-time", allprop.Text);
    }
}

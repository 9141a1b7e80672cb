using System.Net;
using System.Text.Json.Nodes;

namespace Caldera.Web.Tests.Api;

/// <summary>events: instances of the home's calendars in a range, expanded by the calendar-query code; export: one .ics.</summary>
[Collection(WebServerCollection.Name)]
public sealed class EventApiTests(WebServerFixture fixture)
{
    const string Zone = """
        BEGIN:VTIMEZONE
        TZID:Europe/Paris
        BEGIN:STANDARD
        DTSTART:19701025T030000
        RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU
        TZOFFSETFROM:+0200
        TZOFFSETTO:+0100
        END:STANDARD
        BEGIN:DAYLIGHT
        DTSTART:19700329T020000
        RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU
        TZOFFSETFROM:+0100
        TZOFFSETTO:+0200
        END:DAYLIGHT
        END:VTIMEZONE
        """;

    /// <summary>A weekly Monday 09:00 Paris series from 2027-01-04, without 2027-01-11, and 2027-01-18 moved to 14:00.</summary>
    static string Series(string uid) => Calendar($"""
        {Zone}
        BEGIN:VEVENT
        UID:{uid}
        DTSTAMP:20260101T000000Z
        DTSTART;TZID=Europe/Paris:20270104T090000
        DTEND;TZID=Europe/Paris:20270104T100000
        RRULE:FREQ=WEEKLY;BYDAY=MO
        EXDATE;TZID=Europe/Paris:20270111T090000
        SUMMARY:Weekly
        LOCATION:Room 1
        END:VEVENT
        BEGIN:VEVENT
        UID:{uid}
        DTSTAMP:20260101T000000Z
        RECURRENCE-ID;TZID=Europe/Paris:20270118T090000
        DTSTART;TZID=Europe/Paris:20270118T140000
        DTEND;TZID=Europe/Paris:20270118T150000
        SUMMARY:Weekly (moved)
        END:VEVENT
        """);

    static string Single(string uid, string summary, string start, string end) => Calendar($"""
        BEGIN:VEVENT
        UID:{uid}
        DTSTAMP:20260101T000000Z
        DTSTART:{start}
        DTEND:{end}
        SUMMARY:{summary}
        END:VEVENT
        """);

    static string AllDay(string uid) => Calendar($"""
        BEGIN:VEVENT
        UID:{uid}
        DTSTAMP:20260101T000000Z
        DTSTART;VALUE=DATE:20270105
        DTEND;VALUE=DATE:20270107
        SUMMARY:Two days
        END:VEVENT
        """);

    static string Calendar(string body) =>
        ("BEGIN:VCALENDAR\nVERSION:2.0\nPRODID:-//test//EN\n" + body.Trim() + "\nEND:VCALENDAR\n").Replace("\r\n", "\n").Replace("\n", "\r\n");

    static async Task PutAsync(HttpClient dav, string user, string calendar, string name, string body)
    {
        using var response = await dav.PutAsync($"calendars/{user}/{calendar}/{name}", ApiUsers.Ics(body));
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
    }

    static List<JsonNode> Events(JsonNode answer) => answer["events"]!.AsArray().Select(e => e!).ToList();

    [Fact]
    public async Task A_recurring_series_is_expanded_with_exdate_and_override_in_any_later_range()
    {
        var (user, password, _) = await ApiUsers.CreateAsync(fixture, "events");
        using var client = await ApiClient.SignInAsync(fixture, user, password);
        using var dav = fixture.CreateDavClient(user, password);
        await client.ExpectAsync(HttpStatusCode.OK, HttpMethod.Patch, "calendars/default", new { color = "#336699" });
        await PutAsync(dav, user, "default", "series.ics", Series("series-1"));
        await PutAsync(dav, user, "default", "allday.ics", AllDay("allday-1"));
        await PutAsync(dav, user, "default", "outside.ics", Single("outside-1", "Outside", "20270301T100000Z", "20270301T110000Z"));

        var january = await client.GetJsonAsync("events?start=2027-01-01T00:00:00Z&end=2027-02-01T00:00:00Z");
        Assert.False(january["truncated"]!.GetValue<bool>());
        var weekly = Events(january).Where(e => ApiUsers.Text(e, "uid") == "series-1").ToList();
        // Mondays 4, (11 excluded), 18 (moved), 25 — 09:00 Paris is 08:00 UTC in winter.
        Assert.Equal(["2027-01-04T08:00:00Z", "2027-01-18T13:00:00Z", "2027-01-25T08:00:00Z"], weekly.Select(e => ApiUsers.Text(e, "start")));
        Assert.Equal(["Weekly", "Weekly (moved)", "Weekly"], weekly.Select(e => ApiUsers.Text(e, "title")));
        Assert.Equal("2027-01-18T08:00:00Z", ApiUsers.Text(weekly[1], "recurrenceId"));
        Assert.Equal("2027-01-18T14:00:00Z", ApiUsers.Text(weekly[1], "end"));
        Assert.Equal("Room 1", ApiUsers.Text(weekly[0], "location"));
        Assert.All(weekly, e => Assert.Equal("default", ApiUsers.Text(e, "calendar")));
        Assert.All(weekly, e => Assert.Equal("#336699", ApiUsers.Text(e, "color")));
        var allDay = Events(january).Single(e => ApiUsers.Text(e, "uid") == "allday-1");
        Assert.True(allDay["allDay"]!.GetValue<bool>());
        Assert.Equal("2027-01-05", ApiUsers.Text(allDay, "start"));
        Assert.Equal("2027-01-07", ApiUsers.Text(allDay, "end"));
        Assert.Null(allDay["recurrenceId"]);
        Assert.DoesNotContain(Events(january), e => ApiUsers.Text(e, "uid") == "outside-1");

        // Far later, in summer time: 09:00 Paris is 07:00 UTC.
        var july = await client.GetJsonAsync("events?start=2031-07-01T00:00:00Z&end=2031-07-08T00:00:00Z");
        var instance = Assert.Single(Events(july));
        Assert.Equal("2031-07-07T07:00:00Z", ApiUsers.Text(instance, "start"));
        Assert.Equal("2031-07-07T07:00:00Z", ApiUsers.Text(instance, "recurrenceId"));
    }

    [Fact]
    public async Task A_summary_with_html_comes_back_as_the_exact_string()
    {
        var (user, password, _) = await ApiUsers.CreateAsync(fixture, "html");
        using var client = await ApiClient.SignInAsync(fixture, user, password);
        using var dav = fixture.CreateDavClient(user, password);
        await PutAsync(dav, user, "default", "html.ics", Single("html-1", "<img src=x onerror=alert(1)> & \\, \"quoted\"", "20270210T100000Z", "20270210T110000Z"));
        var answer = await client.GetJsonAsync("events?start=2027-02-10T00:00:00Z&end=2027-02-11T00:00:00Z");
        Assert.Equal("<img src=x onerror=alert(1)> & , \"quoted\"", ApiUsers.Text(Assert.Single(Events(answer)), "title"));
    }

    [Fact]
    public async Task Bad_ranges_are_400()
    {
        using var client = await ApiUsers.SignedInAsync(fixture, "ranges");
        await client.ExpectAsync(HttpStatusCode.BadRequest, HttpMethod.Get, "events");
        await client.ExpectAsync(HttpStatusCode.BadRequest, HttpMethod.Get, "events?start=yesterday&end=2027-01-01T00:00:00Z");
        await client.ExpectAsync(HttpStatusCode.BadRequest, HttpMethod.Get, "events?start=2027-01-02T00:00:00Z&end=2027-01-01T00:00:00Z");
        await client.ExpectAsync(HttpStatusCode.BadRequest, HttpMethod.Get, "events?start=2027-01-01T00:00:00Z&end=2027-06-01T00:00:00Z");
        await client.ExpectAsync(HttpStatusCode.OK, HttpMethod.Get, "events?start=2027-01-01T00:00:00%2B01:00&end=2027-04-10T00:00:00Z");
        await client.ExpectAsync(HttpStatusCode.OK, HttpMethod.Get, "events?start=2027-01-01T00:00:00+01:00&end=2027-01-10");
    }

    [Fact]
    public async Task More_than_2000_instances_are_cut_and_marked_truncated()
    {
        var (user, password, _) = await ApiUsers.CreateAsync(fixture, "dense");
        using var client = await ApiClient.SignInAsync(fixture, user, password);
        using var dav = fixture.CreateDavClient(user, password);
        await PutAsync(dav, user, "default", "hourly.ics", Calendar("""
            BEGIN:VEVENT
            UID:hourly-1
            DTSTAMP:20260101T000000Z
            DTSTART:20270101T000000Z
            DURATION:PT10M
            RRULE:FREQ=HOURLY;COUNT=3000
            SUMMARY:Tick
            END:VEVENT
            """));
        var answer = await client.GetJsonAsync("events?start=2027-01-01T00:00:00Z&end=2027-04-01T00:00:00Z");
        Assert.True(answer["truncated"]!.GetValue<bool>());
        Assert.Equal(2000, Events(answer).Count);
    }

    [Fact]
    public async Task Export_holds_one_vcalendar_each_event_once_and_each_vtimezone_once()
    {
        var (user, password, _) = await ApiUsers.CreateAsync(fixture, "export");
        using var client = await ApiClient.SignInAsync(fixture, user, password);
        using var dav = fixture.CreateDavClient(user, password);
        await PutAsync(dav, user, "default", "series.ics", Series("export-series"));
        await PutAsync(dav, user, "default", "second.ics", Series("export-second"));
        await PutAsync(dav, user, "default", "single.ics", Single("export-single", "Single", "20270301T100000Z", "20270301T110000Z"));

        using var response = await client.GetAsync("calendars/default/export");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/calendar", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("utf-8", response.Content.Headers.ContentType?.CharSet);
        Assert.Equal("attachment; filename=\"default.ics\"", response.Content.Headers.ContentDisposition?.ToString());
        var text = await response.Content.ReadAsStringAsync();
        int Count(string needle) => text.Split(needle).Length - 1;
        Assert.StartsWith("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Caldera//", text);
        Assert.EndsWith("END:VCALENDAR\r\n", text);
        Assert.Equal(1, Count("BEGIN:VCALENDAR"));
        Assert.Equal(1, Count("BEGIN:VTIMEZONE"));
        Assert.Equal(2, Count("UID:export-series\r\n")); // the master and its override
        Assert.Equal(2, Count("UID:export-second\r\n"));
        Assert.Equal(1, Count("UID:export-single\r\n"));
        Assert.Equal(5, Count("BEGIN:VEVENT"));
        Assert.DoesNotContain("PRODID:-//test//EN", text);
    }
}

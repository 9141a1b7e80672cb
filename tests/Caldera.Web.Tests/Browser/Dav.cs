using System.Net;
using System.Text;

namespace Caldera.Web.Tests.Browser;

/// <summary>What the browser tests set up or check over CalDAV, the way a device would (Basic auth, real HTTP).</summary>
public static class Dav
{
    static readonly HttpMethod Mkcalendar = new("MKCALENDAR");
    static readonly HttpMethod Propfind = new("PROPFIND");

    public static string CalendarPath(string user, string calendar) => $"/calendars/{user}/{calendar}/";

    /// <summary>PUTs one iCalendar object into <paramref name="calendar"/>; fails the test unless it is stored.</summary>
    public static async Task PutAsync(HttpClient client, string user, string calendar, string uid, string ics)
    {
        using var request = new HttpRequestMessage(HttpMethod.Put, CalendarPath(user, calendar) + uid + ".ics")
        {
            Content = new StringContent(ics, Encoding.UTF8, "text/calendar"),
        };
        using var response = await client.SendAsync(request);
        Assert.True(response.StatusCode is HttpStatusCode.Created or HttpStatusCode.NoContent,
            $"PUT {request.RequestUri}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
    }

    /// <summary>MKCALENDAR with a display name and an Apple calendar-color (what the page shows as the colour).</summary>
    public static async Task MakeCalendarAsync(HttpClient client, string user, string calendar, string displayName, string? color = null)
    {
        var colorProp = color is null ? "" : $"<A:calendar-color>{color}</A:calendar-color>";
        var body = $"""
            <?xml version="1.0" encoding="utf-8"?>
            <C:mkcalendar xmlns:D="DAV:" xmlns:C="urn:ietf:params:xml:ns:caldav" xmlns:A="http://apple.com/ns/ical/">
              <D:set><D:prop><D:displayname>{WebUtility.HtmlEncode(displayName)}</D:displayname>{colorProp}</D:prop></D:set>
            </C:mkcalendar>
            """;
        using var request = new HttpRequestMessage(Mkcalendar, CalendarPath(user, calendar))
        {
            Content = new StringContent(body, Encoding.UTF8, "application/xml"),
        };
        using var response = await client.SendAsync(request);
        Assert.True(response.StatusCode == HttpStatusCode.Created,
            $"MKCALENDAR {request.RequestUri}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
    }

    /// <summary>PROPFIND Depth 0 for the display name: the status and the body.</summary>
    public static async Task<(HttpStatusCode Status, string Body)> PropfindAsync(HttpClient client, string path)
    {
        const string body = """
            <?xml version="1.0" encoding="utf-8"?>
            <D:propfind xmlns:D="DAV:"><D:prop><D:displayname/></D:prop></D:propfind>
            """;
        using var request = new HttpRequestMessage(Propfind, path) { Content = new StringContent(body, Encoding.UTF8, "application/xml") };
        request.Headers.Add("Depth", "0");
        using var response = await client.SendAsync(request);
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    /// <summary>A short unique suffix, so tests sharing the server never collide on names.</summary>
    public static string Unique() => Guid.NewGuid().ToString("N")[..8];
}

/// <summary>Writes the small iCalendar objects the tests need.</summary>
public static class Ics
{
    /// <summary>A VCALENDAR with one VEVENT; times are UTC "yyyyMMddTHHmmssZ".</summary>
    public static string Event(string uid, string summary, string start, string end, string? rrule = null, string? exdate = null) =>
        Calendar(VEvent(uid, summary, start, end, rrule, exdate));

    public static string Calendar(string components) =>
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Caldera browser tests//EN\r\n" + components + "END:VCALENDAR\r\n";

    public static string VEvent(string uid, string summary, string start, string end, string? rrule = null, string? exdate = null)
    {
        var lines = new List<string>
        {
            "BEGIN:VEVENT", $"UID:{uid}", "DTSTAMP:20270101T000000Z", $"SUMMARY:{Text(summary)}", $"DTSTART:{start}", $"DTEND:{end}",
        };
        if (rrule is not null) lines.Add($"RRULE:{rrule}");
        if (exdate is not null) lines.Add($"EXDATE:{exdate}");
        lines.Add("END:VEVENT");
        return string.Concat(lines.Select(l => l + "\r\n"));
    }

    /// <summary>RFC 5545 TEXT escaping.</summary>
    public static string Text(string value) =>
        value.Replace("\\", "\\\\").Replace(";", "\\;").Replace(",", "\\,").Replace("\n", "\\n");
}

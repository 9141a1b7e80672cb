using System.Net;
using Caldera.Functions.Tests.Dav;
using static Caldera.Functions.Tests.Dav.DavHelpers;

namespace Caldera.Functions.Tests.Queries;

/// <summary>The time-range calendar-query and free-busy-query bodies the time zone and encoding tests send.</summary>
static class QueryRequests
{
    const string Ns = """xmlns:D="DAV:" xmlns:C="urn:ietf:params:xml:ns:caldav" """;

    /// <summary>VCALENDAR &gt; VEVENT in [start, end); <paramref name="extra"/> goes after the filter (e.g. CALDAV:timezone).</summary>
    public static string EventsIn(string start, string end, string props = "<D:getetag/>", string extra = "") => $"""
        <C:calendar-query {Ns}><D:prop>{props}</D:prop>
          <C:filter><C:comp-filter name="VCALENDAR"><C:comp-filter name="VEVENT"><C:time-range start="{start}" end="{end}"/></C:comp-filter></C:comp-filter></C:filter>
          {extra}
        </C:calendar-query>
        """;

    public static string FreeBusy(string start, string end, string extra = "") =>
        $"""<C:free-busy-query {Ns}><C:time-range start="{start}" end="{end}"/>{extra}</C:free-busy-query>""";

    /// <summary>The hrefs a Depth 1 REPORT answers with, sorted.</summary>
    public static async Task<IReadOnlyList<string>> MatchesAsync(HttpClient client, string path, string body)
    {
        var response = await SendAsync(client, Xml(Report, path, body, "1"));
        Assert.True(response.Status == HttpStatusCode.MultiStatus, response.ToString());
        return response.Responses().Keys.Order().ToList();
    }

    /// <summary>The FREEBUSY lines of a free-busy-query answer.</summary>
    public static async Task<List<string>> BusyAsync(HttpClient client, string path, string body)
    {
        var response = await SendAsync(client, Xml(Report, path, body, "1"));
        Assert.True(response.Status == HttpStatusCode.OK, response.ToString());
        return response.Text.Split("\r\n").Where(l => l.StartsWith("FREEBUSY")).ToList();
    }
}

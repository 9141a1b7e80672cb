using System.Net;
using System.Xml.Linq;
using Caldera.Dav.Xml;
using static Caldera.Functions.Tests.Dav.DavHelpers;

namespace Caldera.Functions.Tests.Dav;

/// <summary>
/// Multistatus answers are streamed (<see cref="MultistatusWriter"/>): large ones leave in chunks and are still
/// whole and well-formed, and a request that must be refused is refused before its 207 starts.
/// </summary>
[Collection(CalderaServerCollection.Name)]
public sealed class StreamingTests(CalderaServerFixture server)
{
    const string Alice = CalderaServerFixture.Alice;
    const int Regular = 300;
    const string Ns = """xmlns:D="DAV:" xmlns:C="urn:ietf:params:xml:ns:caldav" """;

    /// <summary>One calendar for the class: <see cref="Regular"/> padded events in January 2024, then one minutely series.</summary>
    static Task<string>? _calendar;
    static readonly object Gate = new();

    static string Name(int i) => $"a-{i:D3}.ics";
    const string Endless = "zz-minutely.ics";

    Task<string> CalendarAsync()
    {
        lock (Gate)
            return _calendar ??= SeedAsync();
    }

    async Task<string> SeedAsync()
    {
        using var client = server.CreateClient(Alice);
        var path = await MakeCalendarAsync(client, Alice, Unique("stream"));
        var padding = "DESCRIPTION:" + string.Join("\r\n ", Enumerable.Repeat(new string('x', 60), 7)) + "\r\n"; // folded lines
        using var gate = new SemaphoreSlim(4);
        await Task.WhenAll(Enumerable.Range(0, Regular).Select(async i =>
        {
            await gate.WaitAsync();
            try
            {
                var start = new DateTime(2024, 1, 1, 8, 0, 0, DateTimeKind.Utc).AddHours(2 * i);
                await PutRetryingAsync(client, path + Name(i), Event($"stream-{i}", $"event {i}",
                    start.ToString("yyyyMMdd'T'HHmmss'Z'"), start.AddHours(1).ToString("yyyyMMdd'T'HHmmss'Z'"), padding));
            }
            finally { gate.Release(); }
        }));
        await PutNewAsync(client, path + Endless, Event("stream-minutely", "every minute", "20240101T000000Z", "20240101T000100Z", "RRULE:FREQ=MINUTELY\r\n"));
        return path;
    }

    /// <summary>Concurrent PUTs to one calendar may be told to try again (409/503).</summary>
    static async Task PutRetryingAsync(HttpClient client, string path, string body)
    {
        for (var attempt = 0; ; attempt++)
        {
            var response = await SendAsync(client, Put(path, body));
            if (response.Status == HttpStatusCode.Created)
                return;
            if (attempt >= 10 || response.Status is not (HttpStatusCode.Conflict or HttpStatusCode.ServiceUnavailable))
                throw new Xunit.Sdk.XunitException($"PUT {path}: {response}");
            await Task.Delay(50 * (attempt + 1));
        }
    }

    static void AssertStreamed(DavResponse response)
    {
        Assert.Equal(HttpStatusCode.MultiStatus, response.Status);
        Assert.True(response.Body.Length > 3 * MultistatusWriter.ChunkSize, $"only {response.Body.Length} bytes: too small to show streaming");
        Assert.False(response.ContentHeaders.Contains("Content-Length")); // sent chunked, as it was written (a small answer has a length)
    }

    [Fact]
    public async Task A_propfind_depth_1_over_hundreds_of_objects_is_streamed_whole()
    {
        var path = await CalendarAsync();
        using var client = server.CreateClient(Alice);
        var response = await PropfindAsync(client, path, "1",
            D + "getetag", D + "getcontenttype", D + "getlastmodified", D + "getcontentlength", D + "resourcetype", D + "displayname");

        AssertStreamed(response);
        var responses = response.Responses(); // parses the whole document: well-formed
        var expected = Enumerable.Range(0, Regular).Select(i => path + Name(i)).Append(path + Endless).Append(path).Order();
        Assert.Equal(expected, responses.Keys.Order());
        foreach (var (_, element) in responses.Where(r => r.Key != path))
        {
            Assert.StartsWith("\"", element.Prop(D + "getetag").Value);
            Assert.Equal("text/calendar; charset=utf-8", element.Prop(D + "getcontenttype").Value);
            Assert.Equal(404, element.StatusOf(D + "displayname"));
        }
        // Each ETag is the one the object answers a GET with.
        var sample = path + Name(Regular - 1);
        Assert.Equal((await GetAsync(client, sample)).ETag, responses[sample].Prop(D + "getetag").Value);
    }

    [Fact]
    public async Task A_calendar_query_with_calendar_data_over_hundreds_of_objects_is_streamed_whole()
    {
        var path = await CalendarAsync();
        using var client = server.CreateClient(Alice);
        var response = await SendAsync(client, Xml(Report, path, $"""
            <C:calendar-query {Ns}><D:prop><D:getetag/><C:calendar-data/></D:prop>
              <C:filter><C:comp-filter name="VCALENDAR"><C:comp-filter name="VEVENT">
                <C:time-range start="20240101T000000Z" end="20240201T000000Z"/>
              </C:comp-filter></C:comp-filter></C:filter>
            </C:calendar-query>
            """, "1"));

        AssertStreamed(response);
        var responses = response.Responses();
        Assert.Equal(Regular + 1, responses.Count);
        for (var i = 0; i < Regular; i++)
        {
            var data = responses[path + Name(i)].Prop(C + "calendar-data").Value;
            Assert.Contains($"UID:stream-{i}", data);
            Assert.EndsWith("END:VCALENDAR", data.TrimEnd());
        }
    }

    [Fact]
    public async Task Max_instances_found_after_hundreds_of_responses_is_still_a_403_not_a_cut_207()
    {
        var path = await CalendarAsync();
        using var client = server.CreateClient(Alice);
        var hrefs = string.Concat(Enumerable.Range(0, Regular).Select(i => $"<D:href>{path}{Name(i)}</D:href>")) + $"<D:href>{path}{Endless}</D:href>";
        string Multiget(string calendarData) => $"<C:calendar-multiget {Ns}><D:prop><D:getetag/>{calendarData}</D:prop>{hrefs}</C:calendar-multiget>";

        // The premise: the endless series is answered last, after more than a chunk of other responses, so a writer
        // that rendered while streaming would have sent its 207 before meeting it.
        var plain = await SendAsync(client, Xml(Report, path, Multiget("<C:calendar-data/>")));
        Assert.Equal(HttpStatusCode.MultiStatus, plain.Status);
        Assert.Equal(path + Endless, plain.Xml.Root!.Elements(D + "response").Last().Element(D + "href")!.Value);
        Assert.True(plain.Text.IndexOf(Endless, StringComparison.Ordinal) > 3 * MultistatusWriter.ChunkSize);

        var expanded = await SendAsync(client, Xml(Report, path, Multiget("""
            <C:calendar-data><C:expand start="20240101T000000Z" end="20250101T000000Z"/></C:calendar-data>
            """)));
        Assert.Equal(HttpStatusCode.Forbidden, expanded.Status);
        Assert.Contains(C + "max-instances", expanded.ErrorConditions());
    }
}

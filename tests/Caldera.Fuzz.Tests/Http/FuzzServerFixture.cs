using System.Net.Http.Headers;
using System.Text;
using Caldera.Fuzz.Tests.Harness;
using Caldera.LocalHost;

namespace Caldera.Fuzz.Tests.Http;

/// <summary>
/// One local host (loopback, in-memory Azurite) with a user whose default calendar holds the iCalendar seeds, so
/// that fuzzed reports have objects to read, filter and expand.
/// </summary>
public sealed class FuzzServerFixture : IAsyncLifetime
{
    public const string User = "fuzz";
    const string Password = "fuzz-app-password-1";

    /// <summary>A calendar that takes every component kind, so that every iCalendar seed can be stored in it.</summary>
    public const string Calendar = "/calendars/fuzz/all/";

    const string MakeCalendar = """
        <C:mkcalendar xmlns:D="DAV:" xmlns:C="urn:ietf:params:xml:ns:caldav"><D:set><D:prop><C:supported-calendar-component-set>
        <C:comp name="VEVENT"/><C:comp name="VTODO"/><C:comp name="VJOURNAL"/><C:comp name="VFREEBUSY"/>
        </C:supported-calendar-component-set></D:prop></D:set></C:mkcalendar>
        """;

    RunningServer? _server;

    public HttpClient Client { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        _server = await CalderaLocalServer.StartAsync(new LocalServerOptions { Port = 0, InMemory = true, User = User, Password = Password }, timeout.Token);
        Client = new HttpClient { BaseAddress = _server.BaseUri, Timeout = InputRunner.Watchdog };
        Client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{User}:{Password}")));
        using (var mkcalendar = new HttpRequestMessage(new HttpMethod("MKCALENDAR"), Calendar) { Content = new StringContent(MakeCalendar, Encoding.UTF8, "application/xml") })
        using (var made = await Client.SendAsync(mkcalendar))
            made.EnsureSuccessStatusCode();
        foreach (var file in Corpus.Files("ical").Where(f => Path.GetFileName(f).StartsWith("seed-", StringComparison.Ordinal)))
        {
            using var content = new ByteArrayContent(File.ReadAllBytes(file));
            content.Headers.ContentType = new MediaTypeHeaderValue("text/calendar");
            using var response = await Client.PutAsync(Calendar + Path.GetFileNameWithoutExtension(file) + ".ics", content);
            response.EnsureSuccessStatusCode();
        }
    }

    public async Task DisposeAsync()
    {
        Client?.Dispose();
        if (_server is not null)
            await _server.DisposeAsync();
    }
}

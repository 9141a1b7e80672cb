using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Caldera.LocalHost;
using Xunit.Abstractions;

namespace Caldera.Functions.Tests.Outage;

/// <summary>
/// Azurite (file-backed, as a local user runs it) stopped while clients read and write: every request ends with its
/// answer or a clean 503 + Retry-After (never a 500, never a hang: a generous watchdog fails one), /healthz says
/// unavailable; once Azurite runs again on the same ports and data the host serves again by itself and every
/// acknowledged write is there.
/// </summary>
public sealed class StorageOutageTests(ITestOutputHelper output) : IAsyncLifetime
{
    const string User = "alice", Password = "alice-outage-password";
    static readonly TimeSpan Watchdog = TimeSpan.FromMinutes(4);
    readonly string _data = Path.Combine(Path.GetTempPath(), "caldera-outage-" + Guid.NewGuid().ToString("N")[..8]);
    RunningServer? _server;

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        if (_server is not null)
            await _server.DisposeAsync();
        try { Directory.Delete(_data, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }

    async Task<HttpClient> StartAsync(bool restartAzurite, CancellationToken ct)
    {
        _server = await CalderaLocalServer.StartAsync(new LocalServerOptions
        {
            Port = 0, DataFolder = _data, User = User, Password = Password, RestartAzurite = restartAzurite,
        }, ct);
        var client = new HttpClient { BaseAddress = _server.BaseUri, Timeout = Watchdog };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{User}:{Password}")));
        var made = await client.SendAsync(new HttpRequestMessage(new HttpMethod("MKCALENDAR"), "/calendars/alice/work/"), ct);
        Assert.Equal(HttpStatusCode.Created, made.StatusCode);
        return client;
    }

    /// <summary>
    /// Ends Azurite with SIGTERM and waits for it to exit. Not SIGKILL: Azurite saves its tables every few seconds, so a
    /// SIGKILL loses its own last acknowledged writes (an emulator limit, see README), which would hide Caldera's.
    /// </summary>
    static async Task TerminateAsync(int pid, CancellationToken ct)
    {
        using var node = Process.GetProcessById(pid);
        using (var kill = Process.Start("kill", ["-TERM", pid.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
            await kill.WaitForExitAsync(ct);
        await node.WaitForExitAsync(ct);
    }

    static StringContent Event(string uid) => new(
        $"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//test//EN\r\nBEGIN:VEVENT\r\nUID:{uid}\r\nDTSTAMP:20260101T000000Z\r\nDTSTART:20260105T100000Z\r\nSUMMARY:{uid}\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n",
        Encoding.UTF8, "text/calendar");

    [Fact]
    public async Task Azurite_killed_mid_run_gives_clean_503s_and_after_its_restart_every_acknowledged_write_is_served()
    {
        using var watchdog = new CancellationTokenSource(Watchdog);
        var client = await StartAsync(restartAzurite: false, watchdog.Token);
        var acknowledged = new ConcurrentDictionary<string, string>(); // name -> ETag of its acknowledged PUT
        var statuses = new ConcurrentBag<(string Method, int Status, bool RetryAfter)>();
        var outageAnswers = 0;
        var killed = false;
        using var stop = new CancellationTokenSource();

        async Task ClientAsync(int id)
        {
            for (var n = 0; !stop.IsCancellationRequested; n++)
            {
                var name = $"c{id}-{n}.ics";
                var put = await client.PutAsync($"/calendars/alice/work/{name}", Event($"uid-{id}-{n}"), watchdog.Token);
                Record("PUT", put);
                if (put.StatusCode == HttpStatusCode.Created)
                    acknowledged[name] = put.Headers.ETag!.Tag;
                if (acknowledged.Keys.FirstOrDefault(k => k.StartsWith($"c{id}-", StringComparison.Ordinal)) is { } earlier)
                    Record("GET", await client.GetAsync($"/calendars/alice/work/{earlier}", watchdog.Token));
                Record("PROPFIND", await client.SendAsync(new HttpRequestMessage(new HttpMethod("PROPFIND"), "/calendars/alice/work/")
                    { Headers = { { "Depth", "1" } } }, watchdog.Token));
            }
        }

        void Record(string method, HttpResponseMessage response)
        {
            var status = (int)response.StatusCode;
            statuses.Add((method, status, response.Headers.RetryAfter is not null));
            if (status == 503 && Volatile.Read(ref killed))
                Interlocked.Increment(ref outageAnswers);
        }

        var clients = Enumerable.Range(0, 4).Select(ClientAsync).ToList();
        string Summary() => $"{statuses.Count} requests, {acknowledged.Count} PUTs acknowledged: " + string.Join(", ",
            statuses.GroupBy(s => (s.Method, s.Status)).OrderBy(g => g.Key).Select(g => $"{g.Key.Method} {g.Key.Status} x{g.Count()}"));
        // Waits for a condition while the clients run; a client that stopped (threw) fails the test at once, with its error.
        async Task WaitForAsync(Func<bool> condition)
        {
            while (!condition())
            {
                if (clients.FirstOrDefault(c => c.IsCompleted) is { } ended)
                {
                    await ended;
                    Assert.Fail("a client stopped early; " + Summary());
                }
                await Task.Delay(50, watchdog.Token);
            }
        }
        await WaitForAsync(() => acknowledged.Count >= 8);
        var azurite = _server!.Azurite!;
        await TerminateAsync(azurite.ProcessId, watchdog.Token);
        Volatile.Write(ref killed, true);
        var ackedBeforeOutage = acknowledged.Count;
        await WaitForAsync(() => Volatile.Read(ref outageAnswers) >= 12);
        var health = await client.GetAsync("/healthz", watchdog.Token);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, health.StatusCode);

        await azurite.RestartAsync(watchdog.Token);
        // Served again by itself: the same clients go on, and their writes are acknowledged again.
        var ackedBeforeRestart = acknowledged.Count;
        output.WriteLine("restarted; before: " + Summary());
        await WaitForAsync(() => acknowledged.Count >= ackedBeforeRestart + 8);
        await stop.CancelAsync();
        await Task.WhenAll(clients);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/healthz", watchdog.Token)).StatusCode);

        output.WriteLine($"{ackedBeforeOutage} PUTs acknowledged before the kill; in all " + Summary());
        Assert.All(statuses, s => Assert.Contains(s.Status, new[] { 200, 201, 207, 503 }));
        Assert.All(statuses.Where(s => s.Status == 503), s => Assert.True(s.RetryAfter, $"{s.Method} 503 without Retry-After"));
        foreach (var (name, etag) in acknowledged)
        {
            var get = await client.GetAsync($"/calendars/alice/work/{name}", watchdog.Token);
            Assert.True(get.StatusCode == HttpStatusCode.OK, $"{name}: {get.StatusCode}");
            Assert.Equal(etag, get.Headers.ETag!.Tag);
        }
    }

    [Fact]
    public async Task The_local_host_starts_its_dead_Azurite_again_by_itself()
    {
        using var watchdog = new CancellationTokenSource(Watchdog);
        var client = await StartAsync(restartAzurite: true, watchdog.Token);
        var put = await client.PutAsync("/calendars/alice/work/kept.ics", Event("kept"), watchdog.Token);
        Assert.Equal(HttpStatusCode.Created, put.StatusCode);
        var azurite = _server!.Azurite!;
        var before = azurite.ProcessId;

        await TerminateAsync(before, watchdog.Token);
        HttpResponseMessage health;
        while ((health = await client.GetAsync("/healthz", watchdog.Token)).StatusCode != HttpStatusCode.OK)
            Assert.Equal(HttpStatusCode.ServiceUnavailable, health.StatusCode);

        Assert.NotEqual(before, azurite.ProcessId);
        var get = await client.GetAsync("/calendars/alice/work/kept.ics", watchdog.Token);
        Assert.Equal(HttpStatusCode.OK, get.StatusCode);
        Assert.Equal(put.Headers.ETag!.Tag, get.Headers.ETag!.Tag);
    }
}

using System.Net;
using System.Net.Sockets;
using System.Text;
using Caldera.Functions.Tests.LocalHost;
using Caldera.LocalHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using static Caldera.Functions.Tests.Dav.DavHelpers;

namespace Caldera.Functions.Tests.Dav;

/// <summary>A client that goes away while a multistatus is being streamed to it: the server stops, and logs no failure.</summary>
public sealed class DisconnectTests
{
    const string User = "dana";
    const string Password = "dana-app-password-1";

    [Fact]
    public async Task A_client_that_resets_the_connection_mid_answer_is_not_logged_as_a_failure()
    {
        var logs = new CapturedLogs();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        await using var server = await CalderaLocalServer.StartAsync(new LocalServerOptions
        {
            Port = 0,
            InMemory = true,
            User = User,
            Password = Password,
            StoragePrefix = "disconnect",
            ConfigureServices = services =>
            {
                services.AddSingleton<ILoggerProvider>(logs);
                // Caldera's own entries (the request log is at Information) reach the capture whatever the console's level.
                services.Configure<LoggerFilterOptions>(o => o.Rules.Add(new LoggerFilterRule(typeof(CapturedLogs).FullName, "Caldera", LogLevel.Information, null)));
            },
        }, timeout.Token);

        using var client = new HttpClient { BaseAddress = server.BaseUri };
        client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue(
            "Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{User}:{Password}")));
        var path = await MakeCalendarAsync(client, User, "cut");
        for (var i = 0; i < 40; i++)
            await PutNewAsync(client, $"{path}e{i}.ics", Event($"cut-{i}"));

        // 3,000 unknown properties per member: about 4 MB of 404 propstats, far more than the socket buffers hold.
        var props = string.Concat(Enumerable.Range(0, 3000).Select(i => $"<X:p{i}/>"));
        var body = Encoding.UTF8.GetBytes($"<D:propfind xmlns:D=\"DAV:\" xmlns:X=\"urn:x-test\"><D:prop>{props}</D:prop></D:propfind>");
        var auth = Convert.ToBase64String(Encoding.UTF8.GetBytes($"{User}:{Password}"));
        var head = $"PROPFIND {path} HTTP/1.1\r\nHost: {server.BaseUri.Authority}\r\nAuthorization: Basic {auth}\r\nDepth: 1\r\n" +
                   $"Content-Type: application/xml\r\nContent-Length: {body.Length}\r\n\r\n";
        var logged = logs.Entries.Count;

        using (var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { ReceiveBufferSize = 4096 })
        {
            await socket.ConnectAsync(IPAddress.Loopback, server.BaseUri.Port, timeout.Token);
            await socket.SendAsync(Encoding.ASCII.GetBytes(head), timeout.Token);
            await socket.SendAsync(body, timeout.Token);
            // The status line arrives with the first chunk: the answer has started. Then the client resets the connection.
            var first = new byte[1024];
            var read = await socket.ReceiveAsync(first, timeout.Token);
            Assert.StartsWith("HTTP/1.1 207", Encoding.ASCII.GetString(first, 0, read));
            socket.LingerState = new LingerOption(true, 0);
        }

        var entry = await RequestLogEntryAsync(logs, logged, "PROPFIND calendar", timeout.Token);
        Assert.DoesNotContain(" 500 in ", entry.Message);
        var failures = logs.Entries.Skip(logged).Where(e => e.Level >= LogLevel.Error).ToList();
        Assert.True(failures.Count == 0, string.Join("\n", failures.Select(f => $"{f.Category}: {f.Message} {f.Exception}")));

        // The server is fine afterwards.
        var after = await PropfindAsync(client, path, "0", D + "getetag");
        Assert.Equal(HttpStatusCode.MultiStatus, after.Status);
    }

    /// <summary>The request log entry that starts with <paramref name="prefix"/>, written when the request has ended.</summary>
    static async Task<(string Category, LogLevel Level, string Message, Exception? Exception)> RequestLogEntryAsync(
        CapturedLogs logs, int skip, string prefix, CancellationToken ct)
    {
        while (true)
        {
            var entry = logs.Entries.Skip(skip).FirstOrDefault(e => e.Message.StartsWith(prefix, StringComparison.Ordinal));
            if (entry.Message is not null)
                return entry;
            await Task.Delay(50, ct); // waits for the request to end; fails only through the test's overall timeout
        }
    }
}

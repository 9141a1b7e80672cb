using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using Caldera.Functions.Configuration;
using Caldera.Functions.Observability;
using Caldera.LocalHost;
using Caldera.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Caldera.Infra.Tests;

/// <summary>Health, request logging and settings binding, against the local host (the same function classes as in Azure).</summary>
public sealed class LocalHostTests(LocalServerFixture fixture) : IClassFixture<LocalServerFixture>
{
    static async Task<CapturingLoggerProvider.Entry> RequestEntryAsync(CapturingLoggerProvider logs, string method, string pathClass)
    {
        // The entry is written when the middleware unwinds, which can be just after the client has the response.
        for (var i = 0; i < 100; i++)
        {
            var entry = logs.Entries.LastOrDefault(e => e.EventId.Id == RequestLogger.EventIdValue
                && Equals(e.State["Method"], method) && Equals(e.State["PathClass"], pathClass));
            if (entry is not null)
                return entry;
            await Task.Delay(50);
        }
        throw new Xunit.Sdk.XunitException($"no request log entry for {method} {pathClass}; have:\n" +
            string.Join("\n", logs.Entries.Select(e => e.Message)));
    }

    [Fact]
    public async Task Healthz_is_200_anonymously_when_storage_answers()
    {
        using var client = fixture.CreateClient();
        using var response = await client.GetAsync("healthz");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("no-store", response.Headers.CacheControl?.ToString());
        using var doc = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal("ok", doc.RootElement.GetProperty("status").GetString());
        Assert.Equal("ok", doc.RootElement.GetProperty("storage").GetString());

        var entry = await RequestEntryAsync(fixture.Logs, "GET", PathClassifier.Other);
        Assert.Equal(200, entry.State["Status"]);
        Assert.Equal(1, entry.State["TableCalls"]); // one point read, nothing else
        Assert.Equal(1, entry.State["StorageCalls"]);
    }

    [Fact]
    public async Task Each_request_is_logged_with_method_path_class_status_duration_and_storage_calls_but_no_names()
    {
        using var client = fixture.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic",
            Convert.ToBase64String(Encoding.UTF8.GetBytes($"{LocalServerFixture.User}:{LocalServerFixture.Password}")));

        using (var propfind = new HttpRequestMessage(new HttpMethod("PROPFIND"), $"calendars/{LocalServerFixture.User}/"))
        {
            propfind.Headers.Add("Depth", "0");
            propfind.Content = new StringContent("""<?xml version="1.0"?><d:propfind xmlns:d="DAV:"><d:prop><d:resourcetype/></d:prop></d:propfind>""",
                Encoding.UTF8, "application/xml");
            using var response = await client.SendAsync(propfind);
            Assert.Equal((HttpStatusCode)207, response.StatusCode);
        }
        var home = await RequestEntryAsync(fixture.Logs, "PROPFIND", PathClassifier.Home);
        Assert.Equal(207, home.State["Status"]);
        Assert.IsType<double>(home.State["DurationMs"]);
        Assert.True((double)home.State["DurationMs"]! >= 0);
        Assert.True((int)home.State["StorageCalls"]! >= 1, home.Message);
        Assert.Equal((int)home.State["StorageCalls"]!,
            (int)home.State["TableCalls"]! + (int)home.State["BlobCalls"]! + (int)home.State["QueueCalls"]!);
        // Parsing the body, the storage reads and the XML answer allocate far more than the counter's slack (a few KB).
        Assert.True((long)home.State["AllocatedKB"]! > 0, home.Message);

        using (var get = await client.GetAsync($"calendars/{LocalServerFixture.User}/secret-calendar/private-event.ics"))
            Assert.Equal(HttpStatusCode.NotFound, get.StatusCode);
        var obj = await RequestEntryAsync(fixture.Logs, "GET", PathClassifier.Object);
        Assert.Equal(404, obj.State["Status"]);

        using (var anonymous = await fixture.CreateClient().SendAsync(new HttpRequestMessage(new HttpMethod("PROPFIND"), $"principals/{LocalServerFixture.User}/")))
            Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        Assert.Equal(401, (await RequestEntryAsync(fixture.Logs, "PROPFIND", PathClassifier.Principal)).State["Status"]);

        // No user, calendar or object name in any request entry: not in the message, not in a field.
        foreach (var e in fixture.Logs.Entries.Where(e => e.EventId.Id == RequestLogger.EventIdValue))
        {
            foreach (var secret in new[] { LocalServerFixture.User, "secret-calendar", "private-event" })
            {
                Assert.DoesNotContain(secret, e.Message, StringComparison.OrdinalIgnoreCase);
                Assert.DoesNotContain(e.State.Values, v => v?.ToString()?.Contains(secret, StringComparison.OrdinalIgnoreCase) == true);
            }
            Assert.Equal(["AllocatedKB", "BlobCalls", "DurationMs", "Method", "PathClass", "QueueCalls", "SnapshotHits", "SnapshotMisses",
                    "SnapshotRefreshes", "Status", "StorageCalls", "TableCalls", "WriteRetries", "{OriginalFormat}"],
                e.State.Keys.Order(StringComparer.Ordinal));
        }
    }

    [Fact]
    public void The_local_host_binds_the_same_options_model()
    {
        var storage = fixture.Server.Services.GetRequiredService<IOptions<StorageSettings>>().Value;
        Assert.True(storage.UsesConnectionString);
        Assert.Equal(fixture.Server.StorageConnectionString, storage.ConnectionString);
        Assert.Equal("infratest", fixture.Server.Services.GetRequiredService<IOptions<CalderaOptions>>().Value.StoragePrefix);
    }

    [Fact]
    public async Task Healthz_is_503_when_storage_is_unreachable()
    {
        // A port nothing listens on: connections are refused. It stays bound (without listening) for the test, so no
        // other process can start listening on it meanwhile. The start-up initializer is replaced, since it would fail
        // (the point here is the probe, not start-up).
        using var closed = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        closed.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        var closedPort = ((IPEndPoint)closed.LocalEndPoint!).Port;
        var endpoint = $"http://127.0.0.1:{closedPort}/devstoreaccount1";
        var logs = new CapturingLoggerProvider();
        await using var server = await CalderaLocalServer.StartAsync(new LocalServerOptions
        {
            Port = 0,
            User = null,
            // Azurite's published development account (its well-known key), pointed at the closed port.
            Storage = "DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;" +
                      "AccountKey=Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==;" +
                      $"BlobEndpoint={endpoint};QueueEndpoint={endpoint};TableEndpoint={endpoint};",
            ConfigureServices = services =>
            {
                services.AddSingleton<IStorageInitializer, NoInitializer>();
                LocalServerFixture.AddCapture(services, logs);
            },
        });
        using var client = new HttpClient { BaseAddress = server.BaseUri, Timeout = TimeSpan.FromSeconds(30) };
        var watch = System.Diagnostics.Stopwatch.StartNew();
        using var response = await client.GetAsync("healthz");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(15), $"took {watch.Elapsed}");
        var body = await response.Content.ReadAsStringAsync();
        using var doc = JsonDocument.Parse(body);
        Assert.Equal("unavailable", doc.RootElement.GetProperty("status").GetString());
        Assert.Equal("unreachable", doc.RootElement.GetProperty("storage").GetString());
        Assert.DoesNotContain(closedPort.ToString(System.Globalization.CultureInfo.InvariantCulture), body); // no details leak
        Assert.Equal(503, (await RequestEntryAsync(logs, "GET", PathClassifier.Other)).State["Status"]);
    }

    sealed class NoInitializer : IStorageInitializer
    {
        public Task EnsureCreatedAsync(CancellationToken ct) => Task.CompletedTask;
    }
}

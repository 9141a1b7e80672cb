using System.Diagnostics;
using System.Net;
using Caldera.LocalHost;
using Xunit.Abstractions;

namespace Caldera.Functions.Tests.LocalHost;

/// <summary>
/// Many local hosts started at once, each with its own in-memory Azurite and Kestrel on port 0, all start and answer:
/// no port is picked and released for another process to take. Alone in a non-parallel collection (it runs after the
/// assembly's parallel tests), so its burst of node processes does not slow the other fixtures' starts.
/// </summary>
[Collection(ManyHostsCollection.Name)]
public sealed class ManyHostsStartTests(ITestOutputHelper log)
{
    const int Hosts = 12;

    [Fact]
    public async Task Twelve_local_hosts_started_at_once_all_start_on_ports_of_their_own_and_answer()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(4));
        var watch = Stopwatch.StartNew();
        var starts = Enumerable.Range(0, Hosts).Select(_ => CalderaLocalServer.StartAsync(new LocalServerOptions
        {
            Port = 0,
            InMemory = true,
            User = null,
        }, timeout.Token)).ToList();
        try
        {
            var servers = await Task.WhenAll(starts);
            log.WriteLine($"{Hosts} local hosts started after {watch.Elapsed.TotalSeconds:0.0} s");

            var ports = servers.Select(s => s.BaseUri.Port)
                .Concat(servers.SelectMany(s => StoragePorts(s.StorageConnectionString)))
                .ToList();
            Assert.Equal(Hosts * 4, ports.Count);
            Assert.Equal(ports.Count, ports.Distinct().Count());

            using var handler = new HttpClientHandler { AllowAutoRedirect = false };
            using var client = new HttpClient(handler) { Timeout = TimeSpan.FromSeconds(60) };
            foreach (var server in servers)
            {
                using var response = await client.GetAsync(new Uri(server.BaseUri, ".well-known/caldav"), timeout.Token);
                Assert.Equal(HttpStatusCode.MovedPermanently, response.StatusCode);
            }
        }
        finally
        {
            foreach (var start in starts.Where(s => s.IsCompletedSuccessfully))
                await (await start).DisposeAsync();
        }
    }

    /// <summary>The blob, queue and table ports of a connection string with explicit endpoints.</summary>
    static IEnumerable<int> StoragePorts(string connectionString) =>
        connectionString.Split(';', StringSplitOptions.RemoveEmptyEntries)
            .Where(part => part.Contains("Endpoint=http", StringComparison.Ordinal))
            .Select(part => new Uri(part[(part.IndexOf('=') + 1)..]).Port);
}

/// <summary>Runs after the assembly's parallel tests, one test at a time.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ManyHostsCollection
{
    public const string Name = "Many local hosts";
}

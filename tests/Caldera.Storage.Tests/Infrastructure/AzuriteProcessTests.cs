using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Azure.Data.Tables;
using Azure.Storage.Blobs;
using Azure.Storage.Queues;
using Caldera.Storage.Emulator;
using Xunit.Abstractions;

namespace Caldera.Storage.Tests.Infrastructure;

/// <summary>
/// Start-up of the real Azurite: it binds ports itself (none picked and released for it to take later), a start that
/// exits before listening is tried again, and when it cannot start the error carries what Azurite printed.
/// Alone in a non-parallel collection, so the burst of node processes does not slow the assembly's other tests.
/// </summary>
[Collection(AzuriteStartCollection.Name)]
public sealed class AzuriteProcessTests(ITestOutputHelper log)
{
    static readonly TimeSpan Budget = TimeSpan.FromMinutes(3);

    [Fact]
    public async Task Many_Azurites_started_at_once_all_listen_on_ports_of_their_own_and_serve_their_connection_string()
    {
        const int count = 8;
        using var timeout = new CancellationTokenSource(Budget);
        var watch = Stopwatch.StartNew();
        var starts = Enumerable.Range(0, count).Select(_ => AzuriteProcess.StartAsync(null, timeout.Token)).ToList();
        try
        {
            var azurites = await Task.WhenAll(starts);
            log.WriteLine($"{count} Azurites listening after {watch.Elapsed.TotalSeconds:0.0} s");
            var ports = azurites.SelectMany(a => new[] { a.BlobPort, a.QueuePort, a.TablePort }).ToList();
            Assert.All(ports, p => Assert.InRange(p, 1, 65535));
            Assert.Equal(ports.Count, ports.Distinct().Count());
            await Task.WhenAll(azurites.Select(a => UseAllThreeServicesAsync(a.ConnectionString, timeout.Token)));
        }
        finally
        {
            foreach (var start in starts.Where(s => s.IsCompletedSuccessfully))
                await (await start).DisposeAsync();
        }
    }

    [Fact]
    public async Task A_port_taken_by_another_listener_makes_the_start_try_again_and_the_connection_string_names_the_new_ports()
    {
        using var taken = Listen(out var takenPort);
        using var timeout = new CancellationTokenSource(Budget);
        // Attempt 1 is handed the taken port, as when another process bound a picked port first.
        var launch = AzuriteLaunch.Default with { PortsFor = attempt => attempt == 1 ? new AzuritePorts(0, takenPort, 0) : AzuritePorts.Any };

        await using var azurite = await AzuriteProcess.StartAsync(null, launch, timeout.Token);

        Assert.Equal(2, azurite.Attempts);
        Assert.NotEqual(takenPort, azurite.QueuePort);
        Assert.Contains($"QueueEndpoint=http://127.0.0.1:{azurite.QueuePort}/", azurite.ConnectionString, StringComparison.Ordinal);
        await UseAllThreeServicesAsync(azurite.ConnectionString, timeout.Token);
    }

    [Fact]
    public async Task When_no_attempt_listens_the_error_holds_each_attempts_command_and_Azurites_own_output()
    {
        using var taken = Listen(out var takenPort);
        using var timeout = new CancellationTokenSource(Budget);
        var launch = AzuriteLaunch.Default with { MaxAttempts = 2, PortsFor = _ => new AzuritePorts(0, 0, takenPort) };

        var e = await Assert.ThrowsAsync<AzuriteStartException>(() => AzuriteProcess.StartAsync(null, launch, timeout.Token));

        log.WriteLine(e.Message);
        Assert.StartsWith("Azurite did not start (2 attempts).", e.Message, StringComparison.Ordinal);
        foreach (var attempt in new[] { "attempt 1: exited with code", "attempt 2: exited with code" })
            Assert.Contains(attempt, e.Message, StringComparison.Ordinal);
        Assert.Contains($"--tablePort {takenPort}", e.Message, StringComparison.Ordinal);
        // Azurite's and node's own words, as it printed them: the blob service came up, the table port was in use.
        Assert.Contains("Azurite Blob service is successfully listening at", e.Message, StringComparison.Ordinal);
        Assert.Contains($"[stderr] Exit due to unhandled error: listen EADDRINUSE", e.Message, StringComparison.Ordinal);
        Assert.Contains($"127.0.0.1:{takenPort}", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_cancelled_start_stops_node_and_says_what_Azurite_printed_so_far()
    {
        // Far less than node needs to load Azurite (over half a second of CPU), so it is cancelled while starting.
        using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(100));
        var e = await Assert.ThrowsAnyAsync<OperationCanceledException>(() => AzuriteProcess.StartAsync(null, cancel.Token));
        Assert.Contains("Azurite start cancelled before it listened", e.Message, StringComparison.Ordinal);
        Assert.Contains("--inMemoryPersistence", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_start_slower_than_the_ready_timeout_is_stopped_and_not_tried_again()
    {
        // A slow node is waited for, not restarted (a restart would only add load); past the time-out it is reported.
        var launch = AzuriteLaunch.Default with { ReadyTimeout = TimeSpan.FromMilliseconds(50) };
        var e = await Assert.ThrowsAsync<AzuriteStartException>(() => AzuriteProcess.StartAsync(null, launch, CancellationToken.None));
        Assert.StartsWith("Azurite did not start (1 attempt).", e.Message, StringComparison.Ordinal);
        Assert.Contains("attempt 1: not listening after 0.05 s, stopped (node --import <telemetry stub> ", e.Message, StringComparison.Ordinal);
    }

    /// <summary>A port held by a listener of this process for the test's length.</summary>
    static TcpListener Listen(out int port)
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        port = ((IPEndPoint)listener.LocalEndpoint).Port;
        return listener;
    }

    /// <summary>Blob, queue and table each answer a request made from the connection string.</summary>
    static async Task UseAllThreeServicesAsync(string connectionString, CancellationToken ct)
    {
        var name = "s" + Guid.NewGuid().ToString("N")[..12];
        await new BlobServiceClient(connectionString).GetBlobContainerClient(name).CreateAsync(cancellationToken: ct);
        await new QueueServiceClient(connectionString).GetQueueClient(name).CreateAsync(cancellationToken: ct);
        await new TableServiceClient(connectionString).CreateTableAsync(name, ct);
    }
}

/// <summary>Runs after the assembly's parallel tests, one test at a time.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class AzuriteStartCollection
{
    public const string Name = "Azurite start-up";
}

using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Caldera.Storage.Emulator;

/// <summary>
/// Runs Azurite from the repository's node_modules (installed by `npm ci`) on free loopback ports,
/// in memory or in a data folder, and stops it on dispose. Used by the local host and by the tests.
/// </summary>
public sealed class AzuriteProcess : IAsyncDisposable
{
    const string AccountName = "devstoreaccount1";
    // Azurite's fixed, publicly documented development key: not a secret.
    const string AccountKey = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

    readonly Process _process;

    AzuriteProcess(Process process, int blobPort, int queuePort, int tablePort)
    {
        _process = process;
        BlobPort = blobPort;
        QueuePort = queuePort;
        TablePort = tablePort;
    }

    public int BlobPort { get; }
    public int QueuePort { get; }
    public int TablePort { get; }

    public string ConnectionString =>
        $"DefaultEndpointsProtocol=http;AccountName={AccountName};AccountKey={AccountKey};" +
        $"BlobEndpoint=http://127.0.0.1:{BlobPort}/{AccountName};" +
        $"QueueEndpoint=http://127.0.0.1:{QueuePort}/{AccountName};" +
        $"TableEndpoint=http://127.0.0.1:{TablePort}/{AccountName};";

    /// <summary>Starts Azurite; <paramref name="dataFolder"/> null means in-memory.</summary>
    public static async Task<AzuriteProcess> StartAsync(string? dataFolder = null, CancellationToken ct = default)
    {
        var script = FindAzuriteScript()
            ?? throw new InvalidOperationException(
                "Azurite is not installed: run `npm ci` in the repository root (it installs the azurite package from package.json).");
        int blob = FreePort(), queue = FreePort(), table = FreePort();
        var psi = new ProcessStartInfo("node")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in new[] { script, "--silent", "--disableTelemetry", "--skipApiVersionCheck",
                     "--blobHost", "127.0.0.1", "--queueHost", "127.0.0.1", "--tableHost", "127.0.0.1",
                     "--blobPort", blob.ToString(), "--queuePort", queue.ToString(), "--tablePort", table.ToString() })
            psi.ArgumentList.Add(arg);
        if (dataFolder is null)
            psi.ArgumentList.Add("--inMemoryPersistence");
        else
        {
            Directory.CreateDirectory(dataFolder);
            psi.ArgumentList.Add("--location");
            psi.ArgumentList.Add(dataFolder);
        }
        var process = Process.Start(psi) ?? throw new InvalidOperationException("could not start node");
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var azurite = new AzuriteProcess(process, blob, queue, table);
        try
        {
            await WaitForPortsAsync(process, [blob, queue, table], ct);
        }
        catch
        {
            await azurite.DisposeAsync();
            throw;
        }
        return azurite;
    }

    static async Task WaitForPortsAsync(Process process, int[] ports, CancellationToken ct)
    {
        // Generous: on a loaded 2-core machine (several test assemblies starting Azurite at once) node can take a while.
        var deadline = DateTime.UtcNow.AddSeconds(120);
        foreach (var port in ports)
        {
            while (true)
            {
                if (process.HasExited)
                    throw new InvalidOperationException($"Azurite exited with code {process.ExitCode} before listening.");
                try
                {
                    using var client = new TcpClient();
                    await client.ConnectAsync(IPAddress.Loopback, port, ct);
                    break;
                }
                catch (SocketException) when (DateTime.UtcNow < deadline)
                {
                    await Task.Delay(100, ct);
                }
            }
        }
    }

    static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>Looks for node_modules/azurite upwards from the current and the app directory.</summary>
    static string? FindAzuriteScript()
    {
        foreach (var start in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                var candidate = Path.Combine(dir.FullName, "node_modules", "azurite", "dist", "src", "azurite.js");
                if (File.Exists(candidate))
                    return candidate;
            }
        }
        return null;
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                await _process.WaitForExitAsync();
            }
        }
        catch (InvalidOperationException)
        {
            // already gone
        }
        _process.Dispose();
    }
}

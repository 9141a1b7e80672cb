using System.ComponentModel;
using System.Diagnostics;

namespace Caldera.Storage.Emulator;

/// <summary>
/// Runs Azurite from the repository's node_modules (installed by `npm ci`), in memory or in a data folder, and stops
/// it on dispose. Used by the local host and by the tests. Azurite binds port 0 and reports the ports it got, so no
/// other process can take them between a pick and the bind; a start that exits before listening is tried again.
/// </summary>
public sealed class AzuriteProcess : IAsyncDisposable
{
    const string AccountName = "devstoreaccount1";
    // Azurite's fixed, publicly documented development key: not a secret.
    const string AccountKey = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

    Process _process;
    readonly string? _dataFolder;

    AzuriteProcess(Process process, AzuritePorts ports, int attempts, string? dataFolder)
    {
        _process = process;
        _dataFolder = dataFolder;
        Ports = ports;
        Attempts = attempts;
    }

    /// <summary>How many starts it took (1 unless node exited before listening).</summary>
    internal int Attempts { get; }

    /// <summary>The ports Azurite reported it listens on.</summary>
    public AzuritePorts Ports { get; }
    public int BlobPort => Ports.Blob;
    public int QueuePort => Ports.Queue;
    public int TablePort => Ports.Table;

    public string ConnectionString =>
        $"DefaultEndpointsProtocol=http;AccountName={AccountName};AccountKey={AccountKey};" +
        $"BlobEndpoint=http://127.0.0.1:{BlobPort}/{AccountName};" +
        $"QueueEndpoint=http://127.0.0.1:{QueuePort}/{AccountName};" +
        $"TableEndpoint=http://127.0.0.1:{TablePort}/{AccountName};";

    /// <summary>The node process (tests end it to play a crash).</summary>
    public int ProcessId => _process.Id;

    /// <summary>True when node has exited (crashed or was killed).</summary>
    public bool HasExited
    {
        get
        {
            try { return _process.HasExited; }
            catch (InvalidOperationException) { return true; }
        }
    }

    /// <summary>Completes when node exits.</summary>
    public Task WaitForExitAsync(CancellationToken ct) => _process.WaitForExitAsync(ct);

    /// <summary>
    /// Starts Azurite again on the same ports and data folder (in memory: empty), after it died; the clients built on
    /// <see cref="ConnectionString"/> reconnect by themselves.
    /// </summary>
    public async Task RestartAsync(CancellationToken ct)
    {
        var old = _process;
        await StopAsync(old);
        var again = await StartAsync(_dataFolder, AzuriteLaunch.Default with { PortsFor = _ => Ports }, ct);
        if (again.Ports != Ports)
        {
            await again.DisposeAsync();
            throw new AzuriteStartException($"Azurite restarted on other ports ({again.Ports}, not {Ports}).");
        }
        _process = again._process;
    }

    /// <summary>Starts Azurite; <paramref name="dataFolder"/> null means in-memory.</summary>
    /// <exception cref="AzuriteStartException">It did not listen: the message holds what it printed.</exception>
    public static Task<AzuriteProcess> StartAsync(string? dataFolder = null, CancellationToken ct = default) =>
        StartAsync(dataFolder, AzuriteLaunch.Default, ct);

    internal static async Task<AzuriteProcess> StartAsync(string? dataFolder, AzuriteLaunch launch, CancellationToken ct)
    {
        var script = FindAzuriteScript()
            ?? throw new InvalidOperationException(
                "Azurite is not installed: run `npm ci` in the repository root (it installs the azurite package from package.json).");
        if (dataFolder is not null)
            Directory.CreateDirectory(dataFolder);
        var failures = new List<string>();
        for (var attempt = 1; attempt <= launch.MaxAttempts; attempt++)
        {
            var psi = StartInfo(script, launch.PortsFor(attempt), dataFolder);
            var command = AzuriteTelemetryStub.Describe(psi.ArgumentList);
            var output = new AzuriteOutput();
            var process = Launch(psi, output);
            try
            {
                if (await WaitUntilListeningAsync(process, output, launch.ReadyTimeout, ct) is { } ports)
                    return new AzuriteProcess(process, ports, attempt, dataFolder);
                failures.Add($"attempt {attempt}: exited with code {process.ExitCode} before listening ({command}); its output:\n{output.Tail()}");
            }
            catch (TimeoutException)
            {
                await StopAsync(process);
                failures.Add($"attempt {attempt}: not listening after {launch.ReadyTimeout.TotalSeconds:0.###} s, stopped ({command}); its output:\n{output.Tail()}");
                throw new AzuriteStartException(Describe(failures));
            }
            catch (OperationCanceledException e) when (ct.IsCancellationRequested)
            {
                await StopAsync(process);
                // Keep what it printed: a caller's time-out would otherwise hide why it was slow.
                throw new OperationCanceledException(
                    $"Azurite start cancelled before it listened (attempt {attempt}, {command}); its output:\n{output.Tail()}", e, ct);
            }
            catch
            {
                await StopAsync(process);
                throw;
            }
            process.Dispose();
        }
        throw new AzuriteStartException(Describe(failures));
    }

    static string Describe(List<string> failures) =>
        $"Azurite did not start ({failures.Count} attempt{(failures.Count == 1 ? "" : "s")}).\n" + string.Join('\n', failures);

    static ProcessStartInfo StartInfo(string script, AzuritePorts ports, string? dataFolder)
    {
        var psi = new ProcessStartInfo("node")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        // Without --silent Azurite logs every request; the "successfully listening" lines are printed either way.
        foreach (var arg in new[] { "--import", AzuriteTelemetryStub.ImportUrl, script, "--silent", "--disableTelemetry", "--skipApiVersionCheck",
                     "--blobHost", "127.0.0.1", "--queueHost", "127.0.0.1", "--tableHost", "127.0.0.1",
                     "--blobPort", ports.Blob.ToString(), "--queuePort", ports.Queue.ToString(), "--tablePort", ports.Table.ToString() })
            psi.ArgumentList.Add(arg);
        if (dataFolder is null)
            psi.ArgumentList.Add("--inMemoryPersistence");
        else
        {
            psi.ArgumentList.Add("--location");
            psi.ArgumentList.Add(dataFolder);
        }
        return psi;
    }

    static Process Launch(ProcessStartInfo psi, AzuriteOutput output)
    {
        var process = new Process { StartInfo = psi };
        process.OutputDataReceived += (_, e) => output.Add(e.Data, fromStandardError: false);
        process.ErrorDataReceived += (_, e) => output.Add(e.Data, fromStandardError: true);
        try
        {
            process.Start();
        }
        catch (Win32Exception e)
        {
            process.Dispose();
            throw new InvalidOperationException($"could not start node (is Node.js installed and on PATH?): {e.Message}", e);
        }
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    /// <summary>The ports once all three services listen; null when node exited first.</summary>
    static async Task<AzuritePorts?> WaitUntilListeningAsync(Process process, AzuriteOutput output, TimeSpan timeout, CancellationToken ct)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
        // Completes after the exit and the end of both streams, so the output is complete when it is reported.
        var exited = process.WaitForExitAsync(stop.Token);
        var expired = Task.Delay(timeout, stop.Token);
        var first = await Task.WhenAny(output.Listening, exited, expired);
        await stop.CancelAsync();
        ct.ThrowIfCancellationRequested();
        if (first == output.Listening)
            return await output.Listening;
        if (first == exited)
            return null;
        throw new TimeoutException();
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

    static async Task StopAsync(Process process)
    {
        try
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
                await process.WaitForExitAsync();
            }
        }
        catch (InvalidOperationException)
        {
            // already gone
        }
        process.Dispose();
    }

    public ValueTask DisposeAsync() => new(StopAsync(_process));
}

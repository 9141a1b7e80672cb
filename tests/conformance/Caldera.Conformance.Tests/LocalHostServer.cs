using System.Diagnostics;
using System.Reflection;
using System.Security.Cryptography;
using System.Text;

namespace Caldera.Conformance.Tests;

/// <summary>
/// A CalDAV server for a scenario: by default the real Caldera local host
/// (functions/Caldera.LocalHost, its built dll run with `dotnet` as a separate process,
/// in-memory storage, a fresh user with a random password). Setting
/// CALDERA_CONFORMANCE_URL (+ _USER, _PASSWORD) points the scenarios at an already
/// running server instead (e.g. Radicale, or a deployed Caldera).
/// </summary>
public sealed class LocalHostServer : IAsyncDisposable
{
    // Only how long a hung start takes to be reported: on a busy 2-core machine dotnet and node may take minutes.
    static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(
        int.TryParse(Environment.GetEnvironmentVariable("CALDERA_CONFORMANCE_START_TIMEOUT"), out var s) ? s : 240);

    readonly Process? _process;
    readonly StringBuilder _log = new();

    public string Url { get; private set; } = "";
    public string User { get; private set; } = "";
    public string Password { get; private set; } = "";
    /// <summary>True when this is Caldera's local host (which guarantees a default calendar).</summary>
    public bool IsCaldera { get; }

    LocalHostServer(Process? process, bool isCaldera)
    {
        _process = process;
        IsCaldera = isCaldera;
    }

    /// <summary>What the server printed so far (stdout and stderr, interleaved).</summary>
    public string Log
    {
        get { lock (_log) return _log.ToString(); }
    }

    public static async Task<LocalHostServer> StartAsync()
    {
        var external = Environment.GetEnvironmentVariable("CALDERA_CONFORMANCE_URL");
        if (!string.IsNullOrEmpty(external))
        {
            return new LocalHostServer(null, isCaldera: false)
            {
                Url = external,
                User = Environment.GetEnvironmentVariable("CALDERA_CONFORMANCE_USER") ?? "",
                Password = Environment.GetEnvironmentVariable("CALDERA_CONFORMANCE_PASSWORD") ?? "",
            };
        }

        var root = RepoRoot.Find();
        var dll = FindLocalHostDll(root);
        var password = Convert.ToHexString(RandomNumberGenerator.GetBytes(16)).ToLowerInvariant();

        var psi = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = root,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        foreach (var arg in new[] { dll, "--port", "0", "--in-memory", "--user", "conformance", "--password", password })
            psi.ArgumentList.Add(arg);
        // Never let the caller's environment point the test server at real data.
        foreach (var key in psi.Environment.Keys.Where(k => k.StartsWith("CALDERA_", StringComparison.Ordinal)).ToList())
            psi.Environment.Remove(key);

        var process = new Process { StartInfo = psi, EnableRaisingEvents = true };
        var server = new LocalHostServer(process, isCaldera: true) { User = "conformance", Password = password };
        var ready = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);

        void OnLine(string? line)
        {
            if (line is null) return;
            lock (server._log) server._log.AppendLine(line);
            if (line.StartsWith("CALDERA_USER=", StringComparison.Ordinal)) server.User = line["CALDERA_USER=".Length..].Trim();
            else if (line.StartsWith("CALDERA_PASSWORD=", StringComparison.Ordinal)) server.Password = line["CALDERA_PASSWORD=".Length..].Trim();
            else if (line.StartsWith("CALDERA_URL=", StringComparison.Ordinal)) ready.TrySetResult(line["CALDERA_URL=".Length..].Trim());
        }

        process.OutputDataReceived += (_, e) => OnLine(e.Data);
        process.ErrorDataReceived += (_, e) => OnLine(e.Data);
        process.Exited += (_, _) => ready.TrySetException(new InvalidOperationException(
            $"the local host exited with code {SafeExitCode(process)} before printing CALDERA_URL="));

        if (!process.Start())
            throw new InvalidOperationException("could not start `dotnet " + dll + "`");
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        try
        {
            server.Url = await ready.Task.WaitAsync(StartTimeout);
        }
        catch (Exception e)
        {
            var why = e is TimeoutException ? $"no CALDERA_URL= line within {StartTimeout.TotalSeconds:0} s" : e.Message;
            await server.DisposeAsync();
            throw new InvalidOperationException($"Caldera local host did not start: {why}\n--- its output ---\n{server.Log}");
        }
        // The CALDERA_USER/PASSWORD lines may follow the URL line: give them a moment.
        await Task.Delay(200);
        return server;
    }

    static int? SafeExitCode(Process p)
    {
        try { return p.ExitCode; } catch (InvalidOperationException) { return null; }
    }

    static string FindLocalHostDll(string root)
    {
        var binRoot = Path.Combine(root, "functions", "Caldera.LocalHost", "bin");
        var configuration = typeof(LocalHostServer).Assembly
            .GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration ?? "Release";
        var preferred = Path.Combine(binRoot, configuration, "net10.0", "Caldera.LocalHost.dll");
        if (File.Exists(preferred)) return preferred;

        // Fall back to whatever configuration was built most recently.
        var any = Directory.Exists(binRoot)
            ? Directory.GetFiles(binRoot, "Caldera.LocalHost.dll", SearchOption.AllDirectories)
                .Where(f => Path.GetFileName(Path.GetDirectoryName(f)) == "net10.0")
                .OrderByDescending(File.GetLastWriteTimeUtc)
                .FirstOrDefault()
            : null;
        return any ?? throw new FileNotFoundException(
            $"Caldera.LocalHost.dll not found (looked for {preferred}); build the solution first: dotnet build Caldera.slnx -c {configuration}");
    }

    public async ValueTask DisposeAsync()
    {
        if (_process is null) return;
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true); // the local host and the Azurite it started
                using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(20));
                await _process.WaitForExitAsync(cts.Token);
            }
        }
        catch (InvalidOperationException) { /* never started or already gone */ }
        catch (OperationCanceledException) { /* reported by the leak, not by the test */ }
        _process.Dispose();
    }
}

static class RepoRoot
{
    /// <summary>The folder holding Caldera.slnx, walking up from the test binaries.</summary>
    public static string Find()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Caldera.slnx")))
                return dir.FullName;
        }
        throw new DirectoryNotFoundException($"no Caldera.slnx above {AppContext.BaseDirectory}");
    }
}

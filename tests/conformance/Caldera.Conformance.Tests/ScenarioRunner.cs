using System.Diagnostics;

namespace Caldera.Conformance.Tests;

/// <summary>
/// Runs one client script (python or shell) against a server and fails the test with the
/// script's last "FAIL ..." line. Every script takes URL USER PASSWORD as its first three
/// arguments; client scripts (tests/clients/*) also take --artifacts DIR for screenshots and logs.
/// </summary>
public static class ScenarioRunner
{
    const string Python = "/usr/bin/python3"; // Debian's, where python3-caldav, vdirsyncer and the clients live

    /// <summary>Where client scripts leave screenshots and logs: $CALDERA_ARTIFACTS or tests/clients/artifacts.</summary>
    public static string ArtifactsRoot =>
        Environment.GetEnvironmentVariable("CALDERA_ARTIFACTS") is { Length: > 0 } dir
            ? dir
            : Path.Combine(RepoRoot.Find(), "tests", "clients", "artifacts");

    /// <summary>Runs tests/clients/{client}/scenario.py against a fresh local host.</summary>
    public static async Task RunClientAsync(string client, ITestOutputHelper output, TimeSpan timeout,
        IEnumerable<string>? extraArgs = null, IDictionary<string, string>? environment = null)
    {
        var artifacts = Path.Combine(ArtifactsRoot, client);
        if (Directory.Exists(artifacts)) Directory.Delete(artifacts, recursive: true);
        Directory.CreateDirectory(artifacts);
        var script = Path.Combine(RepoRoot.Find(), "tests", "clients", client, "scenario.py");
        output.WriteLine($"artifacts: {artifacts}");
        await RunAsync(script, output, timeout, server => ["--artifacts", artifacts, .. extraArgs ?? []], environment);
    }

    public static async Task RunAsync(string script, ITestOutputHelper output, TimeSpan timeout,
        Func<LocalHostServer, IEnumerable<string>> extraArgs, IDictionary<string, string>? environment = null)
    {
        var started = Stopwatch.StartNew();
        await using var server = await LocalHostServer.StartAsync();
        output.WriteLine($"server {server.Url} user {server.User} (ready after {started.Elapsed.TotalSeconds:0.0} s)");
        var scenarioStarted = Stopwatch.StartNew();

        var psi = new ProcessStartInfo(script.EndsWith(".py", StringComparison.Ordinal) ? Python : "bash")
        {
            WorkingDirectory = RepoRoot.Find(),
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        psi.ArgumentList.Add(script);
        psi.ArgumentList.Add(server.Url);
        psi.ArgumentList.Add(server.User);
        psi.ArgumentList.Add(server.Password);
        foreach (var arg in extraArgs(server)) psi.ArgumentList.Add(arg);
        psi.Environment["PYTHONUNBUFFERED"] = "1";
        psi.Environment["PYTHONDONTWRITEBYTECODE"] = "1";
        foreach (var (key, value) in environment ?? new Dictionary<string, string>()) psi.Environment[key] = value;

        using var process = Process.Start(psi) ?? throw new InvalidOperationException("could not start " + psi.FileName);
        process.StandardInput.Close();
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        var exited = true;
        using (var cts = new CancellationTokenSource(timeout))
        {
            try { await process.WaitForExitAsync(cts.Token); }
            catch (OperationCanceledException)
            {
                exited = false;
                process.Kill(entireProcessTree: true);
                await process.WaitForExitAsync();
            }
        }

        var text = (await stdout).TrimEnd();
        var errors = (await stderr).TrimEnd();
        var name = Path.GetFileName(Path.GetDirectoryName(script)) + "/" + Path.GetFileName(script);
        output.WriteLine(text);
        if (errors.Length > 0) output.WriteLine("--- stderr ---\n" + errors);
        output.WriteLine($"{name}: exit {process.ExitCode} after {scenarioStarted.Elapsed.TotalSeconds:0.0} s");

        if (!exited || process.ExitCode != 0)
        {
            output.WriteLine("--- server output ---\n" + Tail(server.Log, 200));
            var failed = text.Split('\n').LastOrDefault(l => l.StartsWith("FAIL ", StringComparison.Ordinal));
            Assert.Fail(exited
                ? $"{name} exited {process.ExitCode}: {failed ?? "(no FAIL line; see output)"}"
                : $"{name} timed out after {timeout.TotalMinutes:0} min");
        }
    }

    static string Tail(string text, int lines)
    {
        var all = text.Split('\n');
        return string.Join('\n', all.Skip(Math.Max(0, all.Length - lines)));
    }
}

/// <summary>Client tests start real programs and a server each: one at a time.</summary>
[CollectionDefinition(Name)]
public sealed class ClientCollection
{
    public const string Name = "clients";
}

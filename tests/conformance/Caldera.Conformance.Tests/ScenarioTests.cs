using System.Diagnostics;

namespace Caldera.Conformance.Tests;

/// <summary>
/// One test per client scenario (tests/conformance/*.py), each against its own fresh server.
/// The tests of this class run one after the other (one server at a time on small machines).
/// </summary>
public sealed class ScenarioTests(ITestOutputHelper output)
{
    const string Python = "/usr/bin/python3"; // Debian's, where python3-caldav and vdirsyncer live
    static readonly TimeSpan ScenarioTimeout = TimeSpan.FromMinutes(5);

    [Fact]
    public Task PythonCaldav() => RunScenarioAsync("python_caldav_scenario.py", expectDefaultCalendar: true);

    [Fact]
    public Task Vdirsyncer() => RunScenarioAsync("vdirsyncer_scenario.py", expectDefaultCalendar: false);

    async Task RunScenarioAsync(string script, bool expectDefaultCalendar)
    {
        var started = Stopwatch.StartNew();
        await using var server = await LocalHostServer.StartAsync();
        output.WriteLine($"server {server.Url} user {server.User} (ready after {started.Elapsed.TotalSeconds:0.0} s)");
        var scenarioStarted = Stopwatch.StartNew();

        var psi = new ProcessStartInfo(Python)
        {
            WorkingDirectory = RepoRoot.Find(),
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        psi.ArgumentList.Add(Path.Combine(RepoRoot.Find(), "tests", "conformance", script));
        psi.ArgumentList.Add(server.Url);
        psi.ArgumentList.Add(server.User);
        psi.ArgumentList.Add(server.Password);
        if (expectDefaultCalendar && server.IsCaldera)
            psi.ArgumentList.Add("--expect-default-calendar");
        psi.Environment["PYTHONUNBUFFERED"] = "1";
        psi.Environment["PYTHONDONTWRITEBYTECODE"] = "1";

        using var process = Process.Start(psi) ?? throw new InvalidOperationException("could not start " + Python);
        process.StandardInput.Close();
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        var exited = true;
        using (var cts = new CancellationTokenSource(ScenarioTimeout))
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
        output.WriteLine(text);
        if (errors.Length > 0) output.WriteLine("--- stderr ---\n" + errors);
        output.WriteLine($"{script}: exit {process.ExitCode} after {scenarioStarted.Elapsed.TotalSeconds:0.0} s");

        if (!exited || process.ExitCode != 0)
        {
            output.WriteLine("--- server output ---\n" + Tail(server.Log, 200));
            var failed = text.Split('\n').LastOrDefault(l => l.StartsWith("FAIL ", StringComparison.Ordinal));
            Assert.Fail(exited
                ? $"{script} exited {process.ExitCode}: {failed ?? "(no FAIL line; see output)"}"
                : $"{script} timed out after {ScenarioTimeout.TotalMinutes:0} min");
        }
    }

    static string Tail(string text, int lines)
    {
        var all = text.Split('\n');
        return string.Join('\n', all.Skip(Math.Max(0, all.Length - lines)));
    }
}

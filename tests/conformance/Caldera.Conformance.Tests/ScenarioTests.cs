namespace Caldera.Conformance.Tests;

/// <summary>
/// One test per client scenario (tests/conformance/*.py), each against its own fresh server.
/// All tests of the "clients" collection run one after the other (one server at a time on small machines).
/// </summary>
[Collection(ClientCollection.Name)]
public sealed class ScenarioTests(ITestOutputHelper output)
{
    static readonly TimeSpan ScenarioTimeout = TimeSpan.FromMinutes(5);

    [Fact]
    public Task PythonCaldav() => RunScenarioAsync("python_caldav_scenario.py", expectDefaultCalendar: true);

    [Fact]
    public Task Vdirsyncer() => RunScenarioAsync("vdirsyncer_scenario.py", expectDefaultCalendar: false);

    Task RunScenarioAsync(string script, bool expectDefaultCalendar) =>
        ScenarioRunner.RunAsync(
            Path.Combine(RepoRoot.Find(), "tests", "conformance", script), output, ScenarioTimeout,
            server => expectDefaultCalendar && server.IsCaldera ? ["--expect-default-calendar"] : []);
}

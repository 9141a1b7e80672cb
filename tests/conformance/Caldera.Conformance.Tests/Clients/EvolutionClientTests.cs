namespace Caldera.Conformance.Tests.Clients;

/// <summary>
/// Evolution's sync stack (Debian's syncevolution, CalDAV backend) against a fresh local host:
/// tests/clients/syncevolution/scenario.py (see its README for what each step proves).
/// </summary>
[Collection(ClientCollection.Name)]
public sealed class EvolutionClientTests(ITestOutputHelper output)
{
    [Fact]
    public Task SyncEvolution() => ScenarioRunner.RunClientAsync("syncevolution", output, TimeSpan.FromMinutes(5));
}

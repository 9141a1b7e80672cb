namespace Caldera.Conformance.Tests.Clients;

/// <summary>
/// The terminal clients, each against its own fresh local host: khal over vdirsyncer
/// (tests/clients/khal) and calcurse with calcurse-caldav (tests/clients/calcurse).
/// </summary>
[Collection(ClientCollection.Name)]
public sealed class TerminalClientTests(ITestOutputHelper output)
{
    static readonly TimeSpan Timeout = TimeSpan.FromMinutes(4);

    [Fact]
    public Task Khal() => ScenarioRunner.RunClientAsync("khal", output, Timeout);

    [Fact]
    public Task Calcurse() => ScenarioRunner.RunClientAsync("calcurse", output, Timeout);
}

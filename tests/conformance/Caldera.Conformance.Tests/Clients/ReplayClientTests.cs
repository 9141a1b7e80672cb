namespace Caldera.Conformance.Tests.Clients;

/// <summary>
/// Apple Calendar and DAVx5 cannot run here: their conversations are replayed from request files written from their
/// source code (tests/clients/apple, tests/clients/davx5, runner in tests/clients/replay), each against a fresh server.
/// </summary>
[Collection(ClientCollection.Name)]
public sealed class ReplayClientTests(ITestOutputHelper output)
{
    static readonly TimeSpan Timeout = TimeSpan.FromMinutes(2);

    [Fact]
    public Task AppleCalendar() => ScenarioRunner.RunClientAsync("apple", output, Timeout);

    [Fact]
    public Task Davx5() => ScenarioRunner.RunClientAsync("davx5", output, Timeout);
}

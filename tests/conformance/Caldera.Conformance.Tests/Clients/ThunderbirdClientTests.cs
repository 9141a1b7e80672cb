namespace Caldera.Conformance.Tests.Clients;

/// <summary>
/// Debian's Thunderbird, headless, driven over Marionette through its own calendar code against a fresh local
/// host (tests/clients/thunderbird/scenario.py): discovery, sync, events and tasks, a recurring exception,
/// two-way changes, its error console and screenshots of the week view.
/// </summary>
[Collection(ClientCollection.Name)]
public sealed class ThunderbirdClientTests(ITestOutputHelper output)
{
    [Fact]
    public Task Thunderbird() => ScenarioRunner.RunClientAsync("thunderbird", output, TimeSpan.FromMinutes(6));
}

namespace Caldera.Conformance.Tests.Clients;

/// <summary>
/// Debian's Thunderbird, headless, driven over Marionette through its own calendar code against a fresh local
/// host (tests/clients/thunderbird/scenario.py): discovery, sync, events and tasks, a recurring exception,
/// two-way changes, free/busy, a restart, its error console and screenshots of the week view.
/// </summary>
[Collection(ClientCollection.Name)]
public sealed class ThunderbirdClientTests(ITestOutputHelper output)
{
    [Fact]
    public Task Thunderbird() => ScenarioRunner.RunClientAsync("thunderbird", output, TimeSpan.FromMinutes(6),
        // Caldera always gives the principal a schedule outbox; another server (CALDERA_CONFORMANCE_URL) may not.
        string.IsNullOrEmpty(Environment.GetEnvironmentVariable("CALDERA_CONFORMANCE_URL")) ? ["--expect-scheduling"] : []);
}

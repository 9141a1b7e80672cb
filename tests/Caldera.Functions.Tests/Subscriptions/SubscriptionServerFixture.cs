using Caldera.LocalHost;

namespace Caldera.Functions.Tests.Subscriptions;

/// <summary>
/// A Caldera of its own (in-memory Azurite) with <c>Caldera:Subscriptions:AllowPrivateAddresses=true</c>, so feeds
/// served by <see cref="FeedServer"/> on 127.0.0.1 may be fetched; the shared fixture keeps the default (refused).
/// </summary>
public sealed class SubscriptionServerFixture : IAsyncLifetime
{
    RunningServer? _server;

    internal FeedServer Feeds { get; } = new();

    public RunningServer Server => _server ?? throw new InvalidOperationException("the server is not started");

    public async Task InitializeAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        _server = await CalderaLocalServer.StartAsync(new LocalServerOptions
        {
            Port = 0,
            InMemory = true,
            User = null,
            StoragePrefix = "calderasubs",
            Configuration = new Dictionary<string, string?> { ["Caldera:Subscriptions:AllowPrivateAddresses"] = "true" },
        }, timeout.Token);
    }

    public async Task DisposeAsync()
    {
        await Feeds.DisposeAsync();
        if (_server is not null)
            await _server.DisposeAsync();
    }
}

using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Caldera.Functions;

/// <summary>
/// Runs the storage initializer once at start-up, in the Functions app and in the local host alike
/// (hosted services start before either serves a request).
/// </summary>
internal sealed class StorageStartup(IServiceProvider services, ILogger<StorageStartup> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await InitializeStorageAsync(services, cancellationToken);
        logger.LogDebug("Storage initialized");
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>The single call site of the storage initializer.</summary>
    internal static Task InitializeStorageAsync(IServiceProvider services, CancellationToken ct)
    {
        // TODO(storage): Caldera.Storage does not expose IStorageInitializer yet. When it lands, this becomes:
        //     return services.GetRequiredService<Caldera.Storage.IStorageInitializer>().EnsureCreatedAsync(ct);
        _ = services;
        _ = ct;
        return Task.CompletedTask;
    }
}

using Caldera.Storage;
using Microsoft.Extensions.DependencyInjection;
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
        // The single call site of the storage initializer (tables, containers, queues).
        await services.GetRequiredService<IStorageInitializer>().EnsureCreatedAsync(cancellationToken);
        logger.LogDebug("Storage initialized");
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}

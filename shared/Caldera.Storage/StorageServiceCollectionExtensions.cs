using Azure.Data.Tables;
using Azure.Storage.Blobs;
using Azure.Storage.Queues;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Caldera.Storage;

public static class StorageServiceCollectionExtensions
{
    /// <summary>
    /// Registers the Azure clients and stores. Configuration: "Storage" is a connection string (Azurite locally),
    /// or "Storage:tableServiceUri" / "Storage:blobServiceUri" / "Storage:queueServiceUri" (+ optional
    /// "Storage:clientId" for a user-assigned identity) to use DefaultAzureCredential in Azure.
    /// "Caldera:StoragePrefix" prefixes table and container names (lower-case letters and digits).
    /// Configuration is read when the services are first resolved, so a host may fill it in after this call.
    /// Hosts call <see cref="IStorageInitializer.EnsureCreatedAsync"/> once at start-up.
    /// </summary>
    public static IServiceCollection AddCalderaStorage(this IServiceCollection services, IConfiguration configuration)
    {
        services.TryAddSingleton<StorageCallCounter>();
        services.TryAddSingleton(_ => new StorageLayout(
            configuration["Caldera:StoragePrefix"] ?? StorageLayout.DefaultPrefix, configuration[StorageLayout.ImipQueueSetting],
            configuration[StorageLayout.ImipOutboundQueueSetting]));
        services.TryAddSingleton(sp => new StorageClients(configuration, sp.GetRequiredService<StorageCallCounter>(), sp.GetServices<StorageClientHook>()));
        services.TryAddSingleton(sp => sp.GetRequiredService<StorageClients>().CreateTables());
        services.TryAddSingleton(sp => sp.GetRequiredService<StorageClients>().CreateBlobs());
        services.TryAddSingleton(sp => sp.GetRequiredService<StorageClients>().CreateQueues());
        services.TryAddSingleton<IStorageInitializer>(sp => new StorageInitializer(
            sp.GetRequiredService<TableServiceClient>(), sp.GetRequiredService<BlobServiceClient>(),
            sp.GetRequiredService<QueueServiceClient>(), sp.GetRequiredService<StorageLayout>()));
        services.TryAddSingleton<IUserStore>(sp => new TableUserStore(
            sp.GetRequiredService<TableServiceClient>(), sp.GetRequiredService<StorageLayout>()));
        services.TryAddSingleton(_ => new Snapshots.SnapshotCache(SnapshotOptions(configuration)));
        // "Caldera:Quota:MaxCalendars" / "MaxObjects" / "MaxBytes": per-user limits the store enforces on every write.
        services.TryAddSingleton(_ => Quota.QuotaOptions.From(configuration));
        services.TryAddSingleton(sp => new TableCalendarStore(
            sp.GetRequiredService<TableServiceClient>(), sp.GetRequiredService<BlobServiceClient>(), sp.GetRequiredService<StorageLayout>(),
            sp.GetRequiredService<Snapshots.SnapshotCache>(), sp.GetRequiredService<StorageCallCounter>(), sp.GetRequiredService<Quota.QuotaOptions>()));
        services.TryAddSingleton<ICalendarStore>(sp => sp.GetRequiredService<TableCalendarStore>());
        services.TryAddSingleton(sp => new Imip.ImipInbox(
            sp.GetRequiredService<BlobServiceClient>(), sp.GetRequiredService<QueueServiceClient>(), sp.GetRequiredService<StorageLayout>()));
        services.TryAddSingleton(sp => new Imip.ImipStatusStore(sp.GetRequiredService<TableServiceClient>(), sp.GetRequiredService<StorageLayout>()));
        services.TryAddSingleton(sp => new Imip.Outbound.OutboundImipOutbox(
            sp.GetRequiredService<BlobServiceClient>(), sp.GetRequiredService<QueueServiceClient>(), sp.GetRequiredService<StorageLayout>()));
        services.TryAddSingleton(sp => new Imip.Outbound.OutboundImipStatusStore(sp.GetRequiredService<TableServiceClient>(), sp.GetRequiredService<StorageLayout>()));
        services.TryAddSingleton(sp => new Imip.Outbound.OutboundImipRateCounter(sp.GetRequiredService<TableServiceClient>(), sp.GetRequiredService<StorageLayout>()));
        services.TryAddSingleton<Web.IWebSessionStore>(sp => new Web.TableWebSessionStore(
            sp.GetRequiredService<TableServiceClient>(), sp.GetRequiredService<StorageLayout>()));
        services.TryAddSingleton(_ => Sweeping.SweepOptions.FromConfiguration(configuration));
        services.TryAddSingleton(sp => new Sweeping.OrphanSweeper(
            sp.GetRequiredService<TableServiceClient>(), sp.GetRequiredService<BlobServiceClient>(), sp.GetRequiredService<StorageLayout>(),
            sp.GetRequiredService<Sweeping.SweepOptions>(), sp.GetService<TimeProvider>() ?? TimeProvider.System,
            sp.GetService<ILogger<Sweeping.OrphanSweeper>>() ?? NullLogger<Sweeping.OrphanSweeper>.Instance));
        return services;
    }

    /// <summary>"Caldera:SnapshotCacheMiB" sets the budget (0 turns the cache off); invalid values fail at start-up.</summary>
    static Snapshots.SnapshotCacheOptions SnapshotOptions(IConfiguration configuration)
    {
        var options = new Snapshots.SnapshotCacheOptions();
        if (configuration[Snapshots.SnapshotCacheOptions.Setting] is { Length: > 0 } value)
        {
            if (!long.TryParse(value, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var mib) || mib > 1024 * 1024)
                throw new InvalidOperationException($"{Snapshots.SnapshotCacheOptions.Setting} must be a whole number of MiB (0 turns the cache off), not '{value}'.");
            options.BudgetBytes = mib * 1024 * 1024;
        }
        return options;
    }
}

using Azure.Data.Tables;
using Azure.Storage.Blobs;
using Azure.Storage.Queues;

namespace Caldera.Storage;

/// <summary>Creates the tables and the container once at start-up, so the stores never check per request.</summary>
public interface IStorageInitializer
{
    /// <summary>Idempotent.</summary>
    Task EnsureCreatedAsync(CancellationToken ct);
}

sealed class StorageInitializer(TableServiceClient tables, BlobServiceClient blobs, QueueServiceClient queues, StorageLayout layout) : IStorageInitializer
{
    public Task EnsureCreatedAsync(CancellationToken ct) => Task.WhenAll(
        tables.CreateTableIfNotExistsAsync(layout.UsersTable, ct),
        tables.CreateTableIfNotExistsAsync(layout.CalendarsTable, ct),
        tables.CreateTableIfNotExistsAsync(layout.ProvidersTable, ct),
        tables.CreateTableIfNotExistsAsync(layout.SharesTable, ct),
        tables.CreateTableIfNotExistsAsync(layout.WebSessionsTable, ct),
        blobs.GetBlobContainerClient(layout.ObjectsContainer).CreateIfNotExistsAsync(cancellationToken: ct),
        blobs.GetBlobContainerClient(layout.FeedsContainer).CreateIfNotExistsAsync(cancellationToken: ct),
        tables.CreateTableIfNotExistsAsync(layout.ImipStatusTable, ct),
        blobs.GetBlobContainerClient(layout.ImipContainer).CreateIfNotExistsAsync(cancellationToken: ct),
        queues.GetQueueClient(layout.ImipQueue).CreateIfNotExistsAsync(cancellationToken: ct),
        queues.GetQueueClient(layout.ImipPoisonQueue).CreateIfNotExistsAsync(cancellationToken: ct),
        tables.CreateTableIfNotExistsAsync(layout.ImipOutboundTable, ct),
        tables.CreateTableIfNotExistsAsync(layout.ImipOutboundRateTable, ct),
        blobs.GetBlobContainerClient(layout.ImipOutboundContainer).CreateIfNotExistsAsync(cancellationToken: ct),
        queues.GetQueueClient(layout.ImipOutboundQueue).CreateIfNotExistsAsync(cancellationToken: ct),
        queues.GetQueueClient(layout.ImipOutboundPoisonQueue).CreateIfNotExistsAsync(cancellationToken: ct));
}

using Azure;
using Azure.Data.Tables;

namespace Caldera.Storage.Registry;

/// <summary>
/// The provider registry table: PartitionKey = user name or "*", RowKey = app id. One query per
/// (uncached) resolution: the user's partition and the "*" partition together. The table is made by
/// <see cref="IStorageInitializer"/> at start-up.
/// </summary>
public sealed class TableProviderRegistryStore(TableClient table) : IProviderRegistryStore
{
    public async Task<IReadOnlyList<ProviderRegistration>> GetForUserAsync(string userName, CancellationToken ct)
    {
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {userName} or PartitionKey eq {ProviderRegistration.Everyone}");
        var rows = new List<ProviderRegistration>();
        await foreach (var e in table.QueryAsync<TableEntity>(filter, cancellationToken: ct))
            rows.Add(new ProviderRegistration(e.PartitionKey, e.RowKey, e.GetBoolean("Enabled") ?? false, e.GetString("Configuration")));
        return rows;
    }

    public async Task UpsertAsync(ProviderRegistration registration, CancellationToken ct)
    {
        await table.UpsertEntityAsync(new TableEntity(registration.Principal, registration.AppId)
        {
            ["Enabled"] = registration.Enabled,
            ["Configuration"] = registration.Configuration,
        }, TableUpdateMode.Replace, ct);
    }

    public async Task<bool> DeleteAsync(string principal, string appId, CancellationToken ct)
    {
        try
        {
            var response = await table.DeleteEntityAsync(principal, appId, ETag.All, ct);
            return response.Status != 404;
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            return false;
        }
    }
}

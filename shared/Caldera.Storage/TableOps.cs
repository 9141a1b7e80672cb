using Azure;
using Azure.Data.Tables;

namespace Caldera.Storage;

/// <summary>Small table helpers shared by the stores.</summary>
static class TableOps
{
    /// <summary>Entity-group transactions hold at most 100 operations.</summary>
    public const int MaxBatch = 100;

    public static async Task<TableEntity?> ReadAsync(TableClient table, string partition, string rowKey, CancellationToken ct)
    {
        var response = await table.GetEntityIfExistsAsync<TableEntity>(partition, rowKey, cancellationToken: ct);
        return response.HasValue ? response.Value : null;
    }

    /// <summary>Rows of one partition whose RowKey starts with "{prefix}|" ('}' sorts right after '|').</summary>
    public static string RangeFilter(string partition, string prefix) =>
        TableClient.CreateQueryFilter($"PartitionKey eq {partition} and RowKey ge {prefix + "|"} and RowKey lt {prefix + "}"}");

    /// <summary>Deletes rows of one partition in transactions of at most 100, in the given order.</summary>
    public static async Task DeleteRowsAsync(TableClient table, string partition, IReadOnlyList<string> rowKeys, CancellationToken ct)
    {
        foreach (var chunk in rowKeys.Chunk(MaxBatch))
        {
            var actions = chunk.Select(k => new TableTransactionAction(TableTransactionActionType.Delete,
                new TableEntity(partition, k), ETag.All));
            try
            {
                await table.SubmitTransactionAsync(actions, ct);
            }
            catch (RequestFailedException e) when (e.Status == 404)
            {
                // Someone removed a row meanwhile: delete the rest one by one (single deletes ignore absent rows).
                foreach (var key in chunk)
                    await table.DeleteEntityAsync(partition, key, ETag.All, ct);
            }
        }
    }

    /// <summary>Small jittered exponential delay between optimistic-concurrency attempts.</summary>
    public static Task BackoffAsync(int attempt, CancellationToken ct) =>
        Task.Delay(Random.Shared.Next(1, Math.Min(5 << Math.Min(attempt, 6), 200)), ct);
}

static class Guard
{
    public static void UserName(string userName)
    {
        if (!Names.IsValidUserName(userName))
            throw new ArgumentException($"Invalid user name '{userName}'.", nameof(userName));
    }
}

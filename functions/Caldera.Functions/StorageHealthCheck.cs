using System.Diagnostics;
using Azure.Data.Tables;
using Caldera.Storage;
using Microsoft.Extensions.Logging;

namespace Caldera.Functions;

/// <summary>
/// Storage reachability, cheaply: one point read of a row that never exists in the users table (a 404 is an answer,
/// so it proves the endpoint, the credential and the table), bounded by <see cref="Timeout"/>, retries included.
/// </summary>
public sealed class StorageHealthCheck(TableServiceClient tables, StorageLayout layout, ILogger<StorageHealthCheck> logger)
{
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(3);

    // '~' sorts after every key Caldera writes; the row is never created.
    const string ProbeKey = "~health-probe";

    public TimeSpan Timeout { get; init; } = DefaultTimeout;

    public sealed record Result(bool Healthy, long DurationMs);

    public async Task<Result> CheckAsync(CancellationToken ct)
    {
        var watch = Stopwatch.StartNew();
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(Timeout);
        try
        {
            _ = await tables.GetTableClient(layout.UsersTable)
                .GetEntityIfExistsAsync<TableEntity>(ProbeKey, ProbeKey, select: ["PartitionKey"], cancellationToken: timeout.Token);
            return new Result(true, watch.ElapsedMilliseconds);
        }
        catch (Exception e) when (!ct.IsCancellationRequested) // any failure (refused, timeout, 403, credential) is "unreachable"
        {
            // Details go to the log only; the probe's answer says nothing about the account.
            logger.LogWarning("Health check: storage unreachable after {DurationMs} ms ({Error})", watch.ElapsedMilliseconds, e.GetType().Name + ": " + e.Message);
            return new Result(false, watch.ElapsedMilliseconds);
        }
    }
}

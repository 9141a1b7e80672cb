using System.Globalization;
using Azure;
using Azure.Data.Tables;

namespace Caldera.Storage.Imip.Outbound;

/// <summary>What <see cref="OutboundImipRateCounter.TryTakeAsync"/> decided.</summary>
/// <param name="Allowed">True when the email was counted and may be queued.</param>
/// <param name="Count">Emails counted for the user in the current hour, this one included when allowed.</param>
/// <param name="WindowEnd">When the current hour ends and the count starts again from zero.</param>
public sealed record OutboundImipRateDecision(bool Allowed, int Count, DateTimeOffset WindowEnd);

/// <summary>
/// The per-user limit on outbound iMIP emails, durable across instances: one row per user (partition the user, row
/// key <c>hour</c>) holding the fixed UTC hour it counts (<c>yyyyMMddHH</c>) and the count in it. A new hour resets
/// the count in the same row, so the table holds one small row per user who ever sent email. Each take is one read
/// and one ETag-conditional write (insert when the row is new); a concurrent writer makes it read again (412/409).
/// </summary>
public sealed class OutboundImipRateCounter(TableServiceClient service, StorageLayout layout)
{
    /// <summary>Optimistic-concurrency rounds before giving up (a storm of concurrent enqueues for one user).</summary>
    public const int MaxAttempts = 32;
    const string Row = "hour";

    readonly TableClient _table = service.GetTableClient(layout.ImipOutboundRateTable);

    /// <summary>Counts one email for <paramref name="user"/> in the hour of <paramref name="now"/> when fewer than <paramref name="limit"/> are counted there.</summary>
    /// <exception cref="RequestFailedException">Storage failed, or the row stayed contended for <see cref="MaxAttempts"/> rounds.</exception>
    public async Task<OutboundImipRateDecision> TryTakeAsync(string user, DateTimeOffset now, int limit, CancellationToken ct)
    {
        Guard.UserName(user);
        var utc = now.ToUniversalTime();
        var hourStart = new DateTimeOffset(utc.Year, utc.Month, utc.Day, utc.Hour, 0, 0, TimeSpan.Zero);
        var window = hourStart.ToString("yyyyMMddHH", CultureInfo.InvariantCulture);
        var end = hourStart.AddHours(1);
        for (var attempt = 1; ; attempt++)
        {
            var row = await TableOps.ReadAsync(_table, user, Row, ct);
            var count = row is not null && row.GetString("Window") == window ? row.GetInt32("Count") ?? 0 : 0;
            if (count >= limit)
                return new OutboundImipRateDecision(false, count, end);
            var next = new TableEntity(user, Row) { ["Window"] = window, ["Count"] = count + 1 };
            try
            {
                if (row is null)
                    await _table.AddEntityAsync(next, ct);
                else
                    await _table.UpdateEntityAsync(next, row.ETag, TableUpdateMode.Replace, ct);
                return new OutboundImipRateDecision(true, count + 1, end);
            }
            catch (RequestFailedException e) when (e.Status is 409 or 412 && attempt < MaxAttempts)
            {
                await TableOps.BackoffAsync(attempt, ct);
            }
        }
    }

    /// <summary>Emails counted for <paramref name="user"/> in the hour of <paramref name="now"/> (for tests and diagnostics).</summary>
    public async Task<int> CountAsync(string user, DateTimeOffset now, CancellationToken ct)
    {
        Guard.UserName(user);
        var window = now.ToUniversalTime().ToString("yyyyMMddHH", CultureInfo.InvariantCulture);
        var row = await TableOps.ReadAsync(_table, user, Row, ct);
        return row is not null && row.GetString("Window") == window ? row.GetInt32("Count") ?? 0 : 0;
    }
}

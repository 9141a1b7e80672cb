using Azure;
using Azure.Data.Tables;
using Caldera.Storage.Quota;

namespace Caldera.Storage;

// Quota: a user's usage is the sum of the counters on their calendar rows (one short range query: the calendar
// quota bounds how many there are), never a listing of objects. Writes keep the counters in their own transaction.
public sealed partial class TableCalendarStore
{
    static readonly string[] UsageSelect = ["PartitionKey", "RowKey", "Id", UsageColumns.Objects, UsageColumns.Bytes];

    public async Task<UserUsage> GetUsageAsync(string owner, CancellationToken ct)
    {
        Guard.UserName(owner);
        return await SumUsageAsync(owner, except: [], ct);
    }

    /// <summary>How many calendars the owner has (row keys only).</summary>
    async Task<long> CountCalendarsAsync(string owner, CancellationToken ct)
    {
        long count = 0;
        await foreach (var _ in _table.QueryAsync<TableEntity>(TableOps.RangeFilter(owner, CalendarRows.CalendarKind), select: ["RowKey"], cancellationToken: ct))
            count++;
        return count;
    }

    /// <summary>The usage of the owner's calendars but those whose row keys are in <paramref name="except"/> (the caller has them).</summary>
    async Task<UserUsage> SumUsageAsync(string owner, IReadOnlyCollection<string> except, CancellationToken ct)
    {
        long calendars = 0, objects = 0, bytes = 0;
        await foreach (var row in _table.QueryAsync<TableEntity>(TableOps.RangeFilter(owner, CalendarRows.CalendarKind),
                           select: UsageSelect, cancellationToken: ct))
        {
            calendars++;
            if (except.Contains(row.RowKey))
                continue;
            if (!UsageColumns.IsCounted(row))
                await CountOnceAsync(row, ct);
            var (o, b) = UsageColumns.Of(row);
            objects += o;
            bytes += b;
        }
        return new UserUsage(calendars, objects, bytes);
    }

    /// <summary>
    /// Counts a calendar made before usage counters from its index (once: the counters are stored, conditioned on the row's
    /// ETag, so a write committed meanwhile makes the next reader count again instead of storing a stale sum).
    /// </summary>
    async Task CountOnceAsync(TableEntity calendarRow, CancellationToken ct)
    {
        await EnsureCountedAsync(calendarRow, ct);
        var (objects, bytes) = UsageColumns.Of(calendarRow);
        var counters = new TableEntity(calendarRow.PartitionKey, calendarRow.RowKey);
        UsageColumns.Set(counters, objects, bytes);
        try
        {
            await _table.UpdateEntityAsync(counters, calendarRow.ETag, TableUpdateMode.Merge, ct);
        }
        catch (RequestFailedException e) when (e.Status is 404 or 412)
        {
        }
    }

    /// <summary>Objects and body bytes of a calendar incarnation, from its index rows (the Size column only).</summary>
    async Task<(long Objects, long Bytes)> CountIndexAsync(string owner, string calendarId, CancellationToken ct)
    {
        long objects = 0, bytes = 0;
        await foreach (var row in _table.QueryAsync<TableEntity>(TableOps.RangeFilter(owner, CalendarRows.Scope(CalendarRows.ObjectKind, calendarId)),
                           select: ["Size"], cancellationToken: ct))
        {
            objects++;
            bytes += row.GetInt64("Size") ?? 0;
        }
        return (objects, bytes);
    }

    /// <summary>Gives a calendar row read for a write its counters (counted from the index if it has none); the write stores them.</summary>
    async Task EnsureCountedAsync(TableEntity calendarRow, CancellationToken ct)
    {
        if (UsageColumns.IsCounted(calendarRow))
            return;
        var (objects, bytes) = await CountIndexAsync(calendarRow.PartitionKey, CalendarRows.Id(calendarRow), ct);
        UsageColumns.Set(calendarRow, objects, bytes);
    }
}

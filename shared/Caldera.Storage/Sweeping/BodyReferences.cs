using Azure.Data.Tables;

namespace Caldera.Storage.Sweeping;

/// <summary>
/// Which body blobs the index refers to. A body always lives under the calendar incarnation whose object row names it
/// (copies and moves between calendars write a new blob), so a blob is live exactly when its calendar's Id is on a
/// calendar row and one of that incarnation's object rows has it as BlobName. Blobs are listed in name order, so one
/// owner's and one calendar's blobs come together: only the current owner and calendar are kept in memory.
/// </summary>
sealed class BodyReferences(TableClient table)
{
    string? _owner;
    HashSet<string> _liveCalendars = [];
    (string Owner, string CalendarId)? _calendar;
    HashSet<string> _blobs = [];

    /// <summary>From the rows read when the sweep reached this calendar (cheap; a candidate is re-checked before deletion).</summary>
    public async Task<bool> IsReferencedAsync(string blob, BodyBlobName name, CancellationToken ct)
    {
        if (_owner != name.Owner)
        {
            _liveCalendars = await LiveCalendarsAsync(name.Owner, ct);
            _owner = name.Owner;
        }
        if (!_liveCalendars.Contains(name.CalendarId))
            return false;
        if (_calendar != (name.Owner, name.CalendarId))
        {
            _blobs = await BlobsOfAsync(name.Owner, name.CalendarId, null, ct);
            _calendar = (name.Owner, name.CalendarId);
        }
        return _blobs.Contains(blob);
    }

    /// <summary>Fresh reads, just before a deletion: is the calendar still there, and does any of its rows name the blob now?</summary>
    public async Task<bool> IsReferencedNowAsync(string blob, BodyBlobName name, CancellationToken ct) =>
        (await LiveCalendarsAsync(name.Owner, ct)).Contains(name.CalendarId) &&
        (await BlobsOfAsync(name.Owner, name.CalendarId, blob, ct)).Count > 0;

    async Task<HashSet<string>> LiveCalendarsAsync(string owner, CancellationToken ct)
    {
        var ids = new HashSet<string>(StringComparer.Ordinal);
        await foreach (var row in table.QueryAsync<TableEntity>(TableOps.RangeFilter(owner, CalendarRows.CalendarKind), select: ["Id"], cancellationToken: ct))
            if (row.GetString("Id") is { } id)
                ids.Add(id);
        return ids;
    }

    /// <summary>The BlobName of every object row of the incarnation (only rows naming <paramref name="only"/>, when given).</summary>
    async Task<HashSet<string>> BlobsOfAsync(string owner, string calendarId, string? only, CancellationToken ct)
    {
        var filter = TableOps.RangeFilter(owner, CalendarRows.Scope(CalendarRows.ObjectKind, calendarId));
        if (only is not null)
            filter += " and " + TableClient.CreateQueryFilter($"BlobName eq {only}");
        var names = new HashSet<string>(StringComparer.Ordinal);
        await foreach (var row in table.QueryAsync<TableEntity>(filter, maxPerPage: 1000, select: ["BlobName"], cancellationToken: ct))
            if (row.GetString("BlobName") is { } blob)
                names.Add(blob);
        return names;
    }
}

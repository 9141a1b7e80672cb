using Azure;
using Azure.Data.Tables;
using Azure.Storage.Blobs;
using Caldera.Storage.Quota;
using Caldera.Storage.Snapshots;

namespace Caldera.Storage;

/// <summary>
/// The calendars table (one partition per owner: calendar rows, object index, UID rows, change log) and the
/// body blobs. This file: calendars and reads; the writes of objects are in the other parts of the class.
/// </summary>
public sealed partial class TableCalendarStore : ICalendarStore
{
    /// <summary>Optimistic-concurrency attempts before a write gives up with <see cref="WriteStatus.Conflict"/>.</summary>
    // Writers of one calendar serialize on its revision row; under a burst of parallel writers each needs a few
    // tries, so allow many (bounded: a few seconds) before giving up with Conflict (the engine answers 503).
    const int MaxAttempts = 40;
    /// <summary>Above this many names a cold multiget loads the whole calendar (it is about to be read in full).</summary>
    const int PointReadLimit = 50;

    readonly TableClient _table;
    readonly BodyBlobs _blobs;
    /// <summary>Writes to one calendar wait for each other inside this instance instead of retrying against each other.</summary>
    readonly StripedGates _writeGates = new();
    readonly LastCalendarRows _lastRows = new();
    readonly QuotaOptions _quota;

    public TableCalendarStore(TableServiceClient tables, BlobServiceClient blobs, StorageLayout layout,
        SnapshotCache? snapshots = null, StorageCallCounter? counter = null, QuotaOptions? quota = null)
    {
        _quota = quota ?? new QuotaOptions();
        _table = tables.GetTableClient(layout.CalendarsTable);
        _blobs = new BodyBlobs(blobs.GetBlobContainerClient(layout.ObjectsContainer));
        _cache = snapshots ?? new SnapshotCache(new SnapshotCacheOptions());
        _counter = counter;
    }

    /// <summary>Counts every attempt after a write's first (the previous one met a concurrent write).</summary>
    void NoteRetry(int attempt)
    {
        if (attempt > 0)
            _counter?.RecordWriteRetry();
    }

    Task<IDisposable> EnterWriteAsync(string owner, CancellationToken ct, params string[] calendars) =>
        _writeGates.EnterAsync(ct, calendars.Select(c => owner + "/" + c).ToArray());

    public async Task<IReadOnlyList<CalendarRecord>> ListCalendarsAsync(string owner, CancellationToken ct)
    {
        Guard.UserName(owner);
        var result = new List<CalendarRecord>();
        await foreach (var row in _table.QueryAsync<TableEntity>(TableOps.RangeFilter(owner, CalendarRows.CalendarKind), cancellationToken: ct))
            result.Add(CalendarRows.ToCalendar(row));
        return result;
    }

    public async Task<CalendarRecord?> GetCalendarAsync(string owner, string name, CancellationToken ct)
    {
        var row = await ReadCalendarRowAsync(owner, name, ct);
        if (row is null)
            return null;
        _lastRows.Refresh(owner, name, row);
        return CalendarRows.ToCalendar(row);
    }

    /// <summary>
    /// Always stores a fresh <see cref="CalendarRecord.Id"/>, revision 0 and empty usage (the record's are ignored).
    /// Throws <see cref="QuotaExceededException"/> when the owner already has as many calendars as the quota allows.
    /// </summary>
    public async Task<bool> CreateCalendarAsync(CalendarRecord calendar, CancellationToken ct)
    {
        Guard.UserName(calendar.Owner);
        // Counted before the add, so concurrent creations can pass the limit by how many race (reported in README).
        if (await CountCalendarsAsync(calendar.Owner, ct) >= _quota.MaxCalendars)
            throw new QuotaExceededException($"the quota allows {_quota.MaxCalendars} calendars");
        var now = DateTimeOffset.UtcNow;
        var row = CalendarRows.FromCalendar(calendar with
        {
            Id = Guid.NewGuid().ToString("N"),
            Revision = 0,
            IndexVersion = CalendarRows.CurrentIndexVersion,
            UsedObjects = 0,
            UsedBytes = 0,
            Created = calendar.Created == default ? now : calendar.Created,
            Modified = now,
        });
        try
        {
            await _table.AddEntityAsync(row, ct);
            return true;
        }
        catch (RequestFailedException e) when (e.Status == 409)
        {
            // Taken, unless by this very add: its answer was lost and the SDK's retry met the row it had made.
            var existing = await ReadCalendarRowAsync(calendar.Owner, calendar.Name, ct);
            if (existing is null)
                throw; // a 409 about no row of this name: storage misbehaving, an outage for the caller
            return CalendarRows.Id(existing) == CalendarRows.Id(row);
        }
    }

    public async Task<CalendarRecord?> UpdateCalendarAsync(string owner, string name, CalendarPropertyChanges changes, CancellationToken ct)
    {
        using var gate = await EnterWriteAsync(owner, ct, name);
        _lastRows.Forget(owner, name);
        for (var attempt = 0; ; attempt++)
        {
            NoteRetry(attempt);
            var row = await ReadCalendarRowAsync(owner, name, ct);
            if (row is null)
                return null;
            if (!CalendarRows.Apply(row, changes))
                return CalendarRows.ToCalendar(row); // the dead-property edit refused: nothing is written
            CalendarRows.Bump(row, CalendarRows.Revision(row) + 1, DateTimeOffset.UtcNow);
            try
            {
                await _table.UpdateEntityAsync(row, row.ETag, TableUpdateMode.Replace, ct);
                var updated = CalendarRows.ToCalendar(row);
                AfterWrite(owner, name, updated.Id, updated.Revision - 1, updated.Revision);
                return updated;
            }
            catch (RequestFailedException e) when (e.Status is 412 or 404 && attempt + 1 < MaxAttempts)
            {
                // A concurrent write bumped the revision (or deleted the calendar): read again.
                await TableOps.BackoffAsync(attempt, ct);
            }
        }
    }

    public async Task<bool> DeleteCalendarAsync(string owner, string name, CancellationToken ct)
    {
        using var gate = await EnterWriteAsync(owner, ct, name);
        _cache.Remove(owner, name);
        _lastRows.Forget(owner, name);
        for (var attempt = 0; ; attempt++)
        {
            NoteRetry(attempt);
            var row = await ReadCalendarRowAsync(owner, name, ct);
            if (row is null)
                return false;
            // Conditional, so a write committed meanwhile (which bumps the row) is not silently lost in the purge.
            var response = await DeleteIfMatchAsync(row, ct);
            // Gone since it was read: this delete's answer was lost and the SDK's retry found nothing (or another delete
            // won). Either way the incarnation read is deleted, so it is purged and the delete reported done.
            if (response == 404)
            {
                await PurgeIncarnationAsync(owner, CalendarRows.Id(row), ct);
                return true;
            }
            if (response == 412 && attempt + 1 < MaxAttempts)
            {
                await TableOps.BackoffAsync(attempt, ct);
                continue;
            }
            if (response == 412)
                throw new RequestFailedException(412, "The calendar kept changing while being deleted.");
            await PurgeIncarnationAsync(owner, CalendarRows.Id(row), ct);
            return true;
        }
    }

    async Task<int> DeleteIfMatchAsync(TableEntity row, CancellationToken ct)
    {
        try
        {
            var response = await _table.DeleteEntityAsync(row.PartitionKey, row.RowKey, row.ETag, ct);
            return response.Status;
        }
        catch (RequestFailedException e) when (e.Status is 404 or 412)
        {
            return e.Status;
        }
    }

    /// <summary>
    /// Removes the rows and blobs of a deleted calendar incarnation. Best effort: the calendar row is already gone,
    /// and nothing reads rows of an Id no calendar row names, so leftovers are invisible.
    /// </summary>
    async Task PurgeIncarnationAsync(string owner, string calendarId, CancellationToken ct)
    {
        try
        {
            var keys = new List<string>();
            foreach (var kind in new[] { CalendarRows.ObjectKind, CalendarRows.UidKind, CalendarRows.ChangeKind, CalendarRows.BucketKind })
            {
                await foreach (var row in _table.QueryAsync<TableEntity>(TableOps.RangeFilter(owner, CalendarRows.Scope(kind, calendarId)),
                                   select: ["RowKey"], cancellationToken: ct))
                    keys.Add(row.RowKey);
            }
            await TableOps.DeleteRowsAsync(_table, owner, keys, ct);
            await _blobs.DeletePrefixAsync(BodyBlobs.CalendarPrefix(owner, calendarId), ct);
        }
        catch (Exception e) when (e is RequestFailedException || StorageFailures.IsOutage(e) && !ct.IsCancellationRequested)
        {
            // The calendar is gone either way; what is left is invisible (and its blobs are the orphan sweeper's).
        }
    }

    public async Task<IReadOnlyList<ObjectRecord>> ListObjectsAsync(string owner, string calendar, CancellationToken ct)
    {
        var cal = await GetCalendarAsync(owner, calendar, ct);
        return cal is null ? [] : await ListObjectsAsync(cal, ct);
    }

    public async Task<IReadOnlyList<ObjectRecord>> ListObjectsAsync(CalendarRecord calendar, CancellationToken ct)
    {
        Guard.UserName(calendar.Owner);
        return (await SnapshotAsync(calendar, load: true, ct))?.Objects.ToList() ?? [];
    }

    /// <summary>
    /// Warm: filtered in memory. Cold: a time-range query reads the time buckets near its range (calendars made before
    /// buckets: the whole index, filtered by the table service); a query without a range loads the calendar.
    /// </summary>
    public async Task<IReadOnlyList<ObjectRecord>> QueryObjectsAsync(CalendarRecord calendar, ObjectQuery query, CancellationToken ct)
    {
        Guard.UserName(calendar.Owner);
        var ranged = query.Start is not null || query.End is not null;
        if (await SnapshotAsync(calendar, load: !ranged, ct) is { } snapshot)
            return snapshot.Query(query).ToList();
        if (calendar.IndexVersion >= CalendarRows.CurrentIndexVersion)
            return await QueryBucketsAsync(calendar, query, ct);
        return await ReadRecordsAsync(
            TableOps.RangeFilter(calendar.Owner, CalendarRows.Scope(CalendarRows.ObjectKind, calendar.Id)) + TimeBuckets.EnvelopeFilter(query), ct);
    }

    public async Task<ObjectRecord?> GetObjectAsync(string owner, string calendar, string name, CancellationToken ct)
    {
        var cal = await GetCalendarAsync(owner, calendar, ct);
        return cal is null ? null : await GetObjectAsync(cal, name, ct);
    }

    public async Task<ObjectRecord?> GetObjectAsync(CalendarRecord calendar, string name, CancellationToken ct)
    {
        Guard.UserName(calendar.Owner);
        if (await SnapshotAsync(calendar, load: false, ct) is { } snapshot)
            return snapshot.Find(name);
        var row = await TableOps.ReadAsync(_table, calendar.Owner, CalendarRows.Object(calendar.Id, name), ct);
        return row is null ? null : CalendarRows.ToObject(row);
    }

    public async Task<IReadOnlyList<ObjectRecord>> GetObjectsAsync(string owner, string calendar, IReadOnlyCollection<string> names, CancellationToken ct)
    {
        var cal = await GetCalendarAsync(owner, calendar, ct);
        return cal is null ? [] : await GetObjectsAsync(cal, names, ct);
    }

    /// <summary>Warm: from the snapshot. Cold: up to 50 names by a few keyed queries; more: the calendar is loaded.</summary>
    public async Task<IReadOnlyList<ObjectRecord>> GetObjectsAsync(CalendarRecord calendar, IReadOnlyCollection<string> names, CancellationToken ct)
    {
        Guard.UserName(calendar.Owner);
        var wanted = names.Distinct(StringComparer.Ordinal).ToList();
        if (await SnapshotAsync(calendar, load: wanted.Count > PointReadLimit, ct) is { } snapshot)
            return wanted.Select(snapshot.Find).OfType<ObjectRecord>().ToList();
        return await ReadNamedRowsAsync(calendar, wanted, ct);
    }

    /// <summary>The inline copy when the record carries one (the blob holds the same bytes), else the blob.</summary>
    public Task<byte[]?> ReadBodyAsync(ObjectRecord record, CancellationToken ct) =>
        record.Body is { } body ? Task.FromResult<byte[]?>(body) : _blobs.ReadAsync(record.BlobName, ct);

    public async Task<ChangeSet?> GetChangesAsync(string owner, string calendar, long sinceRevision, CancellationToken ct)
    {
        var cal = await GetCalendarAsync(owner, calendar, ct);
        return cal is null ? null : await GetChangesAsync(cal, sinceRevision, ct);
    }

    /// <summary>
    /// One range query over the change rows in (since, record revision]: change rows commit with their revision,
    /// so every revision up to the one read is complete. Cost grows with the number of changes, not objects.
    /// </summary>
    public async Task<ChangeSet?> GetChangesAsync(CalendarRecord calendar, long sinceRevision, CancellationToken ct)
    {
        Guard.UserName(calendar.Owner);
        if (sinceRevision < 0 || sinceRevision > calendar.Revision)
            return null;
        if (sinceRevision == calendar.Revision)
            return new ChangeSet(calendar.Revision, []);
        var filter = TableClient.CreateQueryFilter(
            $"PartitionKey eq {calendar.Owner} and RowKey gt {CalendarRows.Change(calendar.Id, sinceRevision)} and RowKey le {CalendarRows.Change(calendar.Id, calendar.Revision)}");
        var latest = new Dictionary<string, ChangeEntry>(StringComparer.Ordinal);
        // Only the columns sync needs: change rows also carry the records (and bodies) snapshots are brought forward with.
        await foreach (var row in _table.QueryAsync<TableEntity>(filter, maxPerPage: 1000, select: ["RowKey", "Name", "Deleted"], cancellationToken: ct))
        {
            var revision = CalendarRows.ChangeRevision(row);
            var name = row.GetString("Name")!;
            latest[name] = new ChangeEntry(name, row.GetBoolean("Deleted") ?? false, revision);
        }
        return new ChangeSet(calendar.Revision, latest.Values.OrderBy(c => c.Revision).ToList());
    }

    Task<TableEntity?> ReadCalendarRowAsync(string owner, string name, CancellationToken ct)
    {
        Guard.UserName(owner);
        return TableOps.ReadAsync(_table, owner, CalendarRows.Calendar(name), ct);
    }
}

using Azure.Data.Tables;
using Caldera.Storage.Snapshots;

namespace Caldera.Storage;

// The warm read path: a request has read the calendar row (one point read); its snapshot is used as it is when
// current, brought forward from the change rows when the revision moved, and loaded (or left to a background load)
// when missing. Change rows carry the records they set, so bringing a snapshot forward is one range query.
public sealed partial class TableCalendarStore
{
    /// <summary>More changes than this since the snapshot: reload the calendar instead of replaying them.</summary>
    const int MaxReplayedChanges = 2000;

    readonly SnapshotCache _cache;
    readonly StorageCallCounter? _counter;
    readonly System.Collections.Concurrent.ConcurrentDictionary<string, Task<CalendarSnapshot?>> _loads = new(StringComparer.Ordinal);

    public SnapshotCache Snapshots => _cache;

    /// <summary>Background snapshot loads still running (tests wait for none before counting).</summary>
    public int PendingLoads => _loads.Count;

    /// <summary>
    /// The calendar's snapshot at (at least) the record's revision. With <paramref name="load"/> a missing one is loaded
    /// now; without, null is returned for the caller's cold path and the load runs in the background.
    /// </summary>
    async Task<CalendarSnapshot?> SnapshotAsync(CalendarRecord calendar, bool load, CancellationToken ct)
    {
        if (_cache.Options.BudgetBytes <= 0)
            return load ? await LoadAsync(calendar, ct) : null;
        var cached = _cache.Find(calendar.Owner, calendar.Name, calendar.Id);
        if (cached is not null && cached.Revision >= calendar.Revision)
        {
            Note(SnapshotOutcome.Hit);
            return cached;
        }
        if (cached is not null)
        {
            using (await _cache.EnterRefreshAsync(calendar.Owner, calendar.Name, ct))
            {
                cached = _cache.Find(calendar.Owner, calendar.Name, calendar.Id) ?? cached;
                if (cached.Revision >= calendar.Revision)
                {
                    Note(SnapshotOutcome.Hit);
                    return cached;
                }
                if (await ReplayAsync(cached, calendar, calendar.Revision, ct) is { } advanced)
                {
                    Note(SnapshotOutcome.Refresh);
                    _cache.Store(calendar.Owner, calendar.Name, advanced);
                    return advanced;
                }
            }
        }
        Note(SnapshotOutcome.Miss);
        if (!load)
        {
            StartBackgroundLoad(calendar);
            return null;
        }
        var loaded = await LoadAsync(calendar, ct);
        if (loaded is not null)
            _cache.Store(calendar.Owner, calendar.Name, loaded);
        return loaded;
    }

    void Note(SnapshotOutcome outcome)
    {
        switch (outcome)
        {
            case SnapshotOutcome.Hit: _cache.CountHit(); break;
            case SnapshotOutcome.Miss: _cache.CountMiss(); break;
            default: _cache.CountRefresh(); break;
        }
        _counter?.RecordSnapshot(outcome);
    }

    /// <summary>One load per calendar incarnation at a time, outside the request's flow (its calls count as background).</summary>
    void StartBackgroundLoad(CalendarRecord calendar)
    {
        if (!_cache.Options.LoadInBackground)
            return;
        var key = $"{calendar.Owner}/{calendar.Name}/{calendar.Id}";
        if (_loads.ContainsKey(key))
            return;
        using (ExecutionContext.SuppressFlow())
        {
            var task = new Task<Task<CalendarSnapshot?>>(async () =>
            {
                using var background = _counter?.BeginBackground();
                try
                {
                    await Task.Delay(_cache.Options.BackgroundLoadDelay);
                    var loaded = await LoadAsync(calendar, CancellationToken.None);
                    if (loaded is not null)
                        _cache.Store(calendar.Owner, calendar.Name, loaded);
                    return loaded;
                }
                catch (Exception)
                {
                    return null; // best effort: the next request loads or reads cold again
                }
                finally
                {
                    _loads.TryRemove(key, out _);
                }
            });
            if (_loads.TryAdd(key, task.Unwrap()))
                task.Start(TaskScheduler.Default);
        }
    }

    /// <summary>
    /// Reads the whole index (with inline bodies), then the calendar row again: rows written while the pages were read
    /// are put right by replaying the change rows up to that second revision. Null if the calendar went away.
    /// </summary>
    async Task<CalendarSnapshot?> LoadAsync(CalendarRecord calendar, CancellationToken ct)
    {
        var rows = await ReadRecordsAsync(TableOps.RangeFilter(calendar.Owner, CalendarRows.Scope(CalendarRows.ObjectKind, calendar.Id)), ct);
        var snapshot = CalendarSnapshot.Create(calendar.Id, calendar.Revision, rows);
        var now = await TableOps.ReadAsync(_table, calendar.Owner, CalendarRows.Calendar(calendar.Name), ct);
        if (now is null || CalendarRows.Id(now) != calendar.Id)
            return null;
        var revision = CalendarRows.Revision(now);
        return revision == calendar.Revision ? snapshot : await ReplayAsync(snapshot, calendar, revision, ct);
    }

    /// <summary>The snapshot brought forward to <paramref name="revision"/> from the change rows; null if too many.</summary>
    async Task<CalendarSnapshot?> ReplayAsync(CalendarSnapshot snapshot, CalendarRecord calendar, long revision, CancellationToken ct)
    {
        if (revision - snapshot.Revision > MaxReplayedChanges)
            return null;
        var filter = TableClient.CreateQueryFilter(
            $"PartitionKey eq {calendar.Owner} and RowKey gt {CalendarRows.Change(calendar.Id, snapshot.Revision)} and RowKey le {CalendarRows.Change(calendar.Id, revision)}");
        var changes = new List<(string Name, ObjectRecord? Record)>();
        var missing = new List<int>();
        await foreach (var row in _table.QueryAsync<TableEntity>(filter, maxPerPage: 1000, cancellationToken: ct))
        {
            var record = CalendarRows.ChangeRecord(row);
            if (record is null && row.GetBoolean("Deleted") != true)
                missing.Add(changes.Count); // a change row from before records were kept: read the index row
            changes.Add((row.GetString("Name")!, record));
        }
        foreach (var i in missing)
        {
            var row = await TableOps.ReadAsync(_table, calendar.Owner, CalendarRows.Object(calendar.Id, changes[i].Name), ct);
            changes[i] = (changes[i].Name, row is null ? null : CalendarRows.ToObject(row));
        }
        return snapshot.Advance(revision, changes);
    }

    /// <summary>
    /// After this instance committed a write that took the calendar from <paramref name="from"/> to <paramref name="to"/>,
    /// brings a snapshot that was at <paramref name="from"/> forward without reading: the write's transaction was
    /// conditional on the calendar row, so nothing else changed in between.
    /// </summary>
    void AfterWrite(string owner, string calendar, string calendarId, long from, long to, params (string Name, ObjectRecord? Record)[] changes)
    {
        if (_cache.Find(owner, calendar, calendarId) is { } snapshot && snapshot.Revision == from)
            _cache.Store(owner, calendar, snapshot.Advance(to, changes));
    }

    /// <summary>Cold multiget: the named index rows, a few names per query (Azure Tables allow 15 comparisons a filter).</summary>
    async Task<IReadOnlyList<ObjectRecord>> ReadNamedRowsAsync(CalendarRecord calendar, IReadOnlyList<string> names, CancellationToken ct)
    {
        const int NamesPerQuery = 14; // + the PartitionKey comparison
        var queries = names.Chunk(NamesPerQuery).Select(async chunk =>
        {
            var keys = string.Join(" or ", chunk.Select(n =>
                TableClient.CreateQueryFilter($"RowKey eq {CalendarRows.Object(calendar.Id, n)}")));
            return await ReadRecordsAsync(TableClient.CreateQueryFilter($"PartitionKey eq {calendar.Owner}") + " and (" + keys + ")", ct);
        });
        return (await Task.WhenAll(queries)).SelectMany(r => r).ToList();
    }

    /// <summary>Cold time-range query over the bucket rows: one query per bucket level and one for the open set.</summary>
    async Task<IReadOnlyList<ObjectRecord>> QueryBucketsAsync(CalendarRecord calendar, ObjectQuery query, CancellationToken ct)
    {
        var reads = TimeBuckets.Filters(calendar.Owner, calendar.Id, query).Select(filter => ReadRecordsAsync(filter, ct));
        return (await Task.WhenAll(reads)).SelectMany(r => r).DistinctBy(r => r.Name).ToList();
    }

    /// <summary>The index records of every row a filter selects (index and bucket rows carry the same fields), page by page.</summary>
    async Task<List<ObjectRecord>> ReadRecordsAsync(string filter, CancellationToken ct)
    {
        var rows = new List<ObjectRecord>();
        await foreach (var row in _table.QueryAsync<TableEntity>(filter, maxPerPage: 1000, cancellationToken: ct))
            rows.Add(CalendarRows.ToObject(row));
        return rows;
    }
}

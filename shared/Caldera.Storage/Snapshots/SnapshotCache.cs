using System.Collections.Concurrent;

namespace Caldera.Storage.Snapshots;

/// <summary>
/// The snapshots this instance keeps, one per (owner, calendar name), within a memory budget; the least recently
/// used calendars go first. Replacing a snapshot is monotonic: an older revision never overwrites a newer one.
/// </summary>
public sealed class SnapshotCache(SnapshotCacheOptions options)
{
    readonly ConcurrentDictionary<string, Entry> _entries = new(StringComparer.Ordinal);
    readonly Lock _budgetLock = new();
    long _bytes, _clock, _hits, _misses, _refreshes, _evictions;

    public SnapshotCacheOptions Options => options;
    /// <summary>Bytes held by all snapshots (approximate).</summary>
    public long Bytes => Interlocked.Read(ref _bytes);
    public int Calendars => _entries.Count;
    public long Hits => Interlocked.Read(ref _hits);
    public long Misses => Interlocked.Read(ref _misses);
    public long Refreshes => Interlocked.Read(ref _refreshes);
    public long Evictions => Interlocked.Read(ref _evictions);

    internal void CountHit() => Interlocked.Increment(ref _hits);
    internal void CountMiss() => Interlocked.Increment(ref _misses);
    internal void CountRefresh() => Interlocked.Increment(ref _refreshes);

    /// <summary>The cached snapshot of this calendar incarnation, or null.</summary>
    public CalendarSnapshot? Find(string owner, string calendar, string calendarId)
    {
        if (!_entries.TryGetValue(Key(owner, calendar), out var entry) || entry.Snapshot.CalendarId != calendarId)
            return null;
        entry.LastUsed = Interlocked.Increment(ref _clock);
        return entry.Snapshot;
    }

    /// <summary>Keeps concurrent refreshes of one calendar from reading the same change rows twice.</summary>
    internal Task<IDisposable> EnterRefreshAsync(string owner, string calendar, CancellationToken ct) => _refreshGates.EnterAsync(ct, Key(owner, calendar));
    readonly StripedGates _refreshGates = new(64);

    /// <summary>Keeps <paramref name="snapshot"/> unless a newer one of the same incarnation is already kept.</summary>
    public void Store(string owner, string calendar, CalendarSnapshot snapshot)
    {
        if (snapshot.Bytes > options.BudgetBytes)
        {
            Remove(owner, calendar); // larger than the whole budget: served without a cache
            return;
        }
        var key = Key(owner, calendar);
        lock (_budgetLock)
        {
            var stamp = Interlocked.Increment(ref _clock);
            if (_entries.TryGetValue(key, out var entry))
            {
                var old = entry.Snapshot;
                if (old.CalendarId == snapshot.CalendarId && old.Revision >= snapshot.Revision)
                    return;
                entry.Snapshot = snapshot;
                entry.LastUsed = stamp;
                _bytes += snapshot.Bytes - old.Bytes;
            }
            else
            {
                _entries[key] = new Entry(snapshot) { LastUsed = stamp };
                _bytes += snapshot.Bytes;
            }
            EvictOverBudget(key);
        }
    }

    public void Remove(string owner, string calendar)
    {
        lock (_budgetLock)
        {
            if (_entries.TryRemove(Key(owner, calendar), out var entry))
                _bytes -= entry.Snapshot.Bytes;
        }
    }

    /// <summary>Drops every snapshot (tests use it to make the next request cold).</summary>
    public void Clear()
    {
        lock (_budgetLock)
        {
            _entries.Clear();
            _bytes = 0;
        }
    }

    void EvictOverBudget(string keep)
    {
        if (_bytes <= options.BudgetBytes)
            return;
        foreach (var (key, entry) in _entries.OrderBy(e => e.Value.LastUsed).ToList())
        {
            if (_bytes <= options.BudgetBytes)
                break;
            if (key == keep || !_entries.TryRemove(key, out _))
                continue;
            _bytes -= entry.Snapshot.Bytes;
            Interlocked.Increment(ref _evictions);
        }
    }

    static string Key(string owner, string calendar) => owner + "/" + calendar;

    sealed class Entry(CalendarSnapshot snapshot)
    {
        public volatile CalendarSnapshot Snapshot = snapshot;
        public long LastUsed;
    }
}

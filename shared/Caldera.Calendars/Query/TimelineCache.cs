using Ical.Net;

namespace Caldera.Calendars.Query;

/// <summary>
/// Which body a timeline was built from, and for which floating zone. A stored object's ETag is strong and new
/// with every body version; the UID and size ride along so that two bodies whose blob ETags happen to be equal
/// (they are not promised unique across blobs) still do not share an entry.
/// </summary>
public readonly record struct TimelineKey(string ETag, string Uid, long Size, string Zone);

/// <summary>
/// Timelines of recently queried objects, least recently used dropped first once their approximate size passes
/// <see cref="TimelineCacheSettings.MaxBytes"/>. Thread-safe; one lock guards the map and the use order (held for
/// a lookup or an insert only, never while a timeline is built).
/// </summary>
public sealed class TimelineCache(TimelineCacheSettings settings, TimeProvider clock)
{
    /// <summary>
    /// A timeline's window is placed around its build time; one built this long ago is built again, so an entry
    /// kept warm for years does not end up answering nothing near today.
    /// </summary>
    public static readonly TimeSpan MaxAge = TimeSpan.FromDays(30);

    readonly Dictionary<TimelineKey, LinkedListNode<Entry>> _map = [];
    readonly LinkedList<Entry> _order = new(); // most recently used first
    readonly Lock _lock = new();
    long _bytes;

    sealed record Entry(TimelineKey Key, Timeline Timeline, long Bytes, DateTime Built);

    public bool Enabled => settings.MaxBytes > 0;

    /// <summary>What the kept timelines take, roughly.</summary>
    public long Bytes { get { lock (_lock) return _bytes; } }

    public int Count { get { lock (_lock) return _map.Count; } }

    public Timeline? Find(TimelineKey key)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        lock (_lock)
        {
            if (!_map.TryGetValue(key, out var node))
                return null;
            if (now - node.Value.Built > MaxAge)
            {
                Remove(node);
                return null;
            }
            _order.Remove(node);
            _order.AddFirst(node);
            return node.Value.Timeline;
        }
    }

    /// <summary>The kept timeline for <paramref name="key"/>, or one built from <paramref name="calendar"/> (and kept).</summary>
    public Timeline GetOrBuild(TimelineKey key, Calendar calendar, TimeZoneInfo zone)
    {
        if (Find(key) is { } found)
            return found;
        var now = clock.GetUtcNow().UtcDateTime;
        var timeline = Timeline.Build(calendar, zone, now);
        Add(key, timeline, now);
        return timeline;
    }

    void Add(TimelineKey key, Timeline timeline, DateTime built)
    {
        var bytes = timeline.ApproximateBytes + 64 + 2L * (key.ETag.Length + key.Uid.Length + key.Zone.Length);
        if (bytes > settings.MaxBytes)
            return;
        lock (_lock)
        {
            if (_map.TryGetValue(key, out var old))
                Remove(old);
            _map[key] = _order.AddFirst(new Entry(key, timeline, bytes, built));
            _bytes += bytes;
            while (_bytes > settings.MaxBytes && _order.Last is { } last)
                Remove(last);
        }
    }

    void Remove(LinkedListNode<Entry> node)
    {
        _order.Remove(node);
        _map.Remove(node.Value.Key);
        _bytes -= node.Value.Bytes;
    }
}

namespace Caldera.Storage.Snapshots;

/// <summary>
/// One calendar incarnation's index (with the bodies that were at hand) as of one revision. Immutable: bringing it
/// forward makes a new snapshot, so a request keeps a consistent view while another advances the cache.
/// </summary>
public sealed class CalendarSnapshot
{
    /// <summary>Dictionary, entry and record object headers: what a record costs besides its strings and body.</summary>
    const int RecordOverhead = 320;

    readonly Dictionary<string, ObjectRecord> _objects;

    CalendarSnapshot(string calendarId, long revision, Dictionary<string, ObjectRecord> objects, long bytes)
    {
        CalendarId = calendarId;
        Revision = revision;
        _objects = objects;
        Bytes = bytes;
    }

    public string CalendarId { get; }
    public long Revision { get; }
    /// <summary>Approximate memory held, for the cache's budget.</summary>
    public long Bytes { get; }
    public int Count => _objects.Count;
    public IEnumerable<ObjectRecord> Objects => _objects.Values;

    public ObjectRecord? Find(string name) => _objects.GetValueOrDefault(name);

    public static CalendarSnapshot Create(string calendarId, long revision, IEnumerable<ObjectRecord> objects)
    {
        var map = new Dictionary<string, ObjectRecord>(StringComparer.Ordinal);
        foreach (var o in objects)
            map[o.Name] = o;
        return new CalendarSnapshot(calendarId, revision, map, map.Values.Sum(SizeOf));
    }

    /// <summary>
    /// The snapshot at <paramref name="revision"/>: each change (oldest first) either replaces a name's record or,
    /// with a null record, removes the name.
    /// </summary>
    public CalendarSnapshot Advance(long revision, IEnumerable<(string Name, ObjectRecord? Record)> changes)
    {
        var map = new Dictionary<string, ObjectRecord>(_objects, StringComparer.Ordinal);
        var bytes = Bytes;
        foreach (var (name, record) in changes)
        {
            if (map.Remove(name, out var old))
                bytes -= SizeOf(old);
            if (record is null)
                continue;
            map[name] = record;
            bytes += SizeOf(record);
        }
        return new CalendarSnapshot(CalendarId, revision, map, bytes);
    }

    /// <summary>Records whose envelope may overlap the query, as the table filter on the index rows decides it.</summary>
    public IEnumerable<ObjectRecord> Query(ObjectQuery query) => _objects.Values.Where(o =>
        (query.Component is null || o.Component == query.Component) &&
        (query.End is null || (o.RangeStart ?? DateTimeOffset.MinValue) <= query.End) &&
        (query.Start is null || (o.RangeEnd ?? DateTimeOffset.MaxValue) >= query.Start));

    static long SizeOf(ObjectRecord o) =>
        RecordOverhead + 2L * (o.Name.Length + o.ETag.Length + o.Uid.Length + o.BlobName.Length) + (o.Body?.Length ?? 0) + 2L * (o.DeadProperties?.Length ?? 0) + 2L * (o.ScheduleTag?.Length ?? 0);
}

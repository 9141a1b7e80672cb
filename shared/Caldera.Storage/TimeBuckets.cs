using Azure.Data.Tables;

namespace Caldera.Storage;

/// <summary>
/// A second index of a calendar's objects by time, so a cold time-range query reads the rows near its range
/// instead of the whole index. Each object has one or two bucket rows at the finest level whose buckets it
/// touches at most twice: 7-day buckets, then 91-day buckets; longer envelopes, open-ended recurrences and
/// objects without a known start go to the open set, which every time-range query reads. Bucket rows carry the
/// whole index record (and the inline body), so no further read is needed for what they return.
/// </summary>
static class TimeBuckets
{
    const string OpenLevel = "o";
    const int MaxBucketsPerObject = 2;
    /// <summary>Bucket numbers are offset so they stay positive (and sort as text) back to year 1.</summary>
    const long Offset = 1_000_000;
    static readonly DateTimeOffset Epoch = new(2000, 1, 3, 0, 0, 0, TimeSpan.Zero); // a Monday
    static readonly long[] LevelTicks = [TimeSpan.FromDays(7).Ticks, TimeSpan.FromDays(91).Ticks];

    /// <summary>The bucket row keys of an object in a calendar incarnation.</summary>
    public static IReadOnlyList<string> KeysFor(string calendarId, ObjectRecord o)
    {
        var name = KeyEncoder.EncodeKey(o.Name);
        if (o.RangeStart is { } start && o.RangeEnd is { } end)
        {
            for (var level = 0; level < LevelTicks.Length; level++)
            {
                long first = Bucket(start, level), last = Bucket(end, level);
                if (last - first < MaxBucketsPerObject)
                {
                    var keys = new List<string>(MaxBucketsPerObject);
                    for (var b = first; b <= last; b++)
                        keys.Add(Level(calendarId, level) + "|" + Number(b) + "|" + name);
                    return keys;
                }
            }
        }
        return [$"{Level(calendarId, OpenLevel)}|{name}"];
    }

    /// <summary>
    /// One filter per level (and the open set) that together return every bucket row whose object's envelope may
    /// overlap [start, end] (null: unbounded), with the component and envelope tests done by the table service.
    /// Rows of one object may come back twice (two buckets); callers keep one per name.
    /// </summary>
    public static IReadOnlyList<string> Filters(string owner, string calendarId, ObjectQuery query)
    {
        var extra = EnvelopeFilter(query);
        var filters = new List<string>();
        for (var level = 0; level < LevelTicks.Length; level++)
        {
            var prefix = Level(calendarId, level.ToString(System.Globalization.CultureInfo.InvariantCulture));
            // Bucket b holds objects touching [b·size, (b+1)·size): the query's buckets run from its start's to its end's.
            var from = query.Start is { } s ? prefix + "|" + Number(Bucket(s, level)) + "|" : prefix + "|";
            var to = query.End is { } e ? prefix + "|" + Number(Bucket(e, level)) + "}" : prefix + "}";
            filters.Add(TableClient.CreateQueryFilter($"PartitionKey eq {owner} and RowKey ge {from} and RowKey lt {to}") + extra);
        }
        filters.Add(TableOps.RangeFilter(owner, Level(calendarId, OpenLevel)) + extra);
        return filters;
    }

    /// <summary>" and …" conditions on the component and the envelope columns that index and bucket rows share.</summary>
    public static string EnvelopeFilter(ObjectQuery query)
    {
        var extra = "";
        if (query.Component is { } component)
            extra += " and " + TableClient.CreateQueryFilter($"Component eq {component}");
        if (query.End is { } end)
            extra += " and " + TableClient.CreateQueryFilter($"EnvelopeStart le {end}");
        if (query.Start is { } start)
            extra += " and " + TableClient.CreateQueryFilter($"EnvelopeEnd ge {start}");
        return extra;
    }

    static string Level(string calendarId, int level) => Level(calendarId, level.ToString(System.Globalization.CultureInfo.InvariantCulture));
    static string Level(string calendarId, string level) => $"{CalendarRows.Scope(CalendarRows.BucketKind, calendarId)}|{level}";

    static string Number(long bucket) => (bucket + Offset).ToString("D8", System.Globalization.CultureInfo.InvariantCulture);

    static long Bucket(DateTimeOffset t, int level)
    {
        var ticks = (t.UtcDateTime - Epoch.UtcDateTime).Ticks;
        return (long)Math.Floor((double)ticks / LevelTicks[level]);
    }
}

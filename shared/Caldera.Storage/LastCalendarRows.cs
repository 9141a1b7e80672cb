using System.Collections.Concurrent;
using Azure;
using Azure.Data.Tables;

namespace Caldera.Storage;

/// <summary>
/// The calendar rows this instance last committed, with their table ETags: the next write of that calendar here
/// starts from it instead of reading it again. Only a hint: a row changed elsewhere fails the transaction's
/// condition, and the writer then reads it. Bounded: past the limit it starts over.
/// </summary>
sealed class LastCalendarRows(int limit = 10_000)
{
    readonly ConcurrentDictionary<string, TableEntity> _rows = new(StringComparer.Ordinal);

    public TableEntity? Find(string owner, string calendar) =>
        _rows.TryGetValue(Key(owner, calendar), out var row) ? CalendarRows.Copy(row) : null;

    public void Remember(string owner, string calendar, TableEntity row, ETag? etag)
    {
        if (etag is null)
        {
            Forget(owner, calendar);
            return;
        }
        if (_rows.Count >= limit)
            _rows.Clear();
        var copy = CalendarRows.Copy(row);
        copy.ETag = etag.Value;
        _rows[Key(owner, calendar)] = copy;
    }

    public void Forget(string owner, string calendar) => _rows.TryRemove(Key(owner, calendar), out _);

    static string Key(string owner, string calendar) => owner + "/" + calendar;
}

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

    /// <summary>
    /// Takes a calendar row a request has just read when it is newer than the one remembered (only for calendars this
    /// instance writes, so reads add no entries): when another instance wrote the calendar since this one did, the next
    /// write here starts from the row its own request read instead of failing once on the stale one.
    /// </summary>
    public void Refresh(string owner, string calendar, TableEntity read)
    {
        var key = Key(owner, calendar);
        while (_rows.TryGetValue(key, out var known)
               && (CalendarRows.Id(known) != CalendarRows.Id(read) || CalendarRows.Revision(read) > CalendarRows.Revision(known)))
        {
            if (_rows.TryUpdate(key, CalendarRows.Copy(read), known))
                return;
        }
    }

    public void Forget(string owner, string calendar) => _rows.TryRemove(Key(owner, calendar), out _);

    static string Key(string owner, string calendar) => owner + "/" + calendar;
}

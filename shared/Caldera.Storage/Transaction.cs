using Azure;
using Azure.Data.Tables;

namespace Caldera.Storage;

/// <summary>An entity-group transaction being built: records positions so a failure can be attributed.</summary>
sealed class Transaction
{
    readonly List<TableTransactionAction> _actions = [];
    IReadOnlyList<Response>? _responses;

    /// <summary>The new table ETag of the row written by the action at <paramref name="position"/> (after a commit).</summary>
    public ETag? ETagOf(int position) => _responses is { } r && position < r.Count ? r[position].Headers.ETag : null;

    public int Count => _actions.Count;

    public int Add(TableEntity row) => Push(new(TableTransactionActionType.Add, row));

    /// <summary>Replaces a row only if it still has the table ETag it was read with.</summary>
    public int Replace(TableEntity row) => Push(new(TableTransactionActionType.UpdateReplace, row, row.ETag));

    public int Upsert(TableEntity row) => Push(new(TableTransactionActionType.UpsertReplace, row));

    public int Delete(TableEntity row, ETag etag) => Push(new(TableTransactionActionType.Delete, row, etag));

    /// <summary>Adds the row if <paramref name="current"/> is null, else replaces it conditioned on current's ETag.</summary>
    public int Put(TableEntity row, TableEntity? current) => current is null
        ? Add(row)
        : Push(new(TableTransactionActionType.UpdateReplace, row, current.ETag));

    /// <summary>
    /// Moves an object's UID row from <paramref name="oldUid"/> to <paramref name="newUid"/>; returns the position of
    /// the Add of the new UID row (-1 if unchanged), whose 409 means another object holds the UID.
    /// </summary>
    public int ChangeUid(string owner, string calendarId, string? oldUid, string newUid, string name)
    {
        if (oldUid == newUid)
            return -1;
        var position = Add(CalendarRows.UidRow(owner, calendarId, newUid, name));
        if (oldUid is not null)
            Delete(new TableEntity(owner, CalendarRows.Uid(calendarId, oldUid)), ETag.All);
        return position;
    }

    /// <summary>
    /// Keeps an object's time-bucket rows in step with its index row: the old record's buckets that the new one does not
    /// use are deleted, the new record's are written (null: the object goes, or there was none).
    /// </summary>
    public void MoveBuckets(string owner, string calendarId, TableEntity? oldRow, ObjectRecord? now)
    {
        var keep = now is null ? [] : TimeBuckets.KeysFor(calendarId, now);
        // Index rows written before buckets existed have none to delete (a delete of a missing row fails the transaction).
        if (oldRow is not null && oldRow.GetBoolean(CalendarRows.HasBucketsColumn) == true)
            foreach (var key in TimeBuckets.KeysFor(calendarId, CalendarRows.ToObject(oldRow)).Except(keep))
                Delete(new TableEntity(owner, key), ETag.All);
        foreach (var key in keep)
            Upsert(CalendarRows.WithObject(new TableEntity(owner, key), now!));
    }

    /// <summary>Null on success; the failure when a row changed, appeared or vanished since it was read.</summary>
    public async Task<Failure?> SubmitAsync(TableClient table, CancellationToken ct)
    {
        try
        {
            _responses = (await table.SubmitTransactionAsync(_actions, ct)).Value;
            return null;
        }
        catch (TableTransactionFailedException e) when (e.Status is 404 or 409 or 412)
        {
            return new Failure(e.Status, e.FailedTransactionActionIndex);
        }
    }

    int Push(TableTransactionAction action)
    {
        _actions.Add(action);
        return _actions.Count - 1;
    }

    public sealed record Failure(int Status, int? Index)
    {
        /// <summary>A 409 at that position (or at an unknown one: the caller then checks by reading).</summary>
        public bool IsConflictAt(int position) => position >= 0 && Status == 409 && (Index is null || Index == position);
    }
}

namespace Caldera.Storage;

/// <summary>
/// Calendars, the object index, UID rows and the change log of one user live in one table partition,
/// so every write is one entity-group transaction; object bodies are blobs.
/// </summary>
public interface ICalendarStore
{
    /// <summary>What the owner stores: the sum of the usage counters of their calendar rows (one query; no object is listed).</summary>
    Task<Quota.UserUsage> GetUsageAsync(string owner, CancellationToken ct);

    Task<IReadOnlyList<CalendarRecord>> ListCalendarsAsync(string owner, CancellationToken ct);
    Task<CalendarRecord?> GetCalendarAsync(string owner, string name, CancellationToken ct);
    /// <summary>Creates the calendar; false if the name is taken.</summary>
    Task<bool> CreateCalendarAsync(CalendarRecord calendar, CancellationToken ct);
    /// <summary>Applies all changes at once and bumps the revision; null if the calendar is absent.</summary>
    Task<CalendarRecord?> UpdateCalendarAsync(string owner, string name, CalendarPropertyChanges changes, CancellationToken ct);
    /// <summary>Deletes the calendar with its index, UID rows, change log and blobs; false if absent.</summary>
    Task<bool> DeleteCalendarAsync(string owner, string name, CancellationToken ct);

    /// <summary>All index rows of a calendar (no bodies).</summary>
    Task<IReadOnlyList<ObjectRecord>> ListObjectsAsync(string owner, string calendar, CancellationToken ct);
    Task<ObjectRecord?> GetObjectAsync(string owner, string calendar, string name, CancellationToken ct);
    /// <summary>Index rows for the given names; missing names are left out.</summary>
    Task<IReadOnlyList<ObjectRecord>> GetObjectsAsync(string owner, string calendar, IReadOnlyCollection<string> names, CancellationToken ct);
    /// <summary>The body of an object; null if its blob is gone (a concurrent delete).</summary>
    Task<byte[]?> ReadBodyAsync(ObjectRecord record, CancellationToken ct);

    /// <summary>Creates or replaces an object; preconditions, UID uniqueness and the index update are atomic.</summary>
    Task<WriteResult> PutObjectAsync(string owner, string calendar, string name, ObjectWrite write, WriteConditions conditions, CancellationToken ct);
    Task<WriteResult> DeleteObjectAsync(string owner, string calendar, string name, WriteConditions conditions, CancellationToken ct);
    /// <summary>
    /// Changes an object's dead properties with <paramref name="edit"/>, applied to the stored value inside one conditional
    /// transaction (retried on concurrency); the body and ETag stay. Updated also when the edit refused or changed nothing.
    /// </summary>
    Task<WriteResult> UpdateObjectPropertiesAsync(string owner, string calendar, string name, DeadPropertiesEdit edit, CancellationToken ct);
    /// <summary>Copies or moves an object between two calendars of the same owner (one transaction for the index).</summary>
    Task<WriteResult> TransferObjectAsync(string owner, string sourceCalendar, string sourceName, string targetCalendar, string targetName,
        bool move, bool overwrite, WriteConditions targetConditions, CancellationToken ct);

    /// <summary>
    /// Index rows that may match <paramref name="query"/>, filtered by the table service itself so only
    /// candidates travel; the cost is the index pages of the calendar, never a blob.
    /// </summary>
    Task<IReadOnlyList<ObjectRecord>> QueryObjectsAsync(CalendarRecord calendar, ObjectQuery query, CancellationToken ct);

    /// <summary>Changes after <paramref name="sinceRevision"/>; null if that revision is not in the log (or newer than the calendar).</summary>
    Task<ChangeSet?> GetChangesAsync(string owner, string calendar, long sinceRevision, CancellationToken ct);

    // Reads on a calendar already resolved by the caller (one point read less each: object rows are keyed by
    // the calendar's Id, which the name overloads must read first). They see the incarnation the record names.

    /// <summary>All index rows of an already-read calendar.</summary>
    Task<IReadOnlyList<ObjectRecord>> ListObjectsAsync(CalendarRecord calendar, CancellationToken ct) =>
        ListObjectsAsync(calendar.Owner, calendar.Name, ct);
    /// <summary>One index row of an already-read calendar.</summary>
    Task<ObjectRecord?> GetObjectAsync(CalendarRecord calendar, string name, CancellationToken ct) =>
        GetObjectAsync(calendar.Owner, calendar.Name, name, ct);
    /// <summary>The name of the object that holds <paramref name="uid"/> in an already-read calendar, or null (one point read).</summary>
    Task<string?> FindNameByUidAsync(CalendarRecord calendar, string uid, CancellationToken ct);
    /// <summary>Index rows for the given names of an already-read calendar; missing names are left out.</summary>
    Task<IReadOnlyList<ObjectRecord>> GetObjectsAsync(CalendarRecord calendar, IReadOnlyCollection<string> names, CancellationToken ct) =>
        GetObjectsAsync(calendar.Owner, calendar.Name, names, ct);
    /// <summary>Changes after <paramref name="sinceRevision"/> up to the record's revision; null if unknown.</summary>
    Task<ChangeSet?> GetChangesAsync(CalendarRecord calendar, long sinceRevision, CancellationToken ct) =>
        GetChangesAsync(calendar.Owner, calendar.Name, sinceRevision, ct);
}

namespace Caldera.Storage;

/// <summary>A user account. User names are validated by <see cref="Names.IsValidUserName"/> before they get here.</summary>
public sealed record UserRecord(string UserName, string DisplayName, string Email, DateTimeOffset Created);

/// <summary>One per-device app password; only its SHA-256 hash is stored.</summary>
public sealed record AppPasswordRecord(string UserName, string Id, string Label, byte[] Hash, DateTimeOffset Created);

/// <summary>A stored calendar collection, with its sync revision counter.</summary>
public sealed record CalendarRecord
{
    public required string Owner { get; init; }
    /// <summary>The URI segment of the calendar (decoded, validated).</summary>
    public required string Name { get; init; }
    /// <summary>Incarnation id: changes when a calendar is deleted and created again, so old sync tokens die.</summary>
    public required string Id { get; init; }
    public string? DisplayName { get; init; }
    public string? Description { get; init; }
    public string? Color { get; init; }
    public int? Order { get; init; }
    /// <summary>A whole VCALENDAR with one VTIMEZONE (RFC 4791 §5.2.2), or null.</summary>
    public string? TimeZone { get; init; }
    /// <summary>Supported component names, e.g. VEVENT, VTODO.</summary>
    public required IReadOnlyList<string> Components { get; init; }
    /// <summary>Sync revision: bumped by every object write, delete and property change.</summary>
    public long Revision { get; init; }
    public DateTimeOffset Created { get; init; }
    public DateTimeOffset Modified { get; init; }
    /// <summary>Index layout the calendar was made with (see CalendarRows.CurrentIndexVersion); 0 before time buckets.</summary>
    public int IndexVersion { get; init; }
    /// <summary>The calendar's dead properties as the engine serialized them (opaque here), or null.</summary>
    public string? DeadProperties { get; init; }
    /// <summary>Objects in the calendar (its usage counter); null for a calendar made before counters, until it is counted.</summary>
    public long? UsedObjects { get; init; }
    /// <summary>Body bytes of its objects (RFC 4331 DAV:quota-used-bytes); null like <see cref="UsedObjects"/>.</summary>
    public long? UsedBytes { get; init; }
}

/// <summary>Settable calendar properties; null fields are left as they are, <see cref="Removed"/> lists the ones to clear.</summary>
public sealed record CalendarPropertyChanges
{
    public string? DisplayName { get; init; }
    public string? Description { get; init; }
    public string? Color { get; init; }
    public int? Order { get; init; }
    public string? TimeZone { get; init; }
    /// <summary>Names among DisplayName, Description, Color, Order, TimeZone to remove.</summary>
    public IReadOnlyCollection<string> Removed { get; init; } = [];
    /// <summary>Applied to the stored dead properties inside the write; when it refuses, nothing at all is changed.</summary>
    public DeadPropertiesEdit? DeadProperties { get; init; }
}

/// <summary>
/// Turns a resource's stored dead properties (null: none) into new ones, or refuses (false: the write changes nothing).
/// It is applied to the value read inside the conditional write, and again on each retry, so no edit is lost.
/// </summary>
public delegate bool DeadPropertiesEdit(string? current, out string? updated);

/// <summary>An index row for one calendar object; its body lives in the blob <see cref="BlobName"/>.</summary>
public sealed record ObjectRecord
{
    public required string Name { get; init; }
    /// <summary>Quoted strong ETag: the body blob's ETag.</summary>
    public required string ETag { get; init; }
    public required string Uid { get; init; }
    /// <summary>VEVENT, VTODO, VJOURNAL or VFREEBUSY.</summary>
    public required string Component { get; init; }
    public long Size { get; init; }
    public DateTimeOffset LastModified { get; init; }
    public required string BlobName { get; init; }
    /// <summary>Start of the time-range envelope of the whole recurrence set (UTC), null if unknown.</summary>
    public DateTimeOffset? RangeStart { get; init; }
    /// <summary>End of the envelope (UTC), null if open-ended or unknown.</summary>
    public DateTimeOffset? RangeEnd { get; init; }
    public bool Recurring { get; init; }
    /// <summary>
    /// The envelope is exactly the object's one instance: non-recurring, not floating, positive duration. A plain
    /// time-range filter on the object's component then matches iff the range overlaps [RangeStart, RangeEnd).
    /// </summary>
    public bool EnvelopeExact { get; init; }
    /// <summary>The body when it is already at hand (kept inline in the index row, or cached); null: read the blob.</summary>
    public byte[]? Body { get; init; }
    /// <summary>The object's dead properties (opaque here, bounded by the engine), or null. A PUT keeps them.</summary>
    public string? DeadProperties { get; init; }
    /// <summary>The Schedule-Tag (RFC 6638 §3.2.10, quoted) a scheduling write set, or null. COPY and MOVE carry it.</summary>
    public string? ScheduleTag { get; init; }
}

/// <summary>What a PUT stores: the validated body and what the index needs to know about it.</summary>
public sealed record ObjectWrite
{
    public required string Uid { get; init; }
    public required string Component { get; init; }
    public required byte[] Body { get; init; }
    public DateTimeOffset? RangeStart { get; init; }
    public DateTimeOffset? RangeEnd { get; init; }
    public bool Recurring { get; init; }
    /// <summary>See <see cref="ObjectRecord.EnvelopeExact"/>.</summary>
    public bool EnvelopeExact { get; init; }
    /// <summary>See <see cref="ObjectRecord.ScheduleTag"/>; null stores none (a non-scheduling write clears an old tag).</summary>
    public string? ScheduleTag { get; init; }
}

/// <summary>Client preconditions, evaluated atomically with the write.</summary>
public sealed record WriteConditions
{
    /// <summary>If-Match ETags (quoted) or "*"; empty means no If-Match.</summary>
    public IReadOnlyList<string> IfMatch { get; init; } = [];
    /// <summary>If-None-Match ETags (quoted) or "*"; empty means no If-None-Match.</summary>
    public IReadOnlyList<string> IfNoneMatch { get; init; } = [];
    public static readonly WriteConditions None = new();

    /// <summary>RFC 9110 §13.1 against the current DAV ETag (null: the resource is absent).</summary>
    public bool HoldFor(string? currentETag)
    {
        // If-Match uses the strong comparison: weak tags never match.
        if (IfMatch.Count > 0 && (currentETag is null || !IfMatch.Any(t => t.Trim() == "*" || t.Trim() == currentETag)))
            return false;
        // If-None-Match uses the weak comparison.
        if (IfNoneMatch.Count > 0 && currentETag is not null && IfNoneMatch.Any(t => t.Trim() == "*" || Opaque(t) == Opaque(currentETag)))
            return false;
        return true;
    }

    static string Opaque(string tag)
    {
        tag = tag.Trim();
        return tag.StartsWith("W/", StringComparison.Ordinal) ? tag[2..] : tag;
    }
}

/// <summary><see cref="QuotaExceeded"/>: the write would pass the owner's quota and changed nothing.</summary>
public enum WriteStatus { Created, Updated, Deleted, PreconditionFailed, UidConflict, CalendarNotFound, NotFound, Conflict, QuotaExceeded }

/// <summary>The outcome of a write. <see cref="ConflictingName"/> is set for <see cref="WriteStatus.UidConflict"/>.</summary>
public sealed record WriteResult(WriteStatus Status, string? ETag = null, string? ConflictingName = null, string? ConflictingCalendar = null);

/// <summary>One entry of the change log: the latest state of a name after a revision.</summary>
public sealed record ChangeEntry(string Name, bool Deleted, long Revision);

/// <summary>Changes after a revision: each name once, with its newest state; null when the revision is unknown.</summary>
public sealed record ChangeSet(long Revision, IReadOnlyList<ChangeEntry> Changes);

/// <summary>
/// What the index can rule out before any body is read: the component kind, and a time range that the
/// object's recurrence-set envelope must overlap. Null fields do not filter.
/// </summary>
public sealed record ObjectQuery(string? Component, DateTimeOffset? Start, DateTimeOffset? End)
{
    public static readonly ObjectQuery All = new(null, null, null);
}

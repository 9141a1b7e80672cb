using Azure.Data.Tables;
using Caldera.Storage.Quota;

namespace Caldera.Storage;

/// <summary>
/// Row keys and entity mapping of the calendars table (PartitionKey = owner). Object, UID and change rows are
/// keyed by the calendar's incarnation id, never its name, so a re-created calendar never sees old rows.
/// </summary>
static class CalendarRows
{
    public const string CalendarKind = "cal", ObjectKind = "obj", UidKind = "uid", ChangeKind = "chg", BucketKind = "tb";

    /// <summary>
    /// Bodies up to this size are kept inline in the index, change and bucket rows as well as in their blob, so a
    /// cold read of a page of rows needs no blob. Azure Tables allow 64 KiB per binary property; half keeps a write's
    /// transaction (up to four copies) small.
    /// </summary>
    public const int InlineBodyLimit = 32 * 1024;

    /// <summary>
    /// Index layout of a calendar row: 2 = time-bucket rows and inline bodies are written for every object, so cold
    /// time-range queries may read buckets. Calendars made before it (no value) are queried over their whole index.
    /// </summary>
    public const int CurrentIndexVersion = 2;

    /// <summary>
    /// Dead properties of a calendar (its row) or an object (its index row, and so its change and bucket rows). The engine
    /// bounds them to 16 KiB of XML, well inside a 64 KiB string property and beside a 32 KiB inline body.
    /// </summary>
    public const string DeadPropertiesColumn = "DeadProps";

    /// <summary>The Schedule-Tag of a scheduling object resource (index, change and bucket rows), absent otherwise.</summary>
    public const string ScheduleTagColumn = "SchedTag";

    /// <summary>Set on index rows whose time-bucket rows exist (every row written since buckets were introduced).</summary>
    public const string HasBucketsColumn = "Buckets";

    public static string Calendar(string name) => $"{CalendarKind}|{KeyEncoder.EncodeKey(name)}";
    public static string Object(string calendarId, string name) => $"{ObjectKind}|{calendarId}|{KeyEncoder.EncodeKey(name)}";
    public static string Uid(string calendarId, string uid) => $"{UidKind}|{calendarId}|{KeyEncoder.Hash(uid)}";
    public static string Change(string calendarId, long revision) => $"{ChangeKind}|{calendarId}|{revision:D19}";

    /// <summary>The key prefix of one kind of row of one calendar incarnation (for range queries).</summary>
    public static string Scope(string kind, string calendarId) => $"{kind}|{calendarId}";

    public static string Id(TableEntity calendar) => calendar.GetString("Id")!;
    public static bool HasBuckets(TableEntity calendar) => (calendar.GetInt32("IndexVersion") ?? 0) >= CurrentIndexVersion;
    public static long Revision(TableEntity calendar) => calendar.GetInt64("Revision") ?? 0;

    public static TableEntity FromCalendar(CalendarRecord c) => new(c.Owner, Calendar(c.Name))
    {
        ["Name"] = c.Name,
        ["Id"] = c.Id,
        ["DisplayName"] = c.DisplayName,
        ["Description"] = c.Description,
        ["Color"] = c.Color,
        ["Order"] = c.Order,
        ["TimeZone"] = c.TimeZone,
        ["Components"] = string.Join(',', c.Components),
        ["Revision"] = c.Revision,
        ["Created"] = c.Created,
        ["Modified"] = c.Modified,
        ["IndexVersion"] = c.IndexVersion,
        [DeadPropertiesColumn] = c.DeadProperties,
        [UsageColumns.Objects] = c.UsedObjects ?? 0,
        [UsageColumns.Bytes] = c.UsedBytes ?? 0,
    };

    public static CalendarRecord ToCalendar(TableEntity e) => new()
    {
        Owner = e.PartitionKey,
        Name = e.GetString("Name")!,
        Id = Id(e),
        DisplayName = e.GetString("DisplayName"),
        Description = e.GetString("Description"),
        Color = e.GetString("Color"),
        Order = e.GetInt32("Order"),
        TimeZone = e.GetString("TimeZone"),
        Components = (e.GetString("Components") ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries),
        Revision = Revision(e),
        Created = e.GetDateTimeOffset("Created") ?? default,
        Modified = e.GetDateTimeOffset("Modified") ?? default,
        IndexVersion = e.GetInt32("IndexVersion") ?? 0,
        DeadProperties = e.GetString(DeadPropertiesColumn),
        UsedObjects = e.GetInt64(UsageColumns.Objects),
        UsedBytes = e.GetInt64(UsageColumns.Bytes),
    };

    /// <summary>Applies property changes in place: removals clear, non-null values set; false (nothing changed) when the dead-property edit refuses.</summary>
    public static bool Apply(TableEntity e, CalendarPropertyChanges changes)
    {
        if (changes.DeadProperties is { } edit)
        {
            if (!edit(e.GetString(DeadPropertiesColumn), out var dead))
                return false;
            SetDeadProperties(e, dead);
        }
        Set(e, "DisplayName", changes.DisplayName, changes.Removed);
        Set(e, "Description", changes.Description, changes.Removed);
        Set(e, "Color", changes.Color, changes.Removed);
        Set(e, "Order", changes.Order, changes.Removed);
        Set(e, "TimeZone", changes.TimeZone, changes.Removed);
        return true;
    }

    /// <summary>Sets or (null) clears the dead-property column of a calendar or index row.</summary>
    public static void SetDeadProperties(TableEntity e, string? dead)
    {
        if (dead is null)
            e.Remove(DeadPropertiesColumn);
        else
            e[DeadPropertiesColumn] = dead;
    }

    static void Set(TableEntity e, string property, object? value, IReadOnlyCollection<string> removed)
    {
        if (removed.Contains(property, StringComparer.OrdinalIgnoreCase))
            e.Remove(property);
        else if (value is not null)
            e[property] = value;
    }

    /// <summary>A copy of a row (its properties and table ETag), to change without touching the original.</summary>
    public static TableEntity Copy(TableEntity row)
    {
        var copy = new TableEntity(row) { ETag = row.ETag };
        return copy;
    }

    /// <summary>The calendar row with the next revision (replaced with its table ETag in a transaction).</summary>
    public static TableEntity Bump(TableEntity calendar, long revision, DateTimeOffset now)
    {
        calendar["Revision"] = revision;
        calendar["Modified"] = now;
        return calendar;
    }

    public static TableEntity FromObject(string owner, string calendarId, ObjectRecord o) => WithObject(new(owner, Object(calendarId, o.Name)), o);

    /// <summary>Writes an index record's fields into a row (index, change and bucket rows carry the same ones).</summary>
    public static TableEntity WithObject(TableEntity row, ObjectRecord o)
    {
        row["Name"] = o.Name;
        row["ETag"] = o.ETag;
        row["Uid"] = o.Uid;
        row["Component"] = o.Component;
        row["Size"] = o.Size;
        row["LastModified"] = o.LastModified;
        row["BlobName"] = o.BlobName;
        row["RangeStart"] = o.RangeStart;
        row["RangeEnd"] = o.RangeEnd;
        row["EnvelopeStart"] = o.RangeStart ?? EnvelopeMin;
        row["EnvelopeEnd"] = o.RangeEnd ?? EnvelopeMax;
        row["Recurring"] = o.Recurring;
        row["EnvelopeExact"] = o.EnvelopeExact;
        row[HasBucketsColumn] = true;
        if (o.Body is { Length: <= InlineBodyLimit } body)
            row["Body"] = body;
        if (o.DeadProperties is { } dead)
            row[DeadPropertiesColumn] = dead;
        if (o.ScheduleTag is { } tag)
            row[ScheduleTagColumn] = tag;
        return row;
    }

    /// <summary>
    /// Open ends of the envelope, stored as the extremes the table service accepts: a filter cannot test
    /// for a missing property, so "unknown start" and "never ends" must be real values.
    /// </summary>
    public static readonly DateTimeOffset EnvelopeMin = new(1601, 1, 2, 0, 0, 0, TimeSpan.Zero);
    public static readonly DateTimeOffset EnvelopeMax = new(9999, 12, 30, 0, 0, 0, TimeSpan.Zero);

    public static ObjectRecord ToObject(TableEntity e) => new()
    {
        Name = e.GetString("Name")!,
        ETag = e.GetString("ETag")!,
        Uid = e.GetString("Uid")!,
        Component = e.GetString("Component")!,
        Size = e.GetInt64("Size") ?? 0,
        LastModified = e.GetDateTimeOffset("LastModified") ?? default,
        BlobName = e.GetString("BlobName")!,
        RangeStart = e.GetDateTimeOffset("RangeStart"),
        RangeEnd = e.GetDateTimeOffset("RangeEnd"),
        Recurring = e.GetBoolean("Recurring") ?? false,
        EnvelopeExact = e.GetBoolean("EnvelopeExact") ?? false,
        Body = e.GetBinary("Body"),
        DeadProperties = e.GetString(DeadPropertiesColumn),
        ScheduleTag = e.GetString(ScheduleTagColumn),
    };

    /// <summary>The columns of an index record without the body (listings that need no body transfer less).</summary>
    public static readonly IReadOnlyList<string> RecordColumns =
        ["Name", "ETag", "Uid", "Component", "Size", "LastModified", "BlobName", "RangeStart", "RangeEnd", "Recurring", "EnvelopeExact", DeadPropertiesColumn, ScheduleTagColumn];

    public static TableEntity UidRow(string owner, string calendarId, string uid, string name) =>
        new(owner, Uid(calendarId, uid)) { ["Uid"] = uid, ["Name"] = name };

    /// <summary>
    /// A change-log row. A change that leaves the object in place carries its new index record (with the inline body),
    /// so an instance's snapshot is brought forward from the change rows alone, without reading the index again.
    /// </summary>
    public static TableEntity ChangeRow(string owner, string calendarId, long revision, string name, bool deleted, ObjectRecord? record = null)
    {
        var row = new TableEntity(owner, Change(calendarId, revision));
        if (record is not null && !deleted)
        {
            WithObject(row, record);
            row["HasRecord"] = true;
        }
        row["Name"] = name;
        row["Deleted"] = deleted;
        return row;
    }

    /// <summary>The revision a change row records.</summary>
    public static long ChangeRevision(TableEntity row) => long.Parse(row.RowKey.AsSpan(row.RowKey.LastIndexOf('|') + 1));

    /// <summary>The index record a change row carries, or null (a deletion, or a row written before records were kept).</summary>
    public static ObjectRecord? ChangeRecord(TableEntity row) =>
        row.GetBoolean("HasRecord") == true && row.GetBoolean("Deleted") != true ? ToObject(row) : null;
}

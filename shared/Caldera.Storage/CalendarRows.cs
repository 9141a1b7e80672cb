using Azure.Data.Tables;

namespace Caldera.Storage;

/// <summary>
/// Row keys and entity mapping of the calendars table (PartitionKey = owner). Object, UID and change rows are
/// keyed by the calendar's incarnation id, never its name, so a re-created calendar never sees old rows.
/// </summary>
static class CalendarRows
{
    public const string CalendarKind = "cal", ObjectKind = "obj", UidKind = "uid", ChangeKind = "chg";

    public static string Calendar(string name) => $"{CalendarKind}|{KeyEncoder.EncodeKey(name)}";
    public static string Object(string calendarId, string name) => $"{ObjectKind}|{calendarId}|{KeyEncoder.EncodeKey(name)}";
    public static string Uid(string calendarId, string uid) => $"{UidKind}|{calendarId}|{KeyEncoder.Hash(uid)}";
    public static string Change(string calendarId, long revision) => $"{ChangeKind}|{calendarId}|{revision:D19}";

    /// <summary>The key prefix of one kind of row of one calendar incarnation (for range queries).</summary>
    public static string Scope(string kind, string calendarId) => $"{kind}|{calendarId}";

    public static string Id(TableEntity calendar) => calendar.GetString("Id")!;
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
    };

    /// <summary>Applies property changes in place: removals clear, non-null values set.</summary>
    public static void Apply(TableEntity e, CalendarPropertyChanges changes)
    {
        Set(e, "DisplayName", changes.DisplayName, changes.Removed);
        Set(e, "Description", changes.Description, changes.Removed);
        Set(e, "Color", changes.Color, changes.Removed);
        Set(e, "Order", changes.Order, changes.Removed);
        Set(e, "TimeZone", changes.TimeZone, changes.Removed);
    }

    static void Set(TableEntity e, string property, object? value, IReadOnlyCollection<string> removed)
    {
        if (removed.Contains(property, StringComparer.OrdinalIgnoreCase))
            e.Remove(property);
        else if (value is not null)
            e[property] = value;
    }

    /// <summary>The calendar row with the next revision (replaced with its table ETag in a transaction).</summary>
    public static TableEntity Bump(TableEntity calendar, long revision, DateTimeOffset now)
    {
        calendar["Revision"] = revision;
        calendar["Modified"] = now;
        return calendar;
    }

    public static TableEntity FromObject(string owner, string calendarId, ObjectRecord o) => new(owner, Object(calendarId, o.Name))
    {
        ["Name"] = o.Name,
        ["ETag"] = o.ETag,
        ["Uid"] = o.Uid,
        ["Component"] = o.Component,
        ["Size"] = o.Size,
        ["LastModified"] = o.LastModified,
        ["BlobName"] = o.BlobName,
        ["RangeStart"] = o.RangeStart,
        ["RangeEnd"] = o.RangeEnd,
        ["EnvelopeStart"] = o.RangeStart ?? EnvelopeMin,
        ["EnvelopeEnd"] = o.RangeEnd ?? EnvelopeMax,
        ["Recurring"] = o.Recurring,
    };

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
    };

    public static TableEntity UidRow(string owner, string calendarId, string uid, string name) =>
        new(owner, Uid(calendarId, uid)) { ["Uid"] = uid, ["Name"] = name };

    public static TableEntity ChangeRow(string owner, string calendarId, long revision, string name, bool deleted) =>
        new(owner, Change(calendarId, revision)) { ["Name"] = name, ["Deleted"] = deleted };
}

using Caldera.Storage;

namespace Caldera.Calendars.Providers.Store;

/// <summary>A calendar kept in Caldera's own tables and blobs: writable, manageable, with a change log.</summary>
public sealed class StoreCalendar(CalendarRecord record, ICalendarStore store, CalendarPrivileges privileges)
    : IWritableCalendar, IManageableCalendar, ILimitedChangeLog
{
    public CalendarRecord Record => record;
    public string Uri => record.Name;
    public string Owner => record.Owner;
    public string? DisplayName => record.DisplayName;
    public string? Description => record.Description;
    public string? Color => record.Color;
    public int? Order => record.Order;
    public string? TimeZone => record.TimeZone;
    public IReadOnlyList<string> SupportedComponents => record.Components;
    public string CTag => StoreSyncToken.Format(record.Id, record.Revision);
    public string? SyncToken => CTag;
    public DateTimeOffset? LastModified => record.Modified;
    public CalendarPrivileges Privileges => privileges;
    public string? DeadProperties => record.DeadProperties;

    public async Task<IReadOnlyList<ICalendarObject>> GetObjectsAsync(CancellationToken ct) =>
        Wrap(await store.ListObjectsAsync(record, ct));

    public async Task<IReadOnlyList<ICalendarObject>> FindCandidatesAsync(ObjectQuery query, CancellationToken ct) =>
        Wrap(await store.QueryObjectsAsync(record, query, ct));

    public async Task<ICalendarObject?> GetObjectAsync(string name, CancellationToken ct) =>
        await store.GetObjectAsync(record, name, ct) is { } o ? new StoreCalendarObject(o, store) : null;

    public async Task<IReadOnlyList<ICalendarObject>> GetObjectsAsync(IReadOnlyCollection<string> names, CancellationToken ct) =>
        names.Count == 0 ? [] : Wrap(await store.GetObjectsAsync(record, names, ct));

    public async Task<CalendarChanges?> GetChangesAsync(string syncToken, CancellationToken ct)
    {
        if (!StoreSyncToken.TryParse(syncToken, record.Id, out var since))
            return null;
        var changes = await store.GetChangesAsync(record, since, ct);
        if (changes is null)
            return null;
        return new CalendarChanges(StoreSyncToken.Format(record.Id, changes.Revision),
            changes.Changes.Select(c => new ChangedName(c.Name, c.Deleted)).ToList());
    }

    /// <summary>
    /// A page of the change log (see <see cref="ILimitedChangeLog"/>). The log starts at revision 0 (the calendar's
    /// creation) and is never trimmed, so an initial sync is the log read from 0 without deletions. When more than
    /// <paramref name="limit"/> names changed, the page ends just before the revision of the first name left out.
    /// </summary>
    public async Task<ChangePage?> GetChangesAsync(string? syncToken, int limit, CancellationToken ct)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        long since = 0;
        if (syncToken is not null && !StoreSyncToken.TryParse(syncToken, record.Id, out since))
            return null;
        var changes = await store.GetChangesAsync(record, since, ct);
        if (changes is null)
            return null;
        var entries = syncToken is null ? changes.Changes.Where(c => !c.Deleted).ToList() : changes.Changes.ToList();
        if (entries.Count <= limit)
            return new ChangePage(StoreSyncToken.Format(record.Id, changes.Revision), Names(entries), Truncated: false);
        var firstLeftOut = entries[limit].Revision;
        var page = entries.TakeWhile(c => c.Revision < firstLeftOut).ToList();
        return page.Count == 0
            ? new ChangePage(StoreSyncToken.Format(record.Id, since), [], Truncated: true, Unsplittable: true)
            : new ChangePage(StoreSyncToken.Format(record.Id, firstLeftOut - 1), Names(page), Truncated: true);

        static List<ChangedName> Names(IEnumerable<ChangeEntry> list) => list.Select(c => new ChangedName(c.Name, c.Deleted)).ToList();
    }

    public Task<WriteResult> PutObjectAsync(string name, ParsedCalendarObject data, WriteConditions conditions, CancellationToken ct) =>
        store.PutObjectAsync(record.Owner, record.Name, name, new ObjectWrite
        {
            Uid = data.Uid,
            Component = data.Component,
            Body = data.Body,
            RangeStart = data.RangeStart,
            RangeEnd = data.RangeEnd,
            Recurring = data.Recurring,
            EnvelopeExact = data.EnvelopeExact,
            ScheduleTag = data.ScheduleTag,
        }, conditions, ct);

    public Task<WriteResult> DeleteObjectAsync(string name, WriteConditions conditions, CancellationToken ct) =>
        store.DeleteObjectAsync(record.Owner, record.Name, name, conditions, ct);

    public async Task<bool> UpdatePropertiesAsync(CalendarPropertyChanges changes, CancellationToken ct) =>
        await store.UpdateCalendarAsync(record.Owner, record.Name, changes, ct) is not null;

    public Task<WriteResult> UpdateObjectPropertiesAsync(string name, DeadPropertiesEdit edit, CancellationToken ct) =>
        store.UpdateObjectPropertiesAsync(record.Owner, record.Name, name, edit, ct);

    /// <summary>COPY or MOVE to another stored calendar of the same owner: one transaction for the index.</summary>
    public Task<WriteResult> TransferAsync(string name, StoreCalendar target, string targetName, bool move, bool overwrite, CancellationToken ct) =>
        store.TransferObjectAsync(record.Owner, record.Name, name, target.Record.Name, targetName, move, overwrite, WriteConditions.None, ct);

    public Task<bool> DeleteAsync(CancellationToken ct) => store.DeleteCalendarAsync(record.Owner, record.Name, ct);

    IReadOnlyList<ICalendarObject> Wrap(IReadOnlyList<ObjectRecord> records) =>
        records.Select(r => (ICalendarObject)new StoreCalendarObject(r, store)).ToList();
}

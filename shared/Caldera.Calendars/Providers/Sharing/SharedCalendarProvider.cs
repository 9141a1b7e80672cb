using Caldera.Calendars.Providers.Store;
using Caldera.Storage;
using Caldera.Storage.Sharing;

namespace Caldera.Calendars.Providers.Sharing;

/// <summary>
/// Calendars other users have shared with the home owner (app id "shared", on for everyone by default in
/// <see cref="Registry.ProviderRegistry"/>). Each appears as <c>app-generated--shared--{owner}--{calendar}</c> and wraps the
/// owner's <see cref="StoreCalendar"/>: the same objects, ETags and sync tokens, so changes flow both ways.
/// The shares table is read on every request (no cache), so a revoked share is gone at the next request.
/// </summary>
public sealed class SharedCalendarProvider(IShareStore shares, ICalendarStore store) : ICalendarProvider
{
    public const string Id = "shared";
    const string Separator = "--";

    public string AppId => Id;

    /// <summary>The provider-local URI of a share.</summary>
    public static string UriFor(string owner, string calendar) => owner + Separator + calendar;

    /// <summary>Read-only: Read. Read-write: Read + WriteContent + Bind + Unbind (never WriteProperties; the calendar cannot be deleted).</summary>
    public static CalendarPrivileges PrivilegesFor(ShareAccess access) =>
        access == ShareAccess.ReadWrite ? CalendarPrivileges.ReadWrite : CalendarPrivileges.Read;

    public async Task<IReadOnlyList<ICalendar>> GetCalendarsAsync(CalendarContext context, IReadOnlyCollection<string>? calendarUris, CancellationToken ct)
    {
        if (context.HomeOwner != context.Principal)
            return [];
        var result = new List<ICalendar>();
        foreach (var share in await shares.GetForShareeAsync(context.HomeOwner, ct))
        {
            var uri = UriFor(share.Owner, share.Calendar);
            if (calendarUris is not null && !calendarUris.Contains(uri))
                continue;
            if (await OpenAsync(share, ct) is { } calendar)
                result.Add(calendar);
        }
        return result;
    }

    public async Task<bool> HasCalendarAsync(CalendarContext context, string calendarUri, CancellationToken ct) =>
        await GetCalendarAsync(context, calendarUri, ct) is not null;

    public async Task<ICalendar?> GetCalendarAsync(CalendarContext context, string calendarUri, CancellationToken ct)
    {
        if (context.HomeOwner != context.Principal)
            return null;
        var share = (await shares.GetForShareeAsync(context.HomeOwner, ct))
            .FirstOrDefault(s => UriFor(s.Owner, s.Calendar) == calendarUri);
        return share is null ? null : await OpenAsync(share, ct);
    }

    async Task<ICalendar?> OpenAsync(CalendarShare share, CancellationToken ct)
    {
        if (share.Owner == share.Sharee)
            return null;
        var record = await store.GetCalendarAsync(share.Owner, share.Calendar, ct);
        // The share names the incarnation it was made for: a calendar deleted and made again is not shared.
        return record is null || record.Id != share.CalendarId ? null : new SharedCalendar(UriFor(share.Owner, share.Calendar), new StoreCalendar(record, store, PrivilegesFor(share.Access)));
    }
}

/// <summary>
/// The owner's calendar as a sharee sees it: objects and changes are the owner's, writes go to the owner's store
/// (the engine checks <see cref="Privileges"/> first). Not <see cref="IManageableCalendar"/>: a sharee can neither
/// change the calendar's properties nor delete it.
/// </summary>
public sealed class SharedCalendar(string uri, StoreCalendar inner) : IWritableCalendar, ILimitedChangeLog
{
    public string Uri => uri;
    public string Owner => inner.Owner;
    public string? DisplayName => inner.DisplayName;
    public string? Description => inner.Description;
    public string? Color => inner.Color;
    public int? Order => inner.Order;
    public string? TimeZone => inner.TimeZone;
    public IReadOnlyList<string> SupportedComponents => inner.SupportedComponents;
    public string CTag => inner.CTag;
    public string? SyncToken => inner.SyncToken;
    public DateTimeOffset? LastModified => inner.LastModified;
    public CalendarPrivileges Privileges => inner.Privileges;
    /// <summary>The owner's: a sharee may read the calendar, so its properties, but never write them.</summary>
    public string? DeadProperties => inner.DeadProperties;

    public Task<IReadOnlyList<ICalendarObject>> GetObjectsAsync(CancellationToken ct) => inner.GetObjectsAsync(ct);
    public Task<ICalendarObject?> GetObjectAsync(string name, CancellationToken ct) => inner.GetObjectAsync(name, ct);
    public Task<IReadOnlyList<ICalendarObject>> GetObjectsAsync(IReadOnlyCollection<string> names, CancellationToken ct) => inner.GetObjectsAsync(names, ct);
    public Task<IReadOnlyList<ICalendarObject>> FindCandidatesAsync(ObjectQuery query, CancellationToken ct) => inner.FindCandidatesAsync(query, ct);
    public Task<CalendarChanges?> GetChangesAsync(string syncToken, CancellationToken ct) => inner.GetChangesAsync(syncToken, ct);
    public Task<ChangePage?> GetChangesAsync(string? syncToken, int limit, CancellationToken ct) => inner.GetChangesAsync(syncToken, limit, ct);

    public Task<WriteResult> PutObjectAsync(string name, ParsedCalendarObject data, WriteConditions conditions, CancellationToken ct) =>
        Privileges.HasFlag(CalendarPrivileges.WriteContent)
            ? inner.PutObjectAsync(name, data, conditions, ct)
            : throw new UnauthorizedAccessException("the share is read-only");

    public Task<WriteResult> DeleteObjectAsync(string name, WriteConditions conditions, CancellationToken ct) =>
        Privileges.HasFlag(CalendarPrivileges.Unbind)
            ? inner.DeleteObjectAsync(name, conditions, ct)
            : throw new UnauthorizedAccessException("the share is read-only");
}

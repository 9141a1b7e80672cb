namespace Caldera.Calendars.Providers.Subscriptions;

/// <summary>
/// A read-only calendar showing a feed's last good copy. Its description and {urn:x-caldera}feed-status say how the feed is doing. It keeps no
/// change log, so it has no sync token: the engine leaves sync-collection out of its supported-report-set and
/// answers a sync-collection REPORT with 403 DAV:supported-report; clients fall back to ctag/ETag comparison.
/// </summary>
public sealed class IcsSubscriptionCalendar(FeedDefinition feed, string owner, FeedSnapshot snapshot) : ICalendar, IFeedStatus
{
    static readonly IReadOnlyList<string> Components = ["VEVENT", "VTODO", "VJOURNAL"];

    readonly IReadOnlyList<ICalendarObject> _objects = snapshot.Objects
        .Select(o => (ICalendarObject)new IcsSubscriptionObject(o, snapshot.FetchedAt ?? DateTimeOffset.UnixEpoch)).ToList();

    public FeedSnapshot Snapshot => snapshot;
    public string Uri => feed.Uri;
    public string Owner => owner;
    public string? DisplayName => feed.Name ?? feed.Uri;
    public string? Description => snapshot.Status;
    public string FeedStatus => snapshot.Status;
    public Uri Source => feed.Url;
    public string? Color => null;
    public int? Order => null;
    public string? TimeZone => null;
    public IReadOnlyList<string> SupportedComponents => Components;
    public string CTag => snapshot.CTag;
    public string? SyncToken => null;
    public DateTimeOffset? LastModified => snapshot.FetchedAt;
    public CalendarPrivileges Privileges => CalendarPrivileges.Read;

    public Task<IReadOnlyList<ICalendarObject>> GetObjectsAsync(CancellationToken ct) => Task.FromResult(_objects);

    public Task<ICalendarObject?> GetObjectAsync(string name, CancellationToken ct) =>
        Task.FromResult(_objects.FirstOrDefault(o => o.Name == name));

    public Task<IReadOnlyList<ICalendarObject>> GetObjectsAsync(IReadOnlyCollection<string> names, CancellationToken ct) =>
        Task.FromResult<IReadOnlyList<ICalendarObject>>(_objects.Where(o => names.Contains(o.Name)).ToList());

    /// <summary>No change log: every token is invalid here.</summary>
    public Task<CalendarChanges?> GetChangesAsync(string syncToken, CancellationToken ct) => Task.FromResult<CalendarChanges?>(null);
}

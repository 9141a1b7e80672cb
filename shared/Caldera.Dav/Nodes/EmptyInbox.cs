using Caldera.Calendars.Providers;
using Caldera.Calendars.Scheduling;

namespace Caldera.Dav.Nodes;

/// <summary>
/// The inbox of a user who has received nothing yet: the store calendar "inbox" is made on first delivery, and until
/// then the collection exists with no members (RFC 6638 §2.2 requires it to be there for discovery). Its sync token is
/// its own: once the real inbox exists the client is told to sync from scratch (DAV:valid-sync-token), as RFC 6578 §3.2 allows.
/// </summary>
public sealed class EmptyInbox(string owner) : ICalendar, ILimitedChangeLog
{
    public const string Token = "urn:caldera:sync:empty-inbox";

    public string Uri => ScheduleCollections.Inbox;
    public string Owner => owner;
    public string? DisplayName => null;
    public string? Description => null;
    public string? Color => null;
    public int? Order => null;
    public string? TimeZone => null;
    public IReadOnlyList<string> SupportedComponents { get; } = ["VEVENT", "VTODO"];
    public string CTag => Token;
    public string? SyncToken => Token;
    public DateTimeOffset? LastModified => null;
    public CalendarPrivileges Privileges => CalendarPrivileges.Read | CalendarPrivileges.Unbind;

    public Task<IReadOnlyList<ICalendarObject>> GetObjectsAsync(CancellationToken ct) => Task.FromResult<IReadOnlyList<ICalendarObject>>([]);
    public Task<ICalendarObject?> GetObjectAsync(string name, CancellationToken ct) => Task.FromResult<ICalendarObject?>(null);
    public Task<IReadOnlyList<ICalendarObject>> GetObjectsAsync(IReadOnlyCollection<string> names, CancellationToken ct) => GetObjectsAsync(ct);

    public Task<CalendarChanges?> GetChangesAsync(string syncToken, CancellationToken ct) =>
        Task.FromResult(syncToken == Token ? new CalendarChanges(Token, []) : null);

    public Task<ChangePage?> GetChangesAsync(string? syncToken, int limit, CancellationToken ct) =>
        Task.FromResult(syncToken is null or Token ? new ChangePage(Token, [], Truncated: false) : null);
}

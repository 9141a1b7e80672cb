using System.Collections.Concurrent;
using Caldera.Calendars.Providers;
using Caldera.Storage;

namespace Caldera.Functions.Tests.Imip;

/// <summary>A provider calendar that takes iMIP itself (the seed's IHandleIMipMessage): it records what it was given.</summary>
public sealed class ImipSinkProvider : ICalendarProvider
{
    public const string Id = "imip-sink";
    public static readonly ConcurrentQueue<(string Owner, string Name, string Data)> Received = new();
    public string AppId => Id;
    public bool MayHandleImip => true;

    public Task<IReadOnlyList<ICalendar>> GetCalendarsAsync(CalendarContext context, IReadOnlyCollection<string>? calendarUris, CancellationToken ct) =>
        Task.FromResult<IReadOnlyList<ICalendar>>([new ImipTestCalendar(context.HomeOwner, (name, data) => Received.Enqueue((context.HomeOwner, name, data)))]);
    public Task<bool> HasCalendarAsync(CalendarContext context, string calendarUri, CancellationToken ct) => Task.FromResult(calendarUri == "inbox");
    public async Task<ICalendar?> GetCalendarAsync(CalendarContext context, string calendarUri, CancellationToken ct) =>
        calendarUri == "inbox" ? (await GetCalendarsAsync(context, null, ct))[0] : null;
}

/// <summary>A provider calendar whose iMIP handling always fails, as a broken dependency would: the queue must retry, then give up.</summary>
public sealed class ExplodingImipProvider : ICalendarProvider
{
    public const string Id = "imip-bomb";
    public static int Attempts;
    public string AppId => Id;
    public bool MayHandleImip => true;

    public Task<IReadOnlyList<ICalendar>> GetCalendarsAsync(CalendarContext context, IReadOnlyCollection<string>? calendarUris, CancellationToken ct) =>
        Task.FromResult<IReadOnlyList<ICalendar>>([new ImipTestCalendar(context.HomeOwner, (_, _) =>
        {
            Interlocked.Increment(ref Attempts);
            throw new IOException("the downstream calendar is unreachable");
        })]);
    public Task<bool> HasCalendarAsync(CalendarContext context, string calendarUri, CancellationToken ct) => Task.FromResult(calendarUri == "inbox");
    public async Task<ICalendar?> GetCalendarAsync(CalendarContext context, string calendarUri, CancellationToken ct) =>
        calendarUri == "inbox" ? (await GetCalendarsAsync(context, null, ct))[0] : null;
}

/// <summary>A provider calendar that fails the first time it sees a message and takes it the next: a transient fault.</summary>
public sealed class FlakyImipProvider : ICalendarProvider
{
    public const string Id = "imip-flaky";
    static readonly ConcurrentDictionary<string, int> Seen = new();
    public static readonly ConcurrentQueue<string> Taken = new();
    public string AppId => Id;
    public bool MayHandleImip => true;

    public Task<IReadOnlyList<ICalendar>> GetCalendarsAsync(CalendarContext context, IReadOnlyCollection<string>? calendarUris, CancellationToken ct) =>
        Task.FromResult<IReadOnlyList<ICalendar>>([new ImipTestCalendar(context.HomeOwner, (name, _) =>
        {
            if (Seen.AddOrUpdate(name, 1, (_, n) => n + 1) == 1)
                throw new TimeoutException("the calendar backend timed out");
            Taken.Enqueue(name);
        })]);
    public Task<bool> HasCalendarAsync(CalendarContext context, string calendarUri, CancellationToken ct) => Task.FromResult(calendarUri == "inbox");
    public async Task<ICalendar?> GetCalendarAsync(CalendarContext context, string calendarUri, CancellationToken ct) =>
        calendarUri == "inbox" ? (await GetCalendarsAsync(context, null, ct))[0] : null;
}

sealed class ImipTestCalendar(string owner, Action<string, string> handle) : IHandleImipMessage
{
    public string Uri => "inbox";
    public string Owner => owner;
    public string? DisplayName => "Invitations";
    public string? Description => null;
    public string? Color => null;
    public int? Order => null;
    public string? TimeZone => null;
    public IReadOnlyList<string> SupportedComponents => ["VEVENT"];
    public string CTag => "1";
    public string? SyncToken => null;
    public DateTimeOffset? LastModified => null;
    public CalendarPrivileges Privileges => CalendarPrivileges.Read;
    public Task<IReadOnlyList<ICalendarObject>> GetObjectsAsync(CancellationToken ct) => Task.FromResult<IReadOnlyList<ICalendarObject>>([]);
    public Task<ICalendarObject?> GetObjectAsync(string name, CancellationToken ct) => Task.FromResult<ICalendarObject?>(null);
    public Task<IReadOnlyList<ICalendarObject>> GetObjectsAsync(IReadOnlyCollection<string> names, CancellationToken ct) => GetObjectsAsync(ct);
    public Task<CalendarChanges?> GetChangesAsync(string syncToken, CancellationToken ct) => Task.FromResult<CalendarChanges?>(null);

    public Task HandleImipMessageAsync(string name, string calendarData, CancellationToken ct)
    {
        handle(name, calendarData);
        return Task.CompletedTask;
    }
}

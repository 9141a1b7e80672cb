using Caldera.Storage;

namespace Caldera.Calendars.Providers.Store;

/// <summary>
/// The built-in provider: the home owner's own calendars from Caldera's store. Only the owner gets them;
/// sharing comes from another provider.
/// </summary>
public sealed class StoreCalendarProvider(ICalendarStore store) : ICalendarProvider
{
    public const string Id = "store";

    public string AppId => Id;

    public async Task<IReadOnlyList<ICalendar>> GetCalendarsAsync(CalendarContext context, IReadOnlyCollection<string>? calendarUris, CancellationToken ct)
    {
        if (!IsOwner(context))
            return [];
        var records = await store.ListCalendarsAsync(context.HomeOwner, ct);
        return records
            .Where(r => calendarUris is null || calendarUris.Contains(r.Name))
            .Select(r => (ICalendar)new StoreCalendar(r, store, CalendarPrivileges.All))
            .ToList();
    }

    public async Task<bool> HasCalendarAsync(CalendarContext context, string calendarUri, CancellationToken ct) =>
        await GetCalendarAsync(context, calendarUri, ct) is not null;

    public async Task<ICalendar?> GetCalendarAsync(CalendarContext context, string calendarUri, CancellationToken ct)
    {
        if (!IsOwner(context))
            return null;
        var record = await store.GetCalendarAsync(context.HomeOwner, calendarUri, ct);
        return record is null ? null : new StoreCalendar(record, store, CalendarPrivileges.All);
    }

    /// <summary>Creates a calendar in the owner's store; false if the name is taken.</summary>
    public Task<bool> CreateCalendarAsync(string owner, string name, CalendarPropertyChanges initial, IReadOnlyList<string> components, DateTimeOffset now, CancellationToken ct) =>
        store.CreateCalendarAsync(new CalendarRecord
        {
            Owner = owner,
            Name = name,
            Id = Guid.NewGuid().ToString("N"),
            DisplayName = initial.DisplayName,
            Description = initial.Description,
            Color = initial.Color,
            Order = initial.Order,
            TimeZone = initial.TimeZone,
            // Properties kept as dead ones from the start (MKCALENDAR's schedule-calendar-transp); a refused edit keeps none.
            DeadProperties = initial.DeadProperties is { } edit && edit(null, out var dead) ? dead : null,
            Components = components,
            Created = now,
            Modified = now,
        }, ct);

    static bool IsOwner(CalendarContext context) => context.HomeOwner == context.Principal;
}

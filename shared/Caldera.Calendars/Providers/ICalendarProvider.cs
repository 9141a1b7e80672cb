namespace Caldera.Calendars.Providers;

/// <summary>
/// Adds calendars to a user's calendar home, lazily (the seed's <c>ICalendarProvider</c>): a home PROPFIND
/// asks each provider once for its calendars; a request for one calendar asks only its provider.
/// </summary>
public interface ICalendarProvider
{
    /// <summary>The app id; calendars of every provider but the built-in store appear as <c>app-generated--{AppId}--{uri}</c>.</summary>
    string AppId { get; }

    /// <summary>The calendars of the home in <paramref name="context"/>; only those in <paramref name="calendarUris"/> when given.</summary>
    Task<IReadOnlyList<ICalendar>> GetCalendarsAsync(CalendarContext context, IReadOnlyCollection<string>? calendarUris, CancellationToken ct);

    Task<bool> HasCalendarAsync(CalendarContext context, string calendarUri, CancellationToken ct);

    Task<ICalendar?> GetCalendarAsync(CalendarContext context, string calendarUri, CancellationToken ct);
    /// <summary>
    /// True if some of this provider's calendars implement <see cref="IHandleImipMessage"/>. iMIP ingestion opens
    /// only these providers (and the store), so a message never pays for listing feeds or shares.
    /// </summary>
    bool MayHandleImip => false;
}

/// <summary>Whose home is being read, who is asking, and the provider's registry configuration.</summary>
public sealed record CalendarContext(string HomeOwner, string Principal, string? Configuration = null);

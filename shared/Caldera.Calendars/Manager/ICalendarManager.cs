using Caldera.Calendars.Registry;
using Caldera.Storage;

namespace Caldera.Calendars.Manager;

/// <summary>A search over a principal's calendars: text in SUMMARY, DESCRIPTION or LOCATION and/or a time range.</summary>
public sealed record CalendarSearch
{
    public string? Text { get; init; }
    public DateTime? Start { get; init; }
    public DateTime? End { get; init; }
    /// <summary>Only these calendars (home segments); null means all.</summary>
    public IReadOnlyCollection<string>? CalendarUris { get; init; }
    public int Limit { get; init; } = 100;
}

/// <summary>One object a search found, with its calendar's segment in the home.</summary>
public sealed record CalendarSearchResult(string CalendarUri, string Name, string ETag, string Uid, string Component, string CalendarData);

/// <summary>
/// The app-facing layer of the seed (<c>IManager</c>): other code asks for a principal's calendars, searches
/// them, writes into them from a string and hands them iMIP data — through the same providers, privileges
/// and validation as CalDAV clients.
/// </summary>
public interface ICalendarManager
{
    Task<IReadOnlyList<HomeCalendar>> GetCalendarsAsync(string principal, IReadOnlyCollection<string>? calendarUris, CancellationToken ct);
    Task<IReadOnlyList<CalendarSearchResult>> SearchAsync(string principal, CalendarSearch search, CancellationToken ct);
    /// <summary>Creates a new object (the seed's <c>createFromString</c>); <see cref="CalendarDataException"/> for invalid data.</summary>
    Task<WriteResult> CreateFromStringAsync(string principal, string calendarUri, string name, string calendarData, CancellationToken ct);
    /// <summary>Hands iMIP data to a calendar that implements <see cref="Providers.IHandleImipMessage"/>; false if it does not.</summary>
    Task<bool> HandleImipMessageAsync(string principal, string calendarUri, string name, string calendarData, CancellationToken ct);
}

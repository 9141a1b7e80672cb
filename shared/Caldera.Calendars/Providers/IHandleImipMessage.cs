namespace Caldera.Calendars.Providers;

/// <summary>
/// A calendar that takes iMIP data itself (the seed's <c>IHandleIMipMessage</c>). The caller has already checked
/// the sender per RFC 6047 §3; the calendar validates and applies the iTIP content.
/// </summary>
public interface IHandleImipMessage : ICalendar
{
    Task HandleImipMessageAsync(string name, string calendarData, CancellationToken ct);
}

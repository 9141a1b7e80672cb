namespace Caldera.Calendars;

/// <summary>Why calendar data was refused; the engine maps each to its RFC 4791 §5.3.2 precondition element.</summary>
public enum CalendarDataError
{
    /// <summary>Not valid iCalendar (CALDAV:valid-calendar-data).</summary>
    InvalidData,
    /// <summary>Valid iCalendar but not a single calendar object resource (CALDAV:valid-calendar-object-resource).</summary>
    InvalidObjectResource,
    /// <summary>A component the calendar does not take (CALDAV:supported-calendar-component).</summary>
    UnsupportedComponent,
    /// <summary>Not text/calendar (CALDAV:supported-calendar-data).</summary>
    UnsupportedMediaType,
    /// <summary>Larger than the calendar takes (CALDAV:max-resource-size).</summary>
    TooLarge,
    /// <summary>A recurrence set longer than the server evaluates (CALDAV:max-instances).</summary>
    TooManyInstances,
}

public sealed class CalendarDataException(CalendarDataError error, string message) : Exception(message)
{
    public CalendarDataError Error { get; } = error;
}

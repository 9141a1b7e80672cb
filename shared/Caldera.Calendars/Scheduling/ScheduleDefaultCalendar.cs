using Caldera.Calendars.Accounts;
using Caldera.Calendars.Providers;

namespace Caldera.Calendars.Scheduling;

/// <summary>
/// The calendar new invitations go to (RFC 6638 §9.2 schedule-default-calendar-URL): the owner's calendar named
/// "default" if it takes the component, else the first by order and then name; never the inbox. One rule, used by
/// delivery and by the property, so what a client reads is where invitations land.
/// </summary>
public static class ScheduleDefaultCalendar
{
    public static (string Segment, T Calendar)? Choose<T>(IEnumerable<(string Segment, T Calendar)> own, string component)
        where T : ICalendar =>
        own.Where(c => !ScheduleCollections.IsReserved(c.Segment)
                && c.Calendar.SupportedComponents.Contains(component, StringComparer.OrdinalIgnoreCase))
            .OrderBy(c => c.Segment == AccountService.DefaultCalendarName ? 0 : 1)
            .ThenBy(c => c.Calendar.Order ?? int.MaxValue).ThenBy(c => c.Segment, StringComparer.Ordinal)
            .Select(c => ((string Segment, T Calendar)?)c)
            .FirstOrDefault();
}

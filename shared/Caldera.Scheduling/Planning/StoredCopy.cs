using Ical.Net;
using Ical.Net.CalendarComponents;
using Ical.Net.Serialization;

namespace Caldera.Scheduling.Planning;

/// <summary>
/// The copy the server stores after a scheduling write: SCHEDULE-STATUS set on the calendar users a message was due
/// to (RFC 6638 §3.2.9, §7.3 — and only on them), SCHEDULE-FORCE-SEND removed (§7.2: it applies to one request).
/// </summary>
internal static class StoredCopy
{
    /// <returns>The text to store, or null when it would not differ from what the client sent.</returns>
    public static string? Apply(Calendar sent, IReadOnlyDictionary<string, string> attendeeStatuses, string? organizerStatus)
    {
        if (!Edit(sent, attendeeStatuses, organizerStatus, dryRun: true))
            return null;
        var copy = Calendar.Load(new CalendarSerializer().SerializeToString(sent) ?? "")!;
        Edit(copy, attendeeStatuses, organizerStatus, dryRun: false);
        return (new CalendarSerializer().SerializeToString(copy) ?? "").ReplaceLineEndings("\r\n");
    }

    static bool Edit(Calendar calendar, IReadOnlyDictionary<string, string> attendeeStatuses, string? organizerStatus, bool dryRun)
    {
        var changes = false;
        foreach (var component in calendar.Children.OfType<UniqueComponent>().Where(c => c.Name is "VEVENT" or "VTODO"))
        {
            if (component.Organizer is { } organizer)
            {
                changes |= Set(organizer.Parameters, ScheduleParameters.ForceSend, null, dryRun);
                if (organizerStatus is not null)
                    changes |= Set(organizer.Parameters, ScheduleParameters.Status, organizerStatus, dryRun);
            }
            foreach (var attendee in component.Attendees)
            {
                changes |= Set(attendee.Parameters, ScheduleParameters.ForceSend, null, dryRun);
                if (SchedulingObject.AddressKey(attendee.Value) is { } key && attendeeStatuses.TryGetValue(key, out var status))
                    changes |= Set(attendee.Parameters, ScheduleParameters.Status, status, dryRun);
            }
        }
        return changes;
    }

    /// <summary>Sets (or with null removes) one parameter; whether that changed anything.</summary>
    static bool Set(IParameterCollection parameters, string name, string? value, bool dryRun)
    {
        var current = parameters.Get(name);
        if (current == value || (value is null && !parameters.Any(p => p.Name.Equals(name, StringComparison.OrdinalIgnoreCase))))
            return false;
        if (!dryRun)
        {
            parameters.Remove(name);
            if (value is not null)
                parameters.Set(name, value);
        }
        return true;
    }
}

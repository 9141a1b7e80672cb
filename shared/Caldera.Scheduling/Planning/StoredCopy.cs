using Ical.Net;
using Ical.Net.CalendarComponents;
using Ical.Net.DataTypes;
using Ical.Net.Serialization;

namespace Caldera.Scheduling.Planning;

/// <summary>
/// The copy the server stores after a scheduling write: SCHEDULE-STATUS set on the calendar users a message was due
/// to (RFC 6638 §3.2.9, §7.3 — and only on them), SCHEDULE-FORCE-SEND removed (§7.2: it applies to one request).
/// </summary>
internal static class StoredCopy
{
    /// <returns>
    /// The text to store, or null when it would not differ from what the client sent — or when rewriting it would lose
    /// a participant: Ical.Net reads some addresses (urn:, tel:) as null and would serialize the copy without them, so
    /// then the client's bytes are stored as sent, without the server's SCHEDULE-STATUS.
    /// </returns>
    public static string? Apply(Calendar sent, IReadOnlyDictionary<string, string> attendeeStatuses, string? organizerStatus)
    {
        if (!Edit(sent, attendeeStatuses, organizerStatus, dryRun: true) || HasUnreadableParticipant(sent))
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

    static bool HasUnreadableParticipant(Calendar calendar) =>
        calendar.Children.OfType<UniqueComponent>().SelectMany(c => c.Properties)
            .Any(p => p.Name is "ATTENDEE" or "ORGANIZER" && p.Value is not Attendee { Value: not null } and not Organizer { Value: not null });

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

using Caldera.Calendars;
using Caldera.Calendars.Providers;

namespace Caldera.Dav.Scheduling;

/// <summary>
/// X-CALENDARSERVER-MASK-UID in a free-busy request (CalendarServer's extension, sent by Apple Calendar while it edits an
/// event): the event with that UID is left out of the busy time, so the user does not see a conflict with the very event
/// being moved. Only when the requester organizes that event, or when it has no organizer and the busy time is the
/// requester's own: a mask must not hide someone else's event (CalendarServer applies the same rule).
/// </summary>
public sealed record BusyMask(string Uid, string RequesterEmail, bool RequesterIsAttendee)
{
    /// <summary>Whether the object, whose body is <paramref name="text"/>, is left out of the busy time.</summary>
    public bool Hides(ICalendarObject o, string text)
    {
        if (!o.Uid.Equals(Uid, StringComparison.Ordinal))
            return false;
        var organizer = OrganizerOf(text);
        return organizer is null
            ? RequesterIsAttendee
            : CalendarUserAddress.Email(organizer) is { } email && email.Equals(RequesterEmail, StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>The first ORGANIZER value (unfolded, parameters skipped), or null when there is none.</summary>
    static string? OrganizerOf(string text) =>
        ICalendarLineScanner.Unfold(text).FirstOrDefault(l => ICalendarLineScanner.IsProperty(l, "ORGANIZER")) is { } line
            ? ICalendarLineScanner.ValueOf(line).Trim()
            : null;
}

using Ical.Net;
using Ical.Net.CalendarComponents;
using Ical.Net.Serialization;

namespace Caldera.Functions.Tests.Scheduling;

/// <summary>Invitations as a calendar client writes them, and the few reads the scheduling tests make of stored copies.</summary>
internal static class SchedulingText
{
    public static string Mailto(string user) => "mailto:" + SchedulingServerFixture.Users[user];

    /// <summary>An event organized by <paramref name="organizer"/> (who attends too) with the given attendees' ATTENDEE lines.</summary>
    public static string Invitation(string uid, string organizer, IEnumerable<string> attendees, string summary = "Planning",
        int sequence = 0, string start = "20270111T100000Z", string end = "20270111T110000Z", string extra = "", string overrides = "",
        string stamp = "20260101T000000Z") =>
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Caldera tests//EN\r\n" +
        $"BEGIN:VEVENT\r\nUID:{uid}\r\nDTSTAMP:{stamp}\r\nDTSTART:{start}\r\nDTEND:{end}\r\nSUMMARY:{summary}\r\nSEQUENCE:{sequence}\r\n" +
        $"ORGANIZER;CN=Organizer:{organizer}\r\nATTENDEE;PARTSTAT=ACCEPTED;ROLE=CHAIR:{organizer}\r\n" +
        string.Concat(attendees.Select(a => a.Contains(':') && !a.StartsWith("mailto:", StringComparison.Ordinal) ? a + "\r\n" : $"ATTENDEE;RSVP=TRUE;PARTSTAT=NEEDS-ACTION:{a}\r\n")) +
        extra + "END:VEVENT\r\n" + overrides + "END:VCALENDAR\r\n";

    /// <summary>The PARTSTAT the component (master, or the one with the given RECURRENCE-ID start) gives <paramref name="address"/>.</summary>
    public static string? PartStat(string text, string address, string? recurrenceId = null) =>
        Attendee(text, address, recurrenceId)?.ParticipationStatus;

    public static string? ScheduleStatus(string text, string address) =>
        Attendee(text, address, null)?.Parameters.Get("SCHEDULE-STATUS");

    static Ical.Net.DataTypes.Attendee? Attendee(string text, string address, string? recurrenceId) =>
        Component(text, recurrenceId)?.Attendees.FirstOrDefault(a => string.Equals(a.Value?.OriginalString, address, StringComparison.OrdinalIgnoreCase));

    public static CalendarEvent? Component(string text, string? recurrenceId) =>
        Calendar.Load(text)!.Events.FirstOrDefault(e => recurrenceId is null
            ? e.RecurrenceIdentifier is null
            : e.RecurrenceIdentifier is not null && e.RecurrenceIdentifier.StartTime.AsUtc.ToString("yyyyMMdd'T'HHmmss'Z'", System.Globalization.CultureInfo.InvariantCulture) == recurrenceId);

    /// <summary>The text with <paramref name="address"/>'s PARTSTAT on every component set to <paramref name="partstat"/> (an attendee answering in their client).</summary>
    public static string Answer(string text, string address, string partstat)
    {
        var calendar = Calendar.Load(text)!;
        foreach (var e in calendar.Events)
            foreach (var a in e.Attendees.Where(a => string.Equals(a.Value?.OriginalString, address, StringComparison.OrdinalIgnoreCase)))
                a.ParticipationStatus = partstat;
        return new CalendarSerializer().SerializeToString(calendar)!;
    }
}

namespace Caldera.Imip.Tests.Itip;

/// <summary>Builds small iTIP calendar texts for the tests.</summary>
static class ItipText
{
    public const string Organizer = "organizer@example.com";
    public const string Alice = "alice@example.com";
    public const string Bob = "bob@example.org";

    public static string Calendar(string? method, params string[] components)
    {
        var head = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Caldera tests//EN\r\n" + (method is null ? "" : $"METHOD:{method}\r\n");
        return head + string.Concat(components) + "END:VCALENDAR\r\n";
    }

    public static string Event(string uid = "evt-1", int sequence = 0, string stamp = "20270101T090000Z", string summary = "Planning",
        string start = "20270310T100000Z", string end = "20270310T110000Z", string? recurrenceId = null, string? rrule = null,
        string organizer = Organizer, string? organizerSentBy = null, string[]? attendees = null, string? status = null, string? extra = null)
    {
        attendees ??= [$"PARTSTAT=NEEDS-ACTION;RSVP=TRUE:mailto:{Alice}", $"PARTSTAT=NEEDS-ACTION:mailto:{Bob}"];
        var lines = new List<string>
        {
            "BEGIN:VEVENT", $"UID:{uid}", $"DTSTAMP:{stamp}", $"SEQUENCE:{sequence}", $"SUMMARY:{summary}",
            $"DTSTART:{start}", $"DTEND:{end}",
            organizerSentBy is null ? $"ORGANIZER;CN=Org:mailto:{organizer}" : $"ORGANIZER;SENT-BY=\"mailto:{organizerSentBy}\":mailto:{organizer}",
        };
        if (recurrenceId is not null) lines.Add($"RECURRENCE-ID:{recurrenceId}");
        if (rrule is not null) lines.Add($"RRULE:{rrule}");
        if (status is not null) lines.Add($"STATUS:{status}");
        if (extra is not null) lines.Add(extra);
        lines.AddRange(attendees.Select(a => "ATTENDEE;" + a));
        lines.Add("END:VEVENT");
        return string.Concat(lines.Select(l => l + "\r\n"));
    }
}

using MimeKit;

namespace Caldera.Functions.Tests.Imip;

/// <summary>Writes iMIP emails (RFC 6047 §2.4: text/calendar with a method parameter) the way common clients do.</summary>
static class MailBuilder
{
    public static byte[] Build(string from, string to, string method, string calendar, string? messageId = null, params (string Name, string Value)[] headers)
    {
        var message = new MimeMessage();
        message.From.Add(MailboxAddress.Parse(from));
        message.To.Add(MailboxAddress.Parse(to));
        message.Subject = $"Invitation ({method})";
        message.MessageId = messageId ?? $"{Guid.NewGuid():N}@mail.example.com";
        foreach (var (name, value) in headers)
            message.Headers.Add(name, value);
        var text = new TextPart("plain") { Text = "You are invited." };
        var ics = new TextPart("calendar") { Text = calendar, ContentTransferEncoding = ContentEncoding.Base64 };
        ics.ContentType.Parameters.Add("method", method);
        ics.ContentType.Charset = "utf-8";
        message.Body = new MultipartAlternative { text, ics };
        using var stream = new MemoryStream();
        message.WriteTo(stream);
        return stream.ToArray();
    }

    public static string Itip(string method, params string[] components) =>
        $"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Caldera tests//EN\r\nMETHOD:{method}\r\n{string.Concat(components)}END:VCALENDAR\r\n";

    public static string Invite(string uid, int sequence = 0, string summary = "Review", string start = "20270510T100000Z",
        string end = "20270510T110000Z", string organizer = "organizer@example.com", string? recurrenceId = null, string? rrule = null,
        string stamp = "20270401T080000Z", params string[] attendees)
    {
        if (attendees.Length == 0)
            attendees = ["PARTSTAT=NEEDS-ACTION;RSVP=TRUE:mailto:alice@example.com"];
        var lines = new List<string>
        {
            "BEGIN:VEVENT", $"UID:{uid}", $"DTSTAMP:{stamp}", $"SEQUENCE:{sequence}", $"SUMMARY:{summary}",
            $"DTSTART:{start}", $"DTEND:{end}", $"ORGANIZER:mailto:{organizer}",
        };
        if (recurrenceId is not null) lines.Add($"RECURRENCE-ID:{recurrenceId}");
        if (rrule is not null) lines.Add($"RRULE:{rrule}");
        lines.AddRange(attendees.Select(a => "ATTENDEE;" + a));
        lines.Add("END:VEVENT");
        return string.Concat(lines.Select(l => l + "\r\n"));
    }
}

using Caldera.Imip.Outbound;
using Microsoft.Extensions.Configuration;

namespace Caldera.Imip.Tests.Outbound;

/// <summary>Calendars and settings the outbound tests build emails from.</summary>
static class OutboundSamples
{
    public const string Id = "7fffffffffffffff0123456789abcdef";
    public static readonly DateTimeOffset Date = new(2026, 11, 30, 12, 0, 0, TimeSpan.Zero);

    public static string Calendar(string method, string uid = "evt-1@example.com", string summary = "Planning", string organizerCn = "Alice Example",
        string attendeeLine = "ATTENDEE;CN=Carol;PARTSTAT=NEEDS-ACTION;RSVP=TRUE:mailto:carol@example.org", int sequence = 0, string? extra = null) =>
        string.Join("\r\n",
            "BEGIN:VCALENDAR",
            "VERSION:2.0",
            "PRODID:-//Caldera//Tests//EN",
            $"METHOD:{method}",
            "BEGIN:VEVENT",
            $"UID:{uid}",
            "DTSTAMP:20261130T120000Z",
            "DTSTART;TZID=Europe/Berlin:20261203T100000",
            "DTEND;TZID=Europe/Berlin:20261203T110000",
            $"SEQUENCE:{sequence}",
            $"SUMMARY:{summary}",
            "LOCATION:Room 3",
            $"ORGANIZER;CN={organizerCn}:mailto:alice@example.com",
            attendeeLine,
            extra ?? "STATUS:CONFIRMED",
            "END:VEVENT",
            "END:VCALENDAR",
            "");

    public static OutboundImipRequest Request(string method = "REQUEST", string? calendar = null, string from = "alice@example.com",
        string to = "carol@example.org", string? summary = null, string uid = "evt-1@example.com") =>
        new("alice", from, to, method, uid, calendar ?? Calendar(method, uid), summary);

    public static SmtpSettings Settings(params (string Key, string? Value)[] values)
    {
        var data = new Dictionary<string, string?> { ["Caldera:Smtp:Host"] = "smtp.example.net", ["Caldera:Smtp:From"] = "Caldera <caldera@example.com>" };
        foreach (var (key, value) in values)
            data["Caldera:Smtp:" + key] = value;
        return SmtpSettings.Read(new ConfigurationBuilder().AddInMemoryCollection(data).Build());
    }
}

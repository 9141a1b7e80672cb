using Caldera.Imip.Outbound;

namespace Caldera.Functions.Tests.Outbound;

/// <summary>iTIP requests alice sends to people outside Caldera.</summary>
static class OutboundSamples
{
    public static string Uid(string tag) => $"{tag}-{Guid.NewGuid():N}@example.com";

    public static string Calendar(string method, string uid, string to, string summary = "Quarterly planning") => string.Join("\r\n",
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//Caldera//Outbound tests//EN",
        $"METHOD:{method}",
        "BEGIN:VEVENT",
        $"UID:{uid}",
        "DTSTAMP:20261130T120000Z",
        "DTSTART:20261210T090000Z",
        "DTEND:20261210T100000Z",
        $"SUMMARY:{summary}",
        "ORGANIZER;CN=Alice:mailto:alice@example.com",
        $"ATTENDEE;CN=Carol;PARTSTAT=NEEDS-ACTION;RSVP=TRUE:mailto:{to}",
        "END:VEVENT",
        "END:VCALENDAR",
        "");

    public static OutboundImipRequest Request(string to = "carol@example.com", string method = "REQUEST", string? uid = null, string summary = "Quarterly planning")
    {
        uid ??= Uid("out");
        return new OutboundImipRequest(OutboundServerFixture.User, "alice@example.com", to, method, uid, Calendar(method, uid, to, summary), summary);
    }
}

using System.Text;
using Caldera.Calendars;
using Caldera.Calendars.Query;

namespace Caldera.Dav.Scheduling;

/// <summary>
/// The iTIP REPLY (RFC 5546 §3.3.3) carried in an outbox free-busy answer: one VFREEBUSY for one attendee with its busy
/// periods. Addresses written here are the server's own (the organizer as checked, the attendee's stored email), never
/// copied from the request, so nothing a client sent can break a content line.
/// </summary>
public static class FreeBusyReply
{
    public static string ToICalendar(IEnumerable<BusyPeriod> merged, FreeBusyRequest request, string organizerEmail, string attendeeEmail, DateTime stamp)
    {
        var sb = new StringBuilder();
        Line(sb, "BEGIN:VCALENDAR");
        Line(sb, "VERSION:2.0");
        Line(sb, "PRODID:-//Caldera//CalDAV//EN");
        Line(sb, "METHOD:REPLY");
        Line(sb, "BEGIN:VFREEBUSY");
        if (request.Uid is { } uid)
            Line(sb, "UID:" + Escape(uid));
        Line(sb, "DTSTAMP:" + CalendarDataFilter.Utc(stamp));
        Line(sb, "DTSTART:" + CalendarDataFilter.Utc(request.Start));
        Line(sb, "DTEND:" + CalendarDataFilter.Utc(request.End));
        Line(sb, "ORGANIZER:mailto:" + organizerEmail);
        Line(sb, "ATTENDEE:mailto:" + attendeeEmail);
        foreach (var p in merged)
            Line(sb, "FREEBUSY" + (p.Type == "BUSY" ? "" : ";FBTYPE=" + p.Type) + ":" + CalendarDataFilter.Utc(p.Start) + "/" + CalendarDataFilter.Utc(p.End));
        Line(sb, "END:VFREEBUSY");
        Line(sb, "END:VCALENDAR");
        return sb.ToString();
    }

    /// <summary>RFC 5545 §3.3.11 TEXT escaping.</summary>
    static string Escape(string text) => text.Replace("\\", "\\\\").Replace(";", "\\;").Replace(",", "\\,");

    static void Line(StringBuilder sb, string line) => ICalendarLineFolder.AppendFolded(sb, line);
}

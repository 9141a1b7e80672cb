using System.Text;

namespace Caldera.Calendars.Tests;

/// <summary>Builds iCalendar bodies from lines (CRLF-joined unless told otherwise).</summary>
static class Ics
{
    public static readonly string[] Events = ["VEVENT"];
    public static readonly string[] All = ["VEVENT", "VTODO", "VJOURNAL", "VFREEBUSY"];

    public static string Text(params string[] lines) => string.Join("\r\n", lines) + "\r\n";

    public static string Calendar(params string[] body) =>
        Text(["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//Caldera//Tests//EN", .. body, "END:VCALENDAR"]);

    public static string Event(string uid, params string[] props) =>
        string.Join("\r\n", ["BEGIN:VEVENT", "UID:" + uid, "DTSTAMP:20240101T000000Z", .. props, "END:VEVENT"]);

    public static string Todo(string uid, params string[] props) =>
        string.Join("\r\n", ["BEGIN:VTODO", "UID:" + uid, "DTSTAMP:20240101T000000Z", .. props, "END:VTODO"]);

    public static byte[] Bytes(string text) => Encoding.UTF8.GetBytes(text);

    public static ParsedCalendarObject Parse(string text, IReadOnlyCollection<string>? components = null) =>
        CalendarObjectParser.Parse(Bytes(text), components ?? All);

    public static CalendarDataError Refusal(string text, IReadOnlyCollection<string>? components = null) =>
        Refusal(Bytes(text), components);

    public static CalendarDataError Refusal(byte[] body, IReadOnlyCollection<string>? components = null) =>
        Assert.Throws<CalendarDataException>(() => CalendarObjectParser.Parse(body, components ?? All)).Error;
}

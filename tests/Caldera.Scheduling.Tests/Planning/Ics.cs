using Ical.Net;

namespace Caldera.Scheduling.Tests.Planning;

/// <summary>Real iCalendar text as clients send it (CRLF, a VTIMEZONE, VALARMs, X- properties), changed per test by text edits.</summary>
internal static class Ics
{
    public const string Alice = "alice@example.com";
    public const string Bob = "bob@example.com";
    public const string Carol = "carol@example.net";
    public const string Dave = "dave@example.org";

    const string Berlin = """
        BEGIN:VTIMEZONE
        TZID:Europe/Berlin
        BEGIN:DAYLIGHT
        TZOFFSETFROM:+0100
        TZOFFSETTO:+0200
        TZNAME:CEST
        DTSTART:19700329T020000
        RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU
        END:DAYLIGHT
        BEGIN:STANDARD
        TZOFFSETFROM:+0200
        TZOFFSETTO:+0100
        TZNAME:CET
        DTSTART:19701025T030000
        RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU
        END:STANDARD
        END:VTIMEZONE
        """;

    /// <summary>alice invites bob and carol to a one-off meeting (Thunderbird's shape: the organizer is also an ATTENDEE).</summary>
    public const string MeetingEvent = """
        BEGIN:VEVENT
        UID:meeting-1
        DTSTAMP:20261101T090000Z
        CREATED:20261101T090000Z
        LAST-MODIFIED:20261101T090000Z
        SEQUENCE:0
        DTSTART;TZID=Europe/Berlin:20261201T100000
        DTEND;TZID=Europe/Berlin:20261201T110000
        SUMMARY:Planning
        LOCATION:Room 1
        TRANSP:OPAQUE
        X-MOZ-GENERATION:1
        ORGANIZER;CN=Alice:mailto:alice@example.com
        ATTENDEE;CN=Alice;PARTSTAT=ACCEPTED;ROLE=CHAIR:mailto:alice@example.com
        ATTENDEE;CN=Bob;PARTSTAT=NEEDS-ACTION;ROLE=REQ-PARTICIPANT;RSVP=TRUE:mailto:bob@example.com
        ATTENDEE;CN=Carol;PARTSTAT=NEEDS-ACTION;ROLE=REQ-PARTICIPANT;RSVP=TRUE:mailto:carol@example.net
        BEGIN:VALARM
        ACTION:DISPLAY
        DESCRIPTION:Planning
        TRIGGER:-PT15M
        END:VALARM
        END:VEVENT
        """;

    /// <summary>alice's weekly series with bob and carol, ten instances from Tuesday 2026-12-01 10:00 Berlin.</summary>
    public const string WeeklyMaster = """
        BEGIN:VEVENT
        UID:weekly-1
        DTSTAMP:20261101T090000Z
        SEQUENCE:0
        DTSTART;TZID=Europe/Berlin:20261201T100000
        DTEND;TZID=Europe/Berlin:20261201T110000
        RRULE:FREQ=WEEKLY;COUNT=10
        SUMMARY:Weekly
        ORGANIZER;CN=Alice:mailto:alice@example.com
        ATTENDEE;CN=Alice;PARTSTAT=ACCEPTED:mailto:alice@example.com
        ATTENDEE;CN=Bob;PARTSTAT=NEEDS-ACTION;RSVP=TRUE:mailto:bob@example.com
        ATTENDEE;CN=Carol;PARTSTAT=NEEDS-ACTION;RSVP=TRUE:mailto:carol@example.net
        BEGIN:VALARM
        ACTION:DISPLAY
        DESCRIPTION:Weekly
        TRIGGER:-PT15M
        END:VALARM
        END:VEVENT
        """;

    /// <summary>An override of the weekly series at <paramref name="recurrence"/> (Berlin local time), starting at <paramref name="start"/>.</summary>
    public static string WeeklyOverride(string recurrence, string start, string end, string attendees, string extra = "") => $"""
        BEGIN:VEVENT
        UID:weekly-1
        DTSTAMP:20261101T090000Z
        SEQUENCE:0
        RECURRENCE-ID;TZID=Europe/Berlin:{recurrence}
        DTSTART;TZID=Europe/Berlin:{start}
        DTEND;TZID=Europe/Berlin:{end}
        SUMMARY:Weekly
        {extra}ORGANIZER;CN=Alice:mailto:alice@example.com
        {attendees}
        END:VEVENT
        """;

    public const string AliceLine = "ATTENDEE;CN=Alice;PARTSTAT=ACCEPTED:mailto:alice@example.com";
    public const string BobLine = "ATTENDEE;CN=Bob;PARTSTAT=NEEDS-ACTION;RSVP=TRUE:mailto:bob@example.com";
    public const string CarolLine = "ATTENDEE;CN=Carol;PARTSTAT=NEEDS-ACTION;RSVP=TRUE:mailto:carol@example.net";
    public const string DaveLine = "ATTENDEE;CN=Dave;PARTSTAT=NEEDS-ACTION;RSVP=TRUE:mailto:dave@example.org";

    /// <summary>A VCALENDAR around the components, with the Berlin zone, CRLF line ends.</summary>
    public static string Wrap(params string[] components) =>
        string.Join("\n", new[] { "BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//Test Client//EN", Berlin }.Concat(components).Append("END:VCALENDAR"))
            .ReplaceLineEndings("\r\n") + "\r\n";

    public static string Meeting => Wrap(MeetingEvent);
    public static string Weekly => Wrap(WeeklyMaster);

    /// <summary>The text without the ATTENDEE lines of <paramref name="address"/>.</summary>
    public static string WithoutAttendee(string text, string address) =>
        string.Join("\r\n", text.Split("\r\n").Where(l => !(l.StartsWith("ATTENDEE", StringComparison.Ordinal) && l.EndsWith("mailto:" + address, StringComparison.Ordinal))));

    public static Calendar Load(string text) => Calendar.Load(text)!;
}

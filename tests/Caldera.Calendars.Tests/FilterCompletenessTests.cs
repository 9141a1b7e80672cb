using System.Diagnostics;
using Caldera.Calendars.Query;
using Ical.Net;

namespace Caldera.Calendars.Tests;

/// <summary>Collations, text of non-text values, VALARM and VFREEBUSY time ranges, floating times, THISANDFUTURE, bounds.</summary>
public class FilterCompletenessTests
{
    static Calendar Load(string text) => Ics.Parse(text).Calendar;

    static DateTime Utc(int y, int mo, int d, int h = 0, int mi = 0) => new(y, mo, d, h, mi, 0, DateTimeKind.Utc);

    static CompFilter InRange(string component, DateTime? start, DateTime? end) =>
        new("VCALENDAR", false, null, [], [new CompFilter(component, false, new TimeRange(start, end), [], [])]);

    static CompFilter AlarmInRange(string parent, DateTime? start, DateTime? end) =>
        new("VCALENDAR", false, null, [], [new CompFilter(parent, false, null, [],
            [new CompFilter("VALARM", false, new TimeRange(start, end), [], [])])]);

    static CompFilter Text(string component, string property, string value, string collation, bool negate = false) =>
        new("VCALENDAR", false, null, [], [new CompFilter(component, false, null,
            [new PropFilter(property, false, null, new TextMatch(value, collation, negate), [])], [])]);

    static bool Matches(string text, CompFilter filter, TimeZoneInfo? zone = null) => FilterEvaluator.Matches(Load(text), filter, zone);

    static string Summary(string summary) => Ics.Calendar(Ics.Event("s", "DTSTART:20240110T100000Z", "SUMMARY:" + summary));

    // ---- collations ----

    [Fact]
    public void UnicodeCasemapFoldsNonAsciiLetters()
    {
        Assert.True(Matches(Summary("Réunion à Zürich"), Text("VEVENT", "SUMMARY", "RÉUNION À ZÜRICH", "i;unicode-casemap")));
        Assert.False(Matches(Summary("Réunion à Zürich"), Text("VEVENT", "SUMMARY", "RÉUNION À ZÜRICH", "i;ascii-casemap")));
        Assert.False(Matches(Summary("Réunion à Zürich"), Text("VEVENT", "SUMMARY", "RÉUNION", "i;octet")));
        Assert.True(Matches(Summary("Réunion à Zürich"), Text("VEVENT", "SUMMARY", "Réunion", "i;octet")));
    }

    [Fact]
    public void UnicodeCasemapFoldsCaseAcrossScripts()
    {
        Assert.True(Matches(Summary("caf\u00e9"), Text("VEVENT", "SUMMARY", "CAF\u00c9", "i;unicode-casemap")));
        Assert.False(Matches(Summary("caf\u00e9"), Text("VEVENT", "SUMMARY", "CAF\u00c9", "i;ascii-casemap")));
        // Greek: final and medial sigma fold together; Cyrillic folds.
        Assert.True(Matches(Summary("ΟΔΟΣ"), Text("VEVENT", "SUMMARY", "οδος", "i;unicode-casemap")));
        Assert.True(Matches(Summary("οδος"), Text("VEVENT", "SUMMARY", "ΟΔΟΣ", "i;unicode-casemap")));
        Assert.True(Matches(Summary("Встреча"), Text("VEVENT", "SUMMARY", "ВСТРЕЧА", "i;unicode-casemap")));
        Assert.False(Matches(Summary("Réunion"), Text("VEVENT", "SUMMARY", "reunion", "i;unicode-casemap")));
    }

    [Fact]
    public void UnicodeCasemapNegateCondition()
    {
        Assert.False(Matches(Summary("Straße"), Text("VEVENT", "SUMMARY", "STRASSE", "i;unicode-casemap")));
        Assert.True(Matches(Summary("Straße"), Text("VEVENT", "SUMMARY", "STRASSE", "i;unicode-casemap", negate: true)));
        Assert.False(Matches(Summary("Straße"), Text("VEVENT", "SUMMARY", "STRAßE", "i;unicode-casemap", negate: true)));
    }

    [Fact]
    public void CollationsAreAdvertised()
    {
        Assert.Equal(["i;ascii-casemap", "i;octet", "i;unicode-casemap"], TextMatcher.Collations);
        Assert.False(TextMatcher.IsSupported("i;basic"));
    }

    // ---- text-match on values that are not TEXT ----

    [Fact]
    public void TextMatchOnADateTimeComparesItsICalendarText()
    {
        var text = Ics.Calendar(Ics.Event("d", "DTSTART:20240110T100000Z", "DTEND:20240110T110000Z"));
        Assert.True(Matches(text, Text("VEVENT", "DTSTART", "20240110T1000", "i;octet")));
        Assert.False(Matches(text, Text("VEVENT", "DTSTART", "1/10/2024", "i;ascii-casemap")));
    }

    [Fact]
    public void TextMatchOnARuleDurationAndTriggerComparesTheirText()
    {
        var text = Ics.Calendar(Ics.Event("r", "DTSTART:20240110T100000Z", "DURATION:PT1H30M", "RRULE:FREQ=WEEKLY;COUNT=3",
            "BEGIN:VALARM", "ACTION:DISPLAY", "DESCRIPTION:x", "TRIGGER:-PT15M", "END:VALARM"));
        Assert.True(Matches(text, Text("VEVENT", "RRULE", "freq=weekly", "i;ascii-casemap")));
        Assert.True(Matches(text, Text("VEVENT", "DURATION", "PT1H30M", "i;octet")));
        Assert.False(Matches(text, Text("VEVENT", "DURATION", "01:30:00", "i;octet")));
        var trigger = new CompFilter("VCALENDAR", false, null, [], [new CompFilter("VEVENT", false, null, [],
            [new CompFilter("VALARM", false, null, [new PropFilter("TRIGGER", false, null, new TextMatch("-PT15M", "i;octet", false), [])], [])])]);
        Assert.True(Matches(text, trigger));
    }

    // ---- VALARM ----

    static string AlarmEvent(string trigger, params string[] extra) => Ics.Calendar(Ics.Event("a",
        ["DTSTART:20240101T100000Z", "DTEND:20240101T110000Z", "RRULE:FREQ=WEEKLY;COUNT=10",
         "BEGIN:VALARM", "ACTION:DISPLAY", "DESCRIPTION:x", trigger, .. extra, "END:VALARM"]));

    [Fact]
    public void RelativeAlarmMatchesByTheTriggerOfALaterInstance()
    {
        var text = AlarmEvent("TRIGGER:-PT15M");
        // 5th instance 29 Jan 10:00 → trigger 09:45.
        Assert.True(Matches(text, AlarmInRange("VEVENT", Utc(2024, 1, 29, 9, 40), Utc(2024, 1, 29, 9, 50))));
        Assert.True(Matches(text, AlarmInRange("VEVENT", Utc(2024, 1, 29, 9, 45), Utc(2024, 1, 29, 9, 46))));
        // The instance itself (10:00–11:00) is not the alarm: a range after the trigger does not match.
        Assert.False(Matches(text, AlarmInRange("VEVENT", Utc(2024, 1, 29, 9, 46), Utc(2024, 1, 29, 11, 0))));
        Assert.False(Matches(text, AlarmInRange("VEVENT", Utc(2024, 1, 29, 9, 30), Utc(2024, 1, 29, 9, 45))));
        // After the last (10th) instance, 4 March, nothing.
        Assert.False(Matches(text, AlarmInRange("VEVENT", Utc(2024, 3, 11), Utc(2024, 3, 12))));
    }

    [Fact]
    public void AlarmRelatedToEnd()
    {
        var text = AlarmEvent("TRIGGER;RELATED=END:PT5M");
        Assert.True(Matches(text, AlarmInRange("VEVENT", Utc(2024, 1, 8, 11, 5), Utc(2024, 1, 8, 11, 6))));
        Assert.False(Matches(text, AlarmInRange("VEVENT", Utc(2024, 1, 8, 10, 5), Utc(2024, 1, 8, 10, 6))));
    }

    [Fact]
    public void AbsoluteAlarmAndRepetitions()
    {
        var text = AlarmEvent("TRIGGER;VALUE=DATE-TIME:20240201T080000Z", "REPEAT:3", "DURATION:PT10M");
        Assert.True(Matches(text, AlarmInRange("VEVENT", Utc(2024, 2, 1, 8, 0), Utc(2024, 2, 1, 8, 1))));
        Assert.True(Matches(text, AlarmInRange("VEVENT", Utc(2024, 2, 1, 8, 25), Utc(2024, 2, 1, 8, 35)))); // third repetition 08:30
        Assert.False(Matches(text, AlarmInRange("VEVENT", Utc(2024, 2, 1, 8, 31), Utc(2024, 2, 1, 9, 0))));
        // An absolute trigger fires once, not once per instance.
        Assert.False(Matches(text, AlarmInRange("VEVENT", Utc(2024, 2, 8, 8, 0), Utc(2024, 2, 8, 8, 1))));
    }

    [Fact]
    public void AlarmOnATodoAndAnEventWithoutAlarm()
    {
        var todo = Ics.Calendar(Ics.Todo("t", "DTSTART:20240301T090000Z", "DUE:20240301T170000Z",
            "BEGIN:VALARM", "ACTION:DISPLAY", "DESCRIPTION:x", "TRIGGER;RELATED=END:-PT1H", "END:VALARM"));
        Assert.True(Matches(todo, AlarmInRange("VTODO", Utc(2024, 3, 1, 16), Utc(2024, 3, 1, 16, 1))));
        Assert.False(Matches(todo, AlarmInRange("VTODO", Utc(2024, 3, 1, 8), Utc(2024, 3, 1, 9))));
        var plain = Ics.Calendar(Ics.Event("p", "DTSTART:20240301T090000Z"));
        Assert.False(Matches(plain, AlarmInRange("VEVENT", null, Utc(2030, 1, 1))));
    }

    [Fact]
    public void AlarmOnAnOverriddenInstanceFollowsTheOverride()
    {
        var text = Ics.Calendar(
            Ics.Event("o", "DTSTART:20240101T100000Z", "DTEND:20240101T110000Z", "RRULE:FREQ=WEEKLY;COUNT=4",
                "BEGIN:VALARM", "ACTION:DISPLAY", "DESCRIPTION:x", "TRIGGER:-PT15M", "END:VALARM"),
            Ics.Event("o", "RECURRENCE-ID:20240108T100000Z", "DTSTART:20240108T150000Z", "DTEND:20240108T160000Z",
                "BEGIN:VALARM", "ACTION:DISPLAY", "DESCRIPTION:x", "TRIGGER:-PT15M", "END:VALARM"));
        Assert.True(Matches(text, AlarmInRange("VEVENT", Utc(2024, 1, 8, 14, 45), Utc(2024, 1, 8, 14, 46))));
        Assert.False(Matches(text, AlarmInRange("VEVENT", Utc(2024, 1, 8, 9, 45), Utc(2024, 1, 8, 9, 46))));
    }

    // ---- VFREEBUSY ----

    static string FreeBusy(params string[] props) =>
        Ics.Calendar(["BEGIN:VFREEBUSY", "UID:fb", "DTSTAMP:20240101T000000Z", .. props, "END:VFREEBUSY"]);

    [Fact]
    public void FreeBusyWithDtstartAndDtend()
    {
        var text = FreeBusy("DTSTART:20240301T000000Z", "DTEND:20240308T000000Z");
        Assert.True(Matches(text, InRange("VFREEBUSY", Utc(2024, 3, 5), Utc(2024, 3, 6))));
        Assert.True(Matches(text, InRange("VFREEBUSY", Utc(2024, 3, 8), Utc(2024, 3, 9)))); // start <= DTEND
        Assert.False(Matches(text, InRange("VFREEBUSY", Utc(2024, 3, 8, 0, 1), Utc(2024, 3, 9))));
        Assert.False(Matches(text, InRange("VFREEBUSY", Utc(2024, 2, 1), Utc(2024, 3, 1)))); // end > DTSTART
    }

    [Fact]
    public void FreeBusyWithoutTimesNeverMatchesARange()
    {
        Assert.False(Matches(FreeBusy("ORGANIZER:mailto:a@example.com"), InRange("VFREEBUSY", null, Utc(2100, 1, 1))));
    }

    [Fact]
    public void FreeBusyPeriodsMatchARangeTheyOverlap()
    {
        // Two periods on one line (one as start/duration) and one on another line; no DTSTART/DTEND.
        var text = FreeBusy("FREEBUSY;FBTYPE=BUSY:20240310T100000Z/20240310T110000Z,20240312T100000Z/PT1H",
            "FREEBUSY:20240320T080000Z/20240320T090000Z");
        bool M(DateTime s, DateTime e) => FilterEvaluator.Matches(Load(text), InRange("VFREEBUSY", s, e), null, text);
        Assert.True(M(Utc(2024, 3, 10, 10, 30), Utc(2024, 3, 10, 12)));
        Assert.True(M(Utc(2024, 3, 12, 10, 59), Utc(2024, 3, 12, 12))); // the duration form of the second period
        Assert.True(M(Utc(2024, 3, 20), Utc(2024, 3, 21))); // the second FREEBUSY line
        Assert.False(M(Utc(2024, 3, 10, 11), Utc(2024, 3, 11))); // starts when the first period ends
        Assert.False(M(Utc(2024, 3, 13), Utc(2024, 3, 19))); // between the periods
        // Without the text the periods cannot be read (Ical.Net 5 leaves FREEBUSY values empty): no match.
        Assert.False(Matches(text, InRange("VFREEBUSY", Utc(2024, 3, 10, 10, 30), Utc(2024, 3, 10, 12))));
    }

    // ---- floating and all-day values in the calendar's time zone ----

    static readonly TimeZoneInfo Berlin = TimeZoneInfo.FindSystemTimeZoneById("Europe/Berlin");
    static readonly TimeZoneInfo NewYork = TimeZoneInfo.FindSystemTimeZoneById("America/New_York");

    [Fact]
    public void FloatingEventIsPlacedInTheCalendarTimeZone()
    {
        var text = Ics.Calendar(Ics.Event("f", "DTSTART:20240305T100000", "DTEND:20240305T110000"));
        // In Berlin (UTC+1 in March) it runs 09:00–10:00Z; without a zone, 10:00–11:00Z.
        Assert.True(Matches(text, InRange("VEVENT", Utc(2024, 3, 5, 9), Utc(2024, 3, 5, 9, 30)), Berlin));
        Assert.False(Matches(text, InRange("VEVENT", Utc(2024, 3, 5, 10), Utc(2024, 3, 5, 11)), Berlin));
        Assert.True(Matches(text, InRange("VEVENT", Utc(2024, 3, 5, 10), Utc(2024, 3, 5, 11))));
        // New York (UTC−5): 15:00–16:00Z.
        Assert.True(Matches(text, InRange("VEVENT", Utc(2024, 3, 5, 15, 30), Utc(2024, 3, 5, 15, 45)), NewYork));
        Assert.False(Matches(text, InRange("VEVENT", Utc(2024, 3, 5, 10), Utc(2024, 3, 5, 11)), NewYork));
    }

    [Fact]
    public void FloatingWeeklySeriesFollowsDaylightSavingTime()
    {
        var text = Ics.Calendar(Ics.Event("w", "DTSTART:20240305T100000", "DTEND:20240305T110000", "RRULE:FREQ=WEEKLY"));
        // 2 July: Berlin is UTC+2, so 08:00–09:00Z.
        Assert.True(Matches(text, InRange("VEVENT", Utc(2024, 7, 2, 8), Utc(2024, 7, 2, 8, 30)), Berlin));
        Assert.False(Matches(text, InRange("VEVENT", Utc(2024, 7, 2, 9), Utc(2024, 7, 2, 10)), Berlin));
    }

    [Fact]
    public void AllDayEventIsTheLocalDay()
    {
        var text = Ics.Calendar(Ics.Event("d", "DTSTART;VALUE=DATE:20240305", "DTEND;VALUE=DATE:20240306"));
        // In New York the day is 05:00Z on 5 March to 05:00Z on 6 March.
        Assert.True(Matches(text, InRange("VEVENT", Utc(2024, 3, 6, 4), Utc(2024, 3, 6, 5)), NewYork));
        Assert.False(Matches(text, InRange("VEVENT", Utc(2024, 3, 5, 4), Utc(2024, 3, 5, 5)), NewYork));
        Assert.False(Matches(text, InRange("VEVENT", Utc(2024, 3, 6, 4), Utc(2024, 3, 6, 5))));
        Assert.True(Matches(text, InRange("VEVENT", Utc(2024, 3, 5, 4), Utc(2024, 3, 5, 5))));
    }

    [Fact]
    public void UtcAndZonedTimesIgnoreTheCalendarTimeZone()
    {
        var text = Ics.Calendar(Ics.Event("u", "DTSTART:20240305T100000Z", "DTEND:20240305T110000Z"));
        Assert.True(Matches(text, InRange("VEVENT", Utc(2024, 3, 5, 10), Utc(2024, 3, 5, 10, 30)), NewYork));
    }

    [Fact]
    public void FloatingPropertyTimeRangeAndUndatedTodo()
    {
        var todo = Ics.Calendar(Ics.Todo("t", "DUE:20240305T100000"));
        Assert.True(Matches(todo, InRange("VTODO", Utc(2024, 3, 5, 8), Utc(2024, 3, 5, 9)), Berlin));
        Assert.False(Matches(todo, InRange("VTODO", Utc(2024, 3, 5, 9, 30), Utc(2024, 3, 5, 11)), Berlin));
        var prop = new CompFilter("VCALENDAR", false, null, [], [new CompFilter("VTODO", false, null,
            [new PropFilter("DUE", false, new TimeRange(Utc(2024, 3, 5, 9), Utc(2024, 3, 5, 9, 1)), null, [])], [])]);
        Assert.True(Matches(todo, prop, Berlin));
        Assert.False(Matches(todo, prop));
    }

    const string BerlinVtimezone =
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//x//EN\r\nBEGIN:VTIMEZONE\r\nTZID:{0}\r\n" +
        "BEGIN:STANDARD\r\nDTSTART:19701025T030000\r\nTZOFFSETFROM:+0200\r\nTZOFFSETTO:+0100\r\nRRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU\r\nEND:STANDARD\r\n" +
        "BEGIN:DAYLIGHT\r\nDTSTART:19700329T020000\r\nTZOFFSETFROM:+0100\r\nTZOFFSETTO:+0200\r\nRRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU\r\nEND:DAYLIGHT\r\n" +
        "END:VTIMEZONE\r\nEND:VCALENDAR\r\n";

    [Theory]
    [InlineData("Europe/Berlin")]
    [InlineData("/mozilla.org/20050126_1/Europe/Berlin")]
    [InlineData("W. Europe Standard Time")]
    [InlineData("My Own Berlin-like Zone")] // unknown to every database: built from the VTIMEZONE's rules
    public void CalendarTimeZoneIsResolved(string tzid)
    {
        var zone = FloatingTimeZone.FromCalendarTimeZone(string.Format(BerlinVtimezone, tzid));
        Assert.Equal(Utc(2024, 1, 15, 9), FloatingTimeZone.ToUtc(new DateTime(2024, 1, 15, 10, 0, 0), zone));
        Assert.Equal(Utc(2024, 7, 15, 8), FloatingTimeZone.ToUtc(new DateTime(2024, 7, 15, 10, 0, 0), zone));
        // The spring gap: 02:30 does not exist, the offset before the gap applies (RFC 5545 §3.3.5).
        Assert.Equal(Utc(2024, 3, 31, 1, 30), FloatingTimeZone.ToUtc(new DateTime(2024, 3, 31, 2, 30, 0), zone));
    }

    [Fact]
    public void NoCalendarTimeZoneIsUtc()
    {
        Assert.Same(TimeZoneInfo.Utc, FloatingTimeZone.FromCalendarTimeZone(null));
        Assert.Same(TimeZoneInfo.Utc, FloatingTimeZone.FromCalendarTimeZone("not a calendar"));
    }

    [Fact]
    public void TzidFromAVtimezoneInsideTheObjectAndFromIana()
    {
        // A TZID Ical.Net resolves through the IANA database, whether or not the object carries its VTIMEZONE.
        var withBlock = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//x//EN\r\n" +
            string.Format(BerlinVtimezone, "Europe/Berlin").Split("PRODID:-//x//EN\r\n")[1].Replace("END:VCALENDAR\r\n", "") +
            Ics.Event("z", "DTSTART;TZID=Europe/Berlin:20240305T100000", "DTEND;TZID=Europe/Berlin:20240305T110000") + "\r\nEND:VCALENDAR\r\n";
        Assert.True(Matches(withBlock, InRange("VEVENT", Utc(2024, 3, 5, 9), Utc(2024, 3, 5, 9, 30)), NewYork));
        var ianaOnly = Ics.Calendar(Ics.Event("i", "DTSTART;TZID=America/New_York:20240305T100000", "DTEND;TZID=America/New_York:20240305T110000"));
        Assert.True(Matches(ianaOnly, InRange("VEVENT", Utc(2024, 3, 5, 15), Utc(2024, 3, 5, 15, 30))));
        Assert.False(Matches(ianaOnly, InRange("VEVENT", Utc(2024, 3, 5, 10), Utc(2024, 3, 5, 11))));
    }

    // ---- RECURRENCE-ID;RANGE=THISANDFUTURE ----

    static readonly string Moved = Ics.Calendar(
        Ics.Event("m", "DTSTART:20240101T100000Z", "DTEND:20240101T110000Z", "RRULE:FREQ=WEEKLY;COUNT=6", "SUMMARY:Early"),
        // From 15 January on, every instance is two hours later, lasts two hours and is called "Late".
        Ics.Event("m", "RECURRENCE-ID;RANGE=THISANDFUTURE:20240115T100000Z", "DTSTART:20240115T120000Z", "DTEND:20240115T140000Z", "SUMMARY:Late"));

    [Fact]
    public void ThisAndFutureMovesEveryLaterInstance()
    {
        // Before the override nothing moves.
        Assert.True(Matches(Moved, InRange("VEVENT", Utc(2024, 1, 8, 10), Utc(2024, 1, 8, 10, 30))));
        Assert.False(Matches(Moved, InRange("VEVENT", Utc(2024, 1, 8, 12), Utc(2024, 1, 8, 13))));
        // 15, 22 and 29 January and 5 February run 12:00–14:00; their old 10:00 slots are empty.
        foreach (var day in new[] { (1, 15), (1, 22), (1, 29), (2, 5) })
        {
            Assert.True(Matches(Moved, InRange("VEVENT", Utc(2024, day.Item1, day.Item2, 13, 30), Utc(2024, day.Item1, day.Item2, 13, 45))));
            Assert.False(Matches(Moved, InRange("VEVENT", Utc(2024, day.Item1, day.Item2, 10), Utc(2024, day.Item1, day.Item2, 11))));
        }
        Assert.False(Matches(Moved, InRange("VEVENT", Utc(2024, 2, 12), Utc(2024, 3, 1))));
    }

    [Fact]
    public void ThisAndFutureInstancesCarryTheOverridesProperties()
    {
        CompFilter LateIn(DateTime s, DateTime e) => new("VCALENDAR", false, null, [], [new CompFilter("VEVENT", false, new TimeRange(s, e),
            [new PropFilter("SUMMARY", false, null, new TextMatch("Late", "i;octet", false), [])], [])]);
        Assert.True(Matches(Moved, LateIn(Utc(2024, 1, 29, 12), Utc(2024, 1, 29, 13))));
        Assert.False(Matches(Moved, LateIn(Utc(2024, 1, 8, 10), Utc(2024, 1, 8, 11))));
    }

    [Fact]
    public void ThisAndFutureMovedEarlierIsFoundFromTheRangeStart()
    {
        var earlier = Ics.Calendar(
            Ics.Event("e", "DTSTART:20240101T100000Z", "DTEND:20240101T110000Z", "RRULE:FREQ=DAILY;COUNT=30"),
            Ics.Event("e", "RECURRENCE-ID;RANGE=THISANDFUTURE:20240110T100000Z", "DTSTART:20240109T230000Z", "DTEND:20240110T000000Z"));
        // The 20 January instance now runs 19 January 23:00–24:00.
        Assert.True(Matches(earlier, InRange("VEVENT", Utc(2024, 1, 19, 23), Utc(2024, 1, 19, 23, 30))));
        Assert.False(Matches(earlier, InRange("VEVENT", Utc(2024, 1, 20, 10), Utc(2024, 1, 20, 11))));
        Assert.True(Matches(earlier, InRange("VEVENT", Utc(2024, 1, 9, 10), Utc(2024, 1, 9, 10, 30))));
    }

    [Fact]
    public void ThisInstanceOverrideAfterAThisAndFutureOneStillWins()
    {
        var text = Ics.Calendar(
            Ics.Event("t", "DTSTART:20240101T100000Z", "DTEND:20240101T110000Z", "RRULE:FREQ=WEEKLY;COUNT=6"),
            Ics.Event("t", "RECURRENCE-ID;RANGE=THISANDFUTURE:20240115T100000Z", "DTSTART:20240115T120000Z", "DTEND:20240115T130000Z"),
            Ics.Event("t", "RECURRENCE-ID:20240122T100000Z", "DTSTART:20240122T180000Z", "DTEND:20240122T190000Z"));
        Assert.True(Matches(text, InRange("VEVENT", Utc(2024, 1, 22, 18), Utc(2024, 1, 22, 18, 30))));
        Assert.False(Matches(text, InRange("VEVENT", Utc(2024, 1, 22, 12), Utc(2024, 1, 22, 13))));
        Assert.True(Matches(text, InRange("VEVENT", Utc(2024, 1, 29, 12), Utc(2024, 1, 29, 13))));
    }

    [Fact]
    public void ThisAndFutureWidensTheIndexEnvelope()
    {
        var parsed = Ics.Parse(Moved);
        Assert.Equal(new DateTimeOffset(2024, 2, 5, 14, 0, 0, TimeSpan.Zero), parsed.RangeEnd);
    }

    // ---- bounds ----

    [Fact]
    public void RulesThatNeverMatchStayBounded()
    {
        // 30 February never comes; 31 April neither. The evaluation must give up, not spin.
        foreach (var rule in new[] { "RRULE:FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=30", "RRULE:FREQ=MONTHLY;BYMONTH=4;BYMONTHDAY=31;BYDAY=MO" })
        {
            var calendar = Calendar.Load(Ics.Calendar(Ics.Event("n", "DTSTART:20240101T100000Z", rule)))!;
            var watch = Stopwatch.StartNew();
            bool matched;
            try
            {
                matched = FilterEvaluator.Matches(calendar, InRange("VEVENT", Utc(2030, 1, 1), Utc(2031, 1, 1)));
            }
            catch (Exception)
            {
                matched = false; // Ical.Net may give up with an exception once MaxUnmatchedIncrementsLimit is hit
            }
            Assert.False(matched);
            Assert.True(watch.Elapsed < TimeSpan.FromSeconds(10), $"{rule} took {watch.Elapsed}");
        }
    }

    [Fact]
    public void EndlessSecondlyRuleIsCutAtTheInstanceLimit()
    {
        // PUT refuses such a rule now; one stored before must still be answered.
        var calendar = Calendar.Load(Ics.Calendar(Ics.Event("x", "DTSTART:20240101T000000Z", "RRULE:FREQ=SECONDLY",
            "BEGIN:VALARM", "ACTION:DISPLAY", "DESCRIPTION:x", "TRIGGER:-PT1S", "END:VALARM")))!;
        var watch = Stopwatch.StartNew();
        // An open-ended range far after the start: only InstanceLimit instances are looked at.
        Assert.True(FilterEvaluator.Matches(calendar, InRange("VEVENT", Utc(2024, 1, 1, 1), null)));
        Assert.False(FilterEvaluator.Matches(calendar, AlarmInRange("VEVENT", Utc(2020, 1, 1), Utc(2020, 1, 2))));
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(20), $"took {watch.Elapsed}");
    }
}

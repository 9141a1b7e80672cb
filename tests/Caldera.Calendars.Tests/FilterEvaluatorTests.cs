using Caldera.Calendars.Query;
using Ical.Net;

namespace Caldera.Calendars.Tests;

public class FilterEvaluatorTests
{
    static Calendar Load(string text) => Ics.Parse(text).Calendar;

    static DateTime Utc(int y, int mo, int d, int h = 0, int mi = 0, int s = 0) => new(y, mo, d, h, mi, s, DateTimeKind.Utc);

    static TimeRange Range(DateTime? start, DateTime? end) => new(start, end);

    /// <summary>VCALENDAR > {component} with a time-range.</summary>
    static CompFilter InRange(string component, TimeRange range) =>
        new("VCALENDAR", false, null, [], [new CompFilter(component, false, range, [], [])]);

    static CompFilter WithProps(string component, params PropFilter[] props) =>
        new("VCALENDAR", false, null, [], [new CompFilter(component, false, null, props, [])]);

    static PropFilter Text(string property, string value, string collation = "i;ascii-casemap", bool negate = false) =>
        new(property, false, null, new TextMatch(value, collation, negate), []);

    static bool Matches(string text, CompFilter filter) => FilterEvaluator.Matches(Load(text), filter);

    static readonly string Weekly = Ics.Calendar(Ics.Event("w",
        "DTSTART:20240101T100000Z", "DTEND:20240101T110000Z", "RRULE:FREQ=WEEKLY;COUNT=10", "SUMMARY:Weekly"));

    // ---- structure ----

    [Fact]
    public void EmptyVcalendarFilterMatchesEverything()
    {
        Assert.True(Matches(Weekly, new CompFilter("VCALENDAR", false, null, [], [])));
    }

    [Fact]
    public void ComponentFilterMatchesOnlyItsComponent()
    {
        var vevent = new CompFilter("VCALENDAR", false, null, [], [new CompFilter("VEVENT", false, null, [], [])]);
        var vtodo = new CompFilter("VCALENDAR", false, null, [], [new CompFilter("VTODO", false, null, [], [])]);
        Assert.True(Matches(Weekly, vevent));
        Assert.False(Matches(Weekly, vtodo));
    }

    [Fact]
    public void IsNotDefinedOnAComponent()
    {
        var noTodo = new CompFilter("VCALENDAR", false, null, [], [new CompFilter("VTODO", true, null, [], [])]);
        var noEvent = new CompFilter("VCALENDAR", false, null, [], [new CompFilter("VEVENT", true, null, [], [])]);
        Assert.True(Matches(Weekly, noTodo));
        Assert.False(Matches(Weekly, noEvent));
    }

    [Fact]
    public void IsNotDefinedOnANestedAlarm()
    {
        var withAlarm = Ics.Calendar("BEGIN:VEVENT", "UID:a", "DTSTAMP:20240101T000000Z", "DTSTART:20240110T100000Z",
            "BEGIN:VALARM", "ACTION:DISPLAY", "DESCRIPTION:x", "TRIGGER:-PT5M", "END:VALARM", "END:VEVENT");
        CompFilter NoAlarm(bool notDefined) => new("VCALENDAR", false, null, [],
            [new CompFilter("VEVENT", false, null, [], [new CompFilter("VALARM", notDefined, null, [], [])])]);
        Assert.False(Matches(withAlarm, NoAlarm(true)));
        Assert.True(Matches(withAlarm, NoAlarm(false)));
        Assert.True(Matches(Weekly, NoAlarm(true)));
        Assert.False(Matches(Weekly, NoAlarm(false)));
    }

    [Fact]
    public void IsNotDefinedOnAProperty()
    {
        var noLocation = WithProps("VEVENT", new PropFilter("LOCATION", true, null, null, []));
        var noSummary = WithProps("VEVENT", new PropFilter("SUMMARY", true, null, null, []));
        Assert.True(Matches(Weekly, noLocation));
        Assert.False(Matches(Weekly, noSummary));
    }

    [Fact]
    public void PropFilterWithoutConditionsTestsPresence()
    {
        Assert.True(Matches(Weekly, WithProps("VEVENT", new PropFilter("SUMMARY", false, null, null, []))));
        Assert.False(Matches(Weekly, WithProps("VEVENT", new PropFilter("LOCATION", false, null, null, []))));
    }

    // ---- text-match ----

    [Fact]
    public void TextMatchAsciiCasemapIgnoresAsciiCase()
    {
        Assert.True(Matches(Weekly, WithProps("VEVENT", Text("SUMMARY", "WEEK"))));
        Assert.True(Matches(Weekly, WithProps("VEVENT", Text("SUMMARY", "eekl"))));
        Assert.False(Matches(Weekly, WithProps("VEVENT", Text("SUMMARY", "monthly"))));
    }

    [Fact]
    public void TextMatchOctetIsCaseSensitive()
    {
        Assert.True(Matches(Weekly, WithProps("VEVENT", Text("SUMMARY", "Week", "i;octet"))));
        Assert.False(Matches(Weekly, WithProps("VEVENT", Text("SUMMARY", "WEEK", "i;octet"))));
    }

    [Fact]
    public void TextMatchAsciiCasemapFoldsOnlyAsciiLetters()
    {
        // RFC 4790 §9.2: i;ascii-casemap maps a-z to A-Z and nothing else, so É and é stay different.
        var cafe = Ics.Calendar(Ics.Event("c", "DTSTART:20240110T100000Z", "SUMMARY:Caf\u00e9 au lait"));
        Assert.True(Matches(cafe, WithProps("VEVENT", Text("SUMMARY", "CAF\u00e9"))));
        Assert.False(Matches(cafe, WithProps("VEVENT", Text("SUMMARY", "CAF\u00c9"))));
        // The Kelvin sign is not the letter K under ASCII rules.
        var kilo = Ics.Calendar(Ics.Event("k", "DTSTART:20240110T100000Z", "SUMMARY:5k run"));
        Assert.False(Matches(kilo, WithProps("VEVENT", Text("SUMMARY", "5\u212a"))));
    }

    [Fact]
    public void TextMatchNegateCondition()
    {
        Assert.False(Matches(Weekly, WithProps("VEVENT", Text("SUMMARY", "weekly", negate: true))));
        Assert.True(Matches(Weekly, WithProps("VEVENT", Text("SUMMARY", "monthly", negate: true))));
        // A negated text-match still needs the property to exist (RFC 4791 §9.7.2).
        Assert.False(Matches(Weekly, WithProps("VEVENT", Text("LOCATION", "anything", negate: true))));
    }

    [Fact]
    public void TextMatchOnUid()
    {
        Assert.True(Matches(Weekly, WithProps("VEVENT", Text("UID", "w", "i;octet"))));
        Assert.False(Matches(Weekly, WithProps("VEVENT", Text("UID", "x", "i;octet"))));
    }

    // ---- param-filter ----

    static readonly string WithAttendees = Ics.Calendar(Ics.Event("p", "DTSTART:20240110T100000Z",
        "ORGANIZER;CN=Alice:mailto:alice@example.com",
        "ATTENDEE;PARTSTAT=ACCEPTED;ROLE=REQ-PARTICIPANT:mailto:bob@example.com",
        "ATTENDEE;PARTSTAT=NEEDS-ACTION:mailto:carol@example.com"));

    static CompFilter Param(string property, ParamFilter param, TextMatch? propText = null) =>
        WithProps("VEVENT", new PropFilter(property, false, null, propText, [param]));

    [Fact]
    public void ParamFilterTextMatch()
    {
        Assert.True(Matches(WithAttendees, Param("ATTENDEE", new ParamFilter("PARTSTAT", false, new TextMatch("needs-action", "i;ascii-casemap", false)))));
        Assert.False(Matches(WithAttendees, Param("ATTENDEE", new ParamFilter("PARTSTAT", false, new TextMatch("DECLINED", "i;ascii-casemap", false)))));
        Assert.True(Matches(WithAttendees, Param("ORGANIZER", new ParamFilter("CN", false, new TextMatch("Alice", "i;octet", false)))));
        Assert.False(Matches(WithAttendees, Param("ORGANIZER", new ParamFilter("CN", false, new TextMatch("ALICE", "i;octet", false)))));
    }

    [Fact]
    public void ParamFilterIsNotDefined()
    {
        // Carol's ATTENDEE has no ROLE, Bob's does: one property without the parameter is enough.
        Assert.True(Matches(WithAttendees, Param("ATTENDEE", new ParamFilter("ROLE", true, null))));
        Assert.False(Matches(WithAttendees, Param("ORGANIZER", new ParamFilter("CN", true, null))));
    }

    [Fact]
    public void ParamFilterPresence()
    {
        Assert.True(Matches(WithAttendees, Param("ORGANIZER", new ParamFilter("CN", false, null))));
        Assert.False(Matches(WithAttendees, Param("ORGANIZER", new ParamFilter("SENT-BY", false, null))));
    }

    [Fact]
    public void ParamAndTextConditionsHoldOnTheSameProperty()
    {
        // Bob accepted; Carol needs action. "carol" AND ACCEPTED is on no single ATTENDEE.
        var filter = Param("ATTENDEE", new ParamFilter("PARTSTAT", false, new TextMatch("ACCEPTED", "i;ascii-casemap", false)),
            new TextMatch("carol", "i;ascii-casemap", false));
        Assert.False(Matches(WithAttendees, filter));
        var bob = Param("ATTENDEE", new ParamFilter("PARTSTAT", false, new TextMatch("ACCEPTED", "i;ascii-casemap", false)),
            new TextMatch("bob", "i;ascii-casemap", false));
        Assert.True(Matches(WithAttendees, bob));
    }

    // ---- time-range on events ----

    [Fact]
    public void SingleEventOverlap()
    {
        var e = Ics.Calendar(Ics.Event("s", "DTSTART:20240110T100000Z", "DTEND:20240110T110000Z"));
        Assert.True(Matches(e, InRange("VEVENT", Range(Utc(2024, 1, 10, 10, 30), Utc(2024, 1, 10, 12)))));
        Assert.True(Matches(e, InRange("VEVENT", Range(Utc(2024, 1, 10, 9), Utc(2024, 1, 10, 10, 30)))));
        Assert.True(Matches(e, InRange("VEVENT", Range(Utc(2024, 1, 10, 10, 15), Utc(2024, 1, 10, 10, 45)))));
        // start < DTEND AND end > DTSTART: touching ranges do not overlap.
        Assert.False(Matches(e, InRange("VEVENT", Range(Utc(2024, 1, 10, 11), Utc(2024, 1, 10, 12)))));
        Assert.False(Matches(e, InRange("VEVENT", Range(Utc(2024, 1, 10, 9), Utc(2024, 1, 10, 10)))));
    }

    [Fact]
    public void OpenEndedRanges()
    {
        var e = Ics.Calendar(Ics.Event("s", "DTSTART:20240110T100000Z", "DTEND:20240110T110000Z"));
        Assert.True(Matches(e, InRange("VEVENT", Range(Utc(2024, 1, 10, 10, 59), null))));
        Assert.False(Matches(e, InRange("VEVENT", Range(Utc(2024, 1, 10, 11), null))));
        Assert.True(Matches(e, InRange("VEVENT", Range(null, Utc(2024, 1, 10, 10, 1)))));
        Assert.False(Matches(e, InRange("VEVENT", Range(null, Utc(2024, 1, 10, 10)))));
    }

    [Fact]
    public void EventWithDurationOverlap()
    {
        var e = Ics.Calendar(Ics.Event("d", "DTSTART:20240110T100000Z", "DURATION:PT2H"));
        Assert.True(Matches(e, InRange("VEVENT", Range(Utc(2024, 1, 10, 11, 30), Utc(2024, 1, 10, 13)))));
        Assert.False(Matches(e, InRange("VEVENT", Range(Utc(2024, 1, 10, 12), Utc(2024, 1, 10, 13)))));
    }

    [Fact]
    public void EventInTimeZoneIsComparedInUtc()
    {
        var e = Ics.Calendar(Ics.Event("tz", "DTSTART;TZID=America/New_York:20240110T100000", "DTEND;TZID=America/New_York:20240110T110000"));
        // 15:00Z-16:00Z
        Assert.True(Matches(e, InRange("VEVENT", Range(Utc(2024, 1, 10, 15, 30), Utc(2024, 1, 10, 15, 31)))));
        Assert.False(Matches(e, InRange("VEVENT", Range(Utc(2024, 1, 10, 10), Utc(2024, 1, 10, 11)))));
    }

    [Fact]
    public void WeeklyEventMatchesOnlyThroughALaterOccurrence()
    {
        // The 4th instance is 2024-01-22 10:00-11:00Z.
        Assert.True(Matches(Weekly, InRange("VEVENT", Range(Utc(2024, 1, 22, 10, 30), Utc(2024, 1, 22, 10, 45)))));
        // Between instances.
        Assert.False(Matches(Weekly, InRange("VEVENT", Range(Utc(2024, 1, 23), Utc(2024, 1, 29)))));
        // After the last (10th: 2024-03-04).
        Assert.True(Matches(Weekly, InRange("VEVENT", Range(Utc(2024, 3, 4, 10), Utc(2024, 3, 4, 11)))));
        Assert.False(Matches(Weekly, InRange("VEVENT", Range(Utc(2024, 3, 5), Utc(2025, 1, 1)))));
    }

    [Fact]
    public void EndlessRuleMatchesFarInTheFuture()
    {
        var daily = Ics.Calendar(Ics.Event("d", "DTSTART:20240101T100000Z", "DTEND:20240101T110000Z", "RRULE:FREQ=DAILY"));
        Assert.True(Matches(daily, InRange("VEVENT", Range(Utc(2030, 6, 1, 10, 30), Utc(2030, 6, 1, 10, 31)))));
        Assert.False(Matches(daily, InRange("VEVENT", Range(Utc(2030, 6, 1, 11), Utc(2030, 6, 1, 12)))));
    }

    [Fact]
    public void ExdatedOccurrenceDoesNotMatch()
    {
        var e = Ics.Calendar(Ics.Event("x", "DTSTART:20240101T100000Z", "DTEND:20240101T110000Z",
            "RRULE:FREQ=WEEKLY;COUNT=5", "EXDATE:20240115T100000Z"));
        Assert.False(Matches(e, InRange("VEVENT", Range(Utc(2024, 1, 15), Utc(2024, 1, 16)))));
        Assert.True(Matches(e, InRange("VEVENT", Range(Utc(2024, 1, 22), Utc(2024, 1, 23)))));
    }

    [Fact]
    public void RdateAddsAnOccurrence()
    {
        var e = Ics.Calendar(Ics.Event("r", "DTSTART:20240101T100000Z", "DTEND:20240101T110000Z", "RDATE:20240320T100000Z"));
        Assert.True(Matches(e, InRange("VEVENT", Range(Utc(2024, 3, 20), Utc(2024, 3, 21)))));
        Assert.False(Matches(e, InRange("VEVENT", Range(Utc(2024, 3, 21), Utc(2024, 3, 22)))));
    }

    static readonly string MovedOverride = Ics.Calendar(
        Ics.Event("m", "DTSTART:20240101T100000Z", "DTEND:20240101T110000Z", "RRULE:FREQ=WEEKLY;COUNT=5", "SUMMARY:Series"),
        Ics.Event("m", "RECURRENCE-ID:20240115T100000Z", "DTSTART:20240117T140000Z", "DTEND:20240117T150000Z", "SUMMARY:Moved"));

    [Fact]
    public void OverrideMovedOutOfTheRangeDoesNotMatch()
    {
        Assert.False(Matches(MovedOverride, InRange("VEVENT", Range(Utc(2024, 1, 15), Utc(2024, 1, 16)))));
    }

    [Fact]
    public void OverrideMovedIntoTheRangeMatches()
    {
        Assert.True(Matches(MovedOverride, InRange("VEVENT", Range(Utc(2024, 1, 17), Utc(2024, 1, 18)))));
    }

    [Fact]
    public void TimeRangeAndPropFilterApplyToTheSameInstanceComponent()
    {
        // In the range only the override (SUMMARY:Moved) has an instance.
        CompFilter Filter(string summary) => new("VCALENDAR", false, null, [],
            [new CompFilter("VEVENT", false, Range(Utc(2024, 1, 17), Utc(2024, 1, 18)), [Text("SUMMARY", summary)], [])]);
        Assert.True(Matches(MovedOverride, Filter("moved")));
        Assert.False(Matches(MovedOverride, Filter("series")));
    }

    [Fact]
    public void EventStartedBeforeTheRangeStillOverlaps()
    {
        var e = Ics.Calendar(Ics.Event("long", "DTSTART:20240101T100000Z", "DTEND:20240105T100000Z"));
        Assert.True(Matches(e, InRange("VEVENT", Range(Utc(2024, 1, 3), Utc(2024, 1, 4)))));
        var weeklyLong = Ics.Calendar(Ics.Event("wl", "DTSTART:20240101T000000Z", "DTEND:20240104T000000Z", "RRULE:FREQ=WEEKLY;COUNT=3"));
        Assert.True(Matches(weeklyLong, InRange("VEVENT", Range(Utc(2024, 1, 10), Utc(2024, 1, 11)))));
        Assert.False(Matches(weeklyLong, InRange("VEVENT", Range(Utc(2024, 1, 11), Utc(2024, 1, 15)))));
    }

    // ---- all-day ----

    static readonly string AllDay = Ics.Calendar(Ics.Event("ad", "DTSTART;VALUE=DATE:20240110"));

    [Fact]
    public void AllDayEventMatchesItsFirstSecond()
    {
        Assert.True(Matches(AllDay, InRange("VEVENT", Range(Utc(2024, 1, 10), Utc(2024, 1, 10, 0, 0, 1)))));
        Assert.True(Matches(AllDay, InRange("VEVENT", Range(Utc(2024, 1, 10, 23, 59, 59), Utc(2024, 1, 11)))));
    }

    [Fact]
    public void AllDayEventDoesNotMatchRangesThatOnlyTouchIt()
    {
        Assert.False(Matches(AllDay, InRange("VEVENT", Range(Utc(2024, 1, 9), Utc(2024, 1, 10)))));
        Assert.False(Matches(AllDay, InRange("VEVENT", Range(Utc(2024, 1, 11), Utc(2024, 1, 12)))));
    }

    [Fact]
    public void AllDayEventWithDtendCoversItsDays()
    {
        var twoDays = Ics.Calendar(Ics.Event("ad2", "DTSTART;VALUE=DATE:20240110", "DTEND;VALUE=DATE:20240112"));
        Assert.True(Matches(twoDays, InRange("VEVENT", Range(Utc(2024, 1, 11, 12), Utc(2024, 1, 11, 13)))));
        Assert.False(Matches(twoDays, InRange("VEVENT", Range(Utc(2024, 1, 12), Utc(2024, 1, 13)))));
    }

    // ---- zero-duration events (RFC 4791 §9.9) ----

    [Fact]
    public void ZeroDurationEventWithoutDtendMatchesRangesStartingAtIt()
    {
        // No DTEND, no DURATION, DATE-TIME DTSTART: (start <= DTSTART AND end > DTSTART).
        var e = Ics.Calendar(Ics.Event("z", "DTSTART:20240110T100000Z"));
        Assert.True(Matches(e, InRange("VEVENT", Range(Utc(2024, 1, 10, 10), Utc(2024, 1, 10, 11)))));
        Assert.True(Matches(e, InRange("VEVENT", Range(Utc(2024, 1, 10, 9), Utc(2024, 1, 10, 10, 0, 1)))));
        Assert.False(Matches(e, InRange("VEVENT", Range(Utc(2024, 1, 10, 9), Utc(2024, 1, 10, 10)))));
        Assert.False(Matches(e, InRange("VEVENT", Range(Utc(2024, 1, 10, 10, 0, 1), Utc(2024, 1, 10, 11)))));
    }

    [Fact]
    public void ZeroDurationPropertyBehavesLikeNoEnd()
    {
        // DURATION of 0 seconds: (start <= DTSTART AND end > DTSTART).
        var e = Ics.Calendar(Ics.Event("z0", "DTSTART:20240110T100000Z", "DURATION:PT0S"));
        Assert.True(Matches(e, InRange("VEVENT", Range(Utc(2024, 1, 10, 10), Utc(2024, 1, 10, 11)))));
        Assert.False(Matches(e, InRange("VEVENT", Range(Utc(2024, 1, 10, 9), Utc(2024, 1, 10, 10)))));
    }

    [Fact]
    public void DtendEqualToDtstartUsesTheDtendRow()
    {
        // DTEND present: (start < DTEND AND end > DTSTART), so a range starting exactly at the instant does not match.
        var e = Ics.Calendar(Ics.Event("ze", "DTSTART:20240110T100000Z", "DTEND:20240110T100000Z"));
        Assert.True(Matches(e, InRange("VEVENT", Range(Utc(2024, 1, 10, 9), Utc(2024, 1, 10, 11)))));
        Assert.False(Matches(e, InRange("VEVENT", Range(Utc(2024, 1, 10, 10), Utc(2024, 1, 10, 11)))));
        Assert.False(Matches(e, InRange("VEVENT", Range(Utc(2024, 1, 10, 9), Utc(2024, 1, 10, 10)))));
    }

    // ---- VTODO (RFC 4791 §9.9 table) ----

    static string Todo(params string[] props) => Ics.Calendar(Ics.Todo("t", props));

    [Fact]
    public void TodoWithDueOnly()
    {
        // (start < DUE) AND (end >= DUE)
        var t = Todo("DUE:20240110T100000Z");
        Assert.True(Matches(t, InRange("VTODO", Range(Utc(2024, 1, 10, 9), Utc(2024, 1, 10, 10)))));
        Assert.True(Matches(t, InRange("VTODO", Range(Utc(2024, 1, 10, 9), Utc(2024, 1, 10, 11)))));
        Assert.False(Matches(t, InRange("VTODO", Range(Utc(2024, 1, 10, 10), Utc(2024, 1, 10, 11)))));
        Assert.False(Matches(t, InRange("VTODO", Range(Utc(2024, 1, 10, 8), Utc(2024, 1, 10, 9)))));
    }

    [Fact]
    public void TodoWithDtstartOnly()
    {
        // (start <= DTSTART) AND (end > DTSTART)
        var t = Todo("DTSTART:20240110T100000Z");
        Assert.True(Matches(t, InRange("VTODO", Range(Utc(2024, 1, 10, 10), Utc(2024, 1, 10, 11)))));
        Assert.False(Matches(t, InRange("VTODO", Range(Utc(2024, 1, 10, 9), Utc(2024, 1, 10, 10)))));
        Assert.False(Matches(t, InRange("VTODO", Range(Utc(2024, 1, 10, 10, 0, 1), Utc(2024, 1, 10, 11)))));
    }

    [Fact]
    public void TodoWithDtstartAndDue()
    {
        // ((start < DUE) OR (start <= DTSTART)) AND ((end > DTSTART) OR (end >= DUE))
        var t = Todo("DTSTART:20240110T100000Z", "DUE:20240110T120000Z");
        Assert.True(Matches(t, InRange("VTODO", Range(Utc(2024, 1, 10, 11), Utc(2024, 1, 10, 13)))));
        Assert.True(Matches(t, InRange("VTODO", Range(Utc(2024, 1, 10, 9), Utc(2024, 1, 10, 10, 30)))));
        Assert.False(Matches(t, InRange("VTODO", Range(Utc(2024, 1, 10, 12), Utc(2024, 1, 10, 13)))));
        Assert.False(Matches(t, InRange("VTODO", Range(Utc(2024, 1, 10, 9), Utc(2024, 1, 10, 10)))));
    }

    [Fact]
    public void TodoWithDtstartAndDuration()
    {
        // (start <= DTSTART+DURATION) AND ((end > DTSTART) OR (end >= DTSTART+DURATION))
        var t = Todo("DTSTART:20240110T100000Z", "DURATION:PT2H");
        Assert.True(Matches(t, InRange("VTODO", Range(Utc(2024, 1, 10, 11), Utc(2024, 1, 10, 13)))));
        Assert.True(Matches(t, InRange("VTODO", Range(Utc(2024, 1, 10, 12), Utc(2024, 1, 10, 13)))));
        Assert.False(Matches(t, InRange("VTODO", Range(Utc(2024, 1, 10, 12, 0, 1), Utc(2024, 1, 10, 13)))));
        Assert.False(Matches(t, InRange("VTODO", Range(Utc(2024, 1, 10, 9), Utc(2024, 1, 10, 10)))));
    }

    [Fact]
    public void TodoWithoutDatesMatchesEveryRange()
    {
        var t = Todo("SUMMARY:someday");
        Assert.True(Matches(t, InRange("VTODO", Range(Utc(1990, 1, 1), Utc(1990, 1, 2)))));
        Assert.True(Matches(t, InRange("VTODO", Range(Utc(2100, 1, 1), null))));
    }

    [Fact]
    public void TodoWithOnlyCompleted()
    {
        // (start <= COMPLETED) AND (end >= COMPLETED)
        var t = Todo("COMPLETED:20240110T100000Z");
        Assert.True(Matches(t, InRange("VTODO", Range(Utc(2024, 1, 10, 10), Utc(2024, 1, 10, 11)))));
        Assert.True(Matches(t, InRange("VTODO", Range(Utc(2024, 1, 10, 9), Utc(2024, 1, 10, 10)))));
        Assert.False(Matches(t, InRange("VTODO", Range(Utc(2024, 1, 10, 11), Utc(2024, 1, 10, 12)))));
    }

    [Fact]
    public void TodoWithOnlyCreated()
    {
        // (end > CREATED)
        var t = Todo("CREATED:20240110T100000Z");
        Assert.True(Matches(t, InRange("VTODO", Range(Utc(2024, 1, 10, 9), Utc(2024, 1, 10, 11)))));
        Assert.True(Matches(t, InRange("VTODO", Range(Utc(2030, 1, 1), Utc(2030, 1, 2)))));
        Assert.False(Matches(t, InRange("VTODO", Range(Utc(2024, 1, 10, 9), Utc(2024, 1, 10, 10)))));
    }

    [Fact]
    public void TodoWithCreatedAndCompleted()
    {
        // ((start <= CREATED) OR (start <= COMPLETED)) AND ((end >= CREATED) OR (end >= COMPLETED))
        var t = Todo("CREATED:20240110T100000Z", "COMPLETED:20240112T100000Z");
        Assert.True(Matches(t, InRange("VTODO", Range(Utc(2024, 1, 11), Utc(2024, 1, 11, 1)))));
        Assert.True(Matches(t, InRange("VTODO", Range(Utc(2024, 1, 12, 10), Utc(2024, 1, 13)))));
        Assert.False(Matches(t, InRange("VTODO", Range(Utc(2024, 1, 12, 10, 0, 1), Utc(2024, 1, 13)))));
        Assert.False(Matches(t, InRange("VTODO", Range(Utc(2024, 1, 9), Utc(2024, 1, 10, 9)))));
    }

    // ---- VJOURNAL ----

    [Fact]
    public void JournalOnADateCoversTheDay()
    {
        var j = Ics.Calendar("BEGIN:VJOURNAL", "UID:j", "DTSTAMP:20240101T000000Z", "DTSTART;VALUE=DATE:20240110", "END:VJOURNAL");
        Assert.True(Matches(j, InRange("VJOURNAL", Range(Utc(2024, 1, 10, 12), Utc(2024, 1, 10, 13)))));
        Assert.False(Matches(j, InRange("VJOURNAL", Range(Utc(2024, 1, 11), Utc(2024, 1, 12)))));
    }

    [Fact]
    public void JournalAtADateTimeIsAnInstant()
    {
        // (start <= DTSTART AND end > DTSTART)
        var j = Ics.Calendar("BEGIN:VJOURNAL", "UID:j", "DTSTAMP:20240101T000000Z", "DTSTART:20240110T100000Z", "END:VJOURNAL");
        Assert.True(Matches(j, InRange("VJOURNAL", Range(Utc(2024, 1, 10, 10), Utc(2024, 1, 10, 11)))));
        Assert.False(Matches(j, InRange("VJOURNAL", Range(Utc(2024, 1, 10, 9), Utc(2024, 1, 10, 10)))));
    }

    [Fact]
    public void RecurringJournalWithOverrideAndExdate()
    {
        var j = Ics.Calendar(
            string.Join("\r\n", "BEGIN:VJOURNAL", "UID:j", "DTSTAMP:20240101T000000Z", "DTSTART:20240101T100000Z",
                "RRULE:FREQ=DAILY;COUNT=10", "EXDATE:20240103T100000Z", "SUMMARY:daily", "END:VJOURNAL"),
            string.Join("\r\n", "BEGIN:VJOURNAL", "UID:j", "DTSTAMP:20240101T000000Z", "RECURRENCE-ID:20240105T100000Z",
                "DTSTART:20240120T100000Z", "SUMMARY:moved", "END:VJOURNAL"));
        Assert.True(Matches(j, InRange("VJOURNAL", Range(Utc(2024, 1, 8), Utc(2024, 1, 9)))));
        Assert.False(Matches(j, InRange("VJOURNAL", Range(Utc(2024, 1, 3), Utc(2024, 1, 4)))));
        Assert.False(Matches(j, InRange("VJOURNAL", Range(Utc(2024, 1, 5), Utc(2024, 1, 6)))));
        Assert.True(Matches(j, InRange("VJOURNAL", Range(Utc(2024, 1, 20), Utc(2024, 1, 21)))));
        Assert.False(Matches(j, InRange("VJOURNAL", Range(Utc(2024, 1, 11), Utc(2024, 1, 19)))));
    }

    [Fact]
    public void TodoWithDueOnlyAlsoMatchesOpenRanges()
    {
        var t = Todo("DUE:20240110T100000Z");
        Assert.True(Matches(t, InRange("VTODO", Range(null, Utc(2024, 1, 10, 10)))));
        Assert.False(Matches(t, InRange("VTODO", Range(Utc(2024, 1, 10, 10), null))));
    }

    [Fact]
    public void RangeStartingAtYearOneDoesNotThrow()
    {
        Assert.True(Matches(Weekly, InRange("VEVENT", Range(DateTime.SpecifyKind(DateTime.MinValue, DateTimeKind.Utc), Utc(2024, 1, 2)))));
    }

    [Fact]
    public void JournalWithoutDtstartNeverMatchesARange()
    {
        var j = Ics.Calendar("BEGIN:VJOURNAL", "UID:j", "DTSTAMP:20240101T000000Z", "SUMMARY:x", "END:VJOURNAL");
        Assert.False(Matches(j, InRange("VJOURNAL", Range(Utc(2000, 1, 1), Utc(2100, 1, 1)))));
    }

    // ---- prop-filter time-range ----

    [Fact]
    public void PropFilterTimeRangeOnADateTimeProperty()
    {
        var t = Todo("COMPLETED:20240110T100000Z");
        CompFilter Completed(TimeRange r) => WithProps("VTODO", new PropFilter("COMPLETED", false, r, null, []));
        Assert.True(Matches(t, Completed(Range(Utc(2024, 1, 10, 10), Utc(2024, 1, 10, 11)))));
        Assert.False(Matches(t, Completed(Range(Utc(2024, 1, 10, 9), Utc(2024, 1, 10, 10)))));
    }
}

using System.Text;

namespace Caldera.Calendars.Tests;

public class CalendarObjectParserTests
{
    static readonly string SimpleEvent = Ics.Calendar(Ics.Event("e1@example.com",
        "DTSTART:20240110T100000Z", "DTEND:20240110T110000Z", "SUMMARY:Meeting"));

    [Fact]
    public void ValidEventIsAccepted()
    {
        var parsed = Ics.Parse(SimpleEvent, Ics.Events);
        Assert.Equal("e1@example.com", parsed.Uid);
        Assert.Equal("VEVENT", parsed.Component);
        Assert.False(parsed.Recurring);
        Assert.Same(parsed.Body, parsed.Body);
        Assert.Single(parsed.Calendar.Events);
    }

    [Fact]
    public void ValidTodoIsAccepted()
    {
        var parsed = Ics.Parse(Ics.Calendar(Ics.Todo("t1", "SUMMARY:Buy milk", "DUE:20240110T100000Z")), ["VTODO"]);
        Assert.Equal("t1", parsed.Uid);
        Assert.Equal("VTODO", parsed.Component);
        Assert.Single(parsed.Calendar.Todos);
    }

    [Fact]
    public void ValidJournalIsAccepted()
    {
        var text = Ics.Calendar("BEGIN:VJOURNAL", "UID:j1", "DTSTAMP:20240101T000000Z", "DTSTART;VALUE=DATE:20240110",
            "SUMMARY:Diary", "END:VJOURNAL");
        var parsed = Ics.Parse(text, ["VJOURNAL"]);
        Assert.Equal("VJOURNAL", parsed.Component);
        // A DATE journal covers its day, widened by ±14 h because dates float.
        Assert.Equal(new DateTimeOffset(2024, 1, 9, 10, 0, 0, TimeSpan.Zero), parsed.RangeStart);
        Assert.Equal(new DateTimeOffset(2024, 1, 11, 14, 0, 0, TimeSpan.Zero), parsed.RangeEnd);
    }

    [Fact]
    public void RecurringJournalIsAccepted()
    {
        var text = Ics.Calendar("BEGIN:VJOURNAL", "UID:j2", "DTSTAMP:20240101T000000Z", "DTSTART:20240110T100000Z",
            "RRULE:FREQ=DAILY;COUNT=3", "END:VJOURNAL");
        var parsed = Ics.Parse(text, ["VJOURNAL"]);
        Assert.True(parsed.Recurring);
        Assert.Equal(new DateTimeOffset(2024, 1, 10, 10, 0, 0, TimeSpan.Zero), parsed.RangeStart);
        Assert.Equal(new DateTimeOffset(2024, 1, 12, 10, 0, 0, TimeSpan.Zero), parsed.RangeEnd);
    }

    [Fact]
    public void TodoWithoutDatesIsAcceptedWithUnknownEnvelope()
    {
        var parsed = Ics.Parse(Ics.Calendar(Ics.Todo("t2", "SUMMARY:Someday")), ["VTODO"]);
        Assert.Equal("VTODO", parsed.Component);
        Assert.Null(parsed.RangeStart);
        Assert.Null(parsed.RangeEnd);
    }

    [Fact]
    public void LfLineEndingsAreAccepted()
    {
        var parsed = Ics.Parse(SimpleEvent.Replace("\r\n", "\n"));
        Assert.Equal("e1@example.com", parsed.Uid);
        Assert.Equal(new DateTimeOffset(2024, 1, 10, 10, 0, 0, TimeSpan.Zero), parsed.RangeStart);
    }

    [Fact]
    public void FoldedLinesAreUnfolded()
    {
        var text = Ics.Calendar(
            "BEGIN:VEVENT",
            "UID:folded-",
            " uid@example.com",
            "DTSTAMP:20240101T000000Z",
            "DTSTART:2024011",
            "\t0T100000Z",
            "SUMMARY:A long",
            "  summary",
            "END:VEVENT");
        var parsed = Ics.Parse(text);
        Assert.Equal("folded-uid@example.com", parsed.Uid);
        Assert.Equal("A long summary", parsed.Calendar.Events.Single().Summary);
        Assert.Equal(new DateTimeOffset(2024, 1, 10, 10, 0, 0, TimeSpan.Zero), parsed.RangeStart);
    }

    [Fact]
    public void FoldedBeginLineIsUnfoldedBeforeTheStructureCheck()
    {
        var text = Ics.Calendar("BEGIN:VEV", " ENT", "UID:x", "DTSTAMP:20240101T000000Z", "DTSTART:20240110T100000Z", "END:VEVENT");
        Assert.Equal("VEVENT", Ics.Parse(text).Component);
    }

    [Fact]
    public void ByteOrderMarkIsStrippedFromTheStoredBody()
    {
        var body = new byte[] { 0xEF, 0xBB, 0xBF }.Concat(Ics.Bytes(SimpleEvent)).ToArray();
        var parsed = CalendarObjectParser.Parse(body, Ics.Events);
        Assert.Equal("e1@example.com", parsed.Uid);
        Assert.Equal(Ics.Bytes(SimpleEvent), parsed.Body);
    }

    [Fact]
    public void BodyWithoutByteOrderMarkIsKeptAsSent()
    {
        var body = Ics.Bytes(SimpleEvent);
        Assert.Same(body, CalendarObjectParser.Parse(body, Ics.Events).Body);
    }

    [Theory]
    [InlineData(new byte[] { 0xFF, 0xFE })]
    [InlineData(new byte[] { 0xFE, 0xFF })]
    [InlineData(new byte[] { 0xFF, 0xFE, 0x00, 0x00 })]
    public void Utf16Or32IsUnsupportedMediaType(byte[] bom)
    {
        var body = bom.Concat(Encoding.Unicode.GetBytes(SimpleEvent)).ToArray();
        Assert.Equal(CalendarDataError.UnsupportedMediaType, Ics.Refusal(body));
    }

    [Fact]
    public void StoredTextIsReadWithoutItsByteOrderMark()
    {
        var body = new byte[] { 0xEF, 0xBB, 0xBF }.Concat(Ics.Bytes(SimpleEvent)).ToArray();
        Assert.Equal(SimpleEvent, CalendarText.Read(body));
        Assert.Equal(SimpleEvent, CalendarText.Read(Ics.Bytes(SimpleEvent)));
    }

    [Fact]
    public void NonUtf8BytesAreInvalidData()
    {
        var latin1 = Encoding.Latin1.GetBytes(Ics.Calendar(Ics.Event("x", "DTSTART:20240110T100000Z", "SUMMARY:Caf\u00e9")));
        Assert.Equal(CalendarDataError.InvalidData, Ics.Refusal(latin1));
    }

    [Fact]
    public void Utf8TextIsKept()
    {
        var parsed = Ics.Parse(Ics.Calendar(Ics.Event("x", "DTSTART:20240110T100000Z", "SUMMARY:Caf\u00e9 \u65e5\u672c")));
        Assert.Equal("Caf\u00e9 \u65e5\u672c", parsed.Calendar.Events.Single().Summary);
    }

    [Theory]
    [InlineData("")]
    [InlineData("\r\n\r\n")]
    [InlineData("hello world")]
    [InlineData("<html><body>not a calendar</body></html>")]
    [InlineData("{\"json\": true}")]
    public void JunkIsInvalidData(string junk)
    {
        Assert.Equal(CalendarDataError.InvalidData, Ics.Refusal(junk));
    }

    [Fact]
    public void LineWithoutColonIsInvalidData()
    {
        var text = Ics.Calendar(Ics.Event("x", "DTSTART:20240110T100000Z", "this line has no colon"));
        Assert.Equal(CalendarDataError.InvalidData, Ics.Refusal(text));
    }

    [Fact]
    public void MismatchedEndIsInvalidData()
    {
        var text = Ics.Calendar("BEGIN:VEVENT", "UID:x", "DTSTAMP:20240101T000000Z", "DTSTART:20240110T100000Z", "END:VTODO");
        Assert.Equal(CalendarDataError.InvalidData, Ics.Refusal(text));
    }

    [Fact]
    public void UnclosedComponentIsInvalidData()
    {
        var text = Ics.Text("BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:x", "BEGIN:VEVENT", "UID:x", "DTSTART:20240110T100000Z", "END:VEVENT");
        Assert.Equal(CalendarDataError.InvalidData, Ics.Refusal(text));
    }

    [Fact]
    public void EndWithoutBeginIsInvalidData()
    {
        var text = SimpleEvent + "END:VEVENT\r\n";
        Assert.Equal(CalendarDataError.InvalidData, Ics.Refusal(text));
    }

    [Fact]
    public void ContentOutsideVcalendarIsInvalidData()
    {
        Assert.Equal(CalendarDataError.InvalidData, Ics.Refusal(SimpleEvent + "SUMMARY:trailing\r\n"));
        Assert.Equal(CalendarDataError.InvalidData, Ics.Refusal("X-BEFORE:1\r\n" + SimpleEvent));
    }

    [Fact]
    public void DataNotStartingWithVcalendarIsInvalidData()
    {
        var text = Ics.Text("BEGIN:VEVENT", "UID:x", "DTSTART:20240110T100000Z", "END:VEVENT");
        Assert.Equal(CalendarDataError.InvalidData, Ics.Refusal(text));
    }

    [Fact]
    public void TwoVcalendarsAreNotOneObjectResource()
    {
        var other = Ics.Calendar(Ics.Event("e1@example.com", "DTSTART:20240111T100000Z"));
        Assert.Equal(CalendarDataError.InvalidObjectResource, Ics.Refusal(SimpleEvent + other));
    }

    [Fact]
    public void MethodIsRefused()
    {
        var text = Ics.Calendar(["METHOD:REQUEST", Ics.Event("x", "DTSTART:20240110T100000Z")]);
        Assert.Equal(CalendarDataError.InvalidObjectResource, Ics.Refusal(text));
    }

    [Fact]
    public void TwoUidsAreRefused()
    {
        var text = Ics.Calendar(Ics.Event("a", "DTSTART:20240110T100000Z"), Ics.Event("b", "DTSTART:20240111T100000Z"));
        Assert.Equal(CalendarDataError.InvalidObjectResource, Ics.Refusal(text));
    }

    [Fact]
    public void MissingUidIsRefused()
    {
        var text = Ics.Calendar("BEGIN:VEVENT", "DTSTAMP:20240101T000000Z", "DTSTART:20240110T100000Z", "END:VEVENT");
        Assert.Equal(CalendarDataError.InvalidObjectResource, Ics.Refusal(text));
    }

    [Fact]
    public void EmptyUidIsRefused()
    {
        var text = Ics.Calendar("BEGIN:VEVENT", "UID:", "DTSTAMP:20240101T000000Z", "DTSTART:20240110T100000Z", "END:VEVENT");
        Assert.Equal(CalendarDataError.InvalidObjectResource, Ics.Refusal(text));
    }

    [Fact]
    public void OverrideWithoutUidIsRefused()
    {
        var text = Ics.Calendar(
            Ics.Event("r", "DTSTART:20240101T100000Z", "RRULE:FREQ=WEEKLY;COUNT=4"),
            string.Join("\r\n", "BEGIN:VEVENT", "RECURRENCE-ID:20240108T100000Z", "DTSTAMP:20240101T000000Z", "DTSTART:20240108T120000Z", "END:VEVENT"));
        Assert.Equal(CalendarDataError.InvalidObjectResource, Ics.Refusal(text));
    }

    [Fact]
    public void UidInsideAnAlarmDoesNotCountForTheEvent()
    {
        var text = Ics.Calendar("BEGIN:VEVENT", "DTSTAMP:20240101T000000Z", "DTSTART:20240110T100000Z",
            "BEGIN:VALARM", "UID:alarm-uid", "ACTION:DISPLAY", "DESCRIPTION:x", "TRIGGER:-PT5M", "END:VALARM", "END:VEVENT");
        Assert.Equal(CalendarDataError.InvalidObjectResource, Ics.Refusal(text));
    }

    [Fact]
    public void TwoMastersWithOneUidAreRefused()
    {
        var text = Ics.Calendar(Ics.Event("a", "DTSTART:20240110T100000Z"), Ics.Event("a", "DTSTART:20240111T100000Z"));
        Assert.Equal(CalendarDataError.InvalidObjectResource, Ics.Refusal(text));
    }

    [Fact]
    public void EventAndTodoTogetherAreRefused()
    {
        var text = Ics.Calendar(Ics.Event("a", "DTSTART:20240110T100000Z"), Ics.Todo("a", "DUE:20240110T100000Z"));
        Assert.Equal(CalendarDataError.InvalidObjectResource, Ics.Refusal(text));
    }

    [Fact]
    public void OnlyVtimezoneIsRefused()
    {
        var text = Ics.Calendar("BEGIN:VTIMEZONE", "TZID:Europe/Paris",
            "BEGIN:STANDARD", "DTSTART:19701025T030000", "TZOFFSETFROM:+0200", "TZOFFSETTO:+0100", "END:STANDARD",
            "END:VTIMEZONE");
        Assert.Equal(CalendarDataError.InvalidObjectResource, Ics.Refusal(text));
    }

    [Fact]
    public void EmptyVcalendarIsRefused()
    {
        Assert.Throws<CalendarDataException>(() => Ics.Parse(Ics.Calendar()));
    }

    [Fact]
    public void ComponentTheCalendarDoesNotTakeIsUnsupported()
    {
        var todo = Ics.Calendar(Ics.Todo("t", "DUE:20240110T100000Z"));
        Assert.Equal(CalendarDataError.UnsupportedComponent, Ics.Refusal(todo, ["VEVENT"]));
        Assert.Equal(CalendarDataError.UnsupportedComponent, Ics.Refusal(SimpleEvent, ["VTODO"]));
    }

    [Fact]
    public void UnknownComponentIsUnsupported()
    {
        var text = Ics.Calendar("BEGIN:X-THING", "UID:x", "END:X-THING");
        Assert.Equal(CalendarDataError.UnsupportedComponent, Ics.Refusal(text));
    }

    [Fact]
    public void EventWithoutDtstartIsInvalidData()
    {
        var text = Ics.Calendar(Ics.Event("x", "SUMMARY:no start"));
        Assert.Equal(CalendarDataError.InvalidData, Ics.Refusal(text));
    }

    [Fact]
    public void DtendBeforeDtstartIsInvalidData()
    {
        var text = Ics.Calendar(Ics.Event("x", "DTSTART:20240110T100000Z", "DTEND:20240110T090000Z"));
        Assert.Equal(CalendarDataError.InvalidData, Ics.Refusal(text));
    }

    [Fact]
    public void DtendBeforeDtstartAcrossTimeZonesIsInvalidData()
    {
        // 10:00 in New York is 15:00Z; 14:00Z is before it although 14 > 10 on the clock.
        var text = Ics.Calendar(Ics.Event("x", "DTSTART;TZID=America/New_York:20240110T100000", "DTEND:20240110T140000Z"));
        Assert.Equal(CalendarDataError.InvalidData, Ics.Refusal(text));
    }

    [Fact]
    public void DtendAndDurationTogetherAreInvalidData()
    {
        var text = Ics.Calendar(Ics.Event("x", "DTSTART:20240110T100000Z", "DTEND:20240110T110000Z", "DURATION:PT1H"));
        Assert.Equal(CalendarDataError.InvalidData, Ics.Refusal(text));
    }

    [Fact]
    public void MasterWithOverridesIsAccepted()
    {
        var text = Ics.Calendar(
            Ics.Event("r", "DTSTART:20240101T100000Z", "DTEND:20240101T110000Z", "RRULE:FREQ=WEEKLY;COUNT=4"),
            Ics.Event("r", "RECURRENCE-ID:20240108T100000Z", "DTSTART:20240108T120000Z", "DTEND:20240108T130000Z"),
            Ics.Event("r", "RECURRENCE-ID:20240115T100000Z", "DTSTART:20240115T100000Z", "DTEND:20240115T110000Z", "SUMMARY:moved"));
        var parsed = Ics.Parse(text);
        Assert.True(parsed.Recurring);
        Assert.Equal("r", parsed.Uid);
        Assert.Equal(3, parsed.Calendar.Events.Count);
    }

    [Fact]
    public void OverridesWithoutMasterAreAccepted()
    {
        var text = Ics.Calendar(
            Ics.Event("r", "RECURRENCE-ID:20240108T100000Z", "DTSTART:20240108T120000Z", "DTEND:20240108T130000Z"));
        var parsed = Ics.Parse(text);
        Assert.True(parsed.Recurring);
    }

    [Fact]
    public void DuplicateRecurrenceIdIsRefused()
    {
        var text = Ics.Calendar(
            Ics.Event("r", "DTSTART:20240101T100000Z", "RRULE:FREQ=WEEKLY;COUNT=4"),
            Ics.Event("r", "RECURRENCE-ID:20240108T100000Z", "DTSTART:20240108T120000Z"),
            Ics.Event("r", "RECURRENCE-ID:20240108T100000Z", "DTSTART:20240108T140000Z"));
        Assert.Equal(CalendarDataError.InvalidObjectResource, Ics.Refusal(text));
    }

    [Fact]
    public void EnvelopeOfSingleEvent()
    {
        var parsed = Ics.Parse(SimpleEvent);
        Assert.Equal(new DateTimeOffset(2024, 1, 10, 10, 0, 0, TimeSpan.Zero), parsed.RangeStart);
        Assert.Equal(new DateTimeOffset(2024, 1, 10, 11, 0, 0, TimeSpan.Zero), parsed.RangeEnd);
    }

    [Fact]
    public void EnvelopeOfEventInTimeZoneIsUtc()
    {
        var parsed = Ics.Parse(Ics.Calendar(Ics.Event("x",
            "DTSTART;TZID=Europe/Berlin:20240710T100000", "DTEND;TZID=Europe/Berlin:20240710T110000")));
        Assert.Equal(new DateTimeOffset(2024, 7, 10, 8, 0, 0, TimeSpan.Zero), parsed.RangeStart);
        Assert.Equal(new DateTimeOffset(2024, 7, 10, 9, 0, 0, TimeSpan.Zero), parsed.RangeEnd);
    }

    [Fact]
    public void EnvelopeOfCountBoundedWeeklySeriesEndsWithTheLastInstance()
    {
        var parsed = Ics.Parse(Ics.Calendar(Ics.Event("w",
            "DTSTART:20240101T100000Z", "DTEND:20240101T113000Z", "RRULE:FREQ=WEEKLY;COUNT=5")));
        Assert.True(parsed.Recurring);
        Assert.Equal(new DateTimeOffset(2024, 1, 1, 10, 0, 0, TimeSpan.Zero), parsed.RangeStart);
        Assert.Equal(new DateTimeOffset(2024, 1, 29, 11, 30, 0, TimeSpan.Zero), parsed.RangeEnd);
    }

    [Fact]
    public void EnvelopeCoversAnOverrideMovedPastTheSeries()
    {
        var parsed = Ics.Parse(Ics.Calendar(
            Ics.Event("w", "DTSTART:20240101T100000Z", "DTEND:20240101T110000Z", "RRULE:FREQ=WEEKLY;COUNT=2"),
            Ics.Event("w", "RECURRENCE-ID:20240108T100000Z", "DTSTART:20240301T100000Z", "DTEND:20240301T110000Z")));
        Assert.Equal(new DateTimeOffset(2024, 1, 1, 10, 0, 0, TimeSpan.Zero), parsed.RangeStart);
        Assert.Equal(new DateTimeOffset(2024, 3, 1, 11, 0, 0, TimeSpan.Zero), parsed.RangeEnd);
    }

    [Fact]
    public void EnvelopeOfEndlessRuleIsOpen()
    {
        var parsed = Ics.Parse(Ics.Calendar(Ics.Event("d",
            "DTSTART:20240101T100000Z", "DTEND:20240101T110000Z", "RRULE:FREQ=DAILY")));
        Assert.True(parsed.Recurring);
        Assert.Equal(new DateTimeOffset(2024, 1, 1, 10, 0, 0, TimeSpan.Zero), parsed.RangeStart);
        Assert.Null(parsed.RangeEnd);
    }

    [Fact]
    public void EnvelopeOfFloatingEventIsWidenedBy14Hours()
    {
        var parsed = Ics.Parse(Ics.Calendar(Ics.Event("f", "DTSTART:20240110T100000", "DTEND:20240110T110000")));
        Assert.Equal(new DateTimeOffset(2024, 1, 9, 20, 0, 0, TimeSpan.Zero), parsed.RangeStart);
        Assert.Equal(new DateTimeOffset(2024, 1, 11, 1, 0, 0, TimeSpan.Zero), parsed.RangeEnd);
    }

    [Fact]
    public void EnvelopeOfAllDayEventIsWidenedBy14Hours()
    {
        var parsed = Ics.Parse(Ics.Calendar(Ics.Event("a", "DTSTART;VALUE=DATE:20240110")));
        Assert.Equal(new DateTimeOffset(2024, 1, 9, 10, 0, 0, TimeSpan.Zero), parsed.RangeStart);
        Assert.Equal(new DateTimeOffset(2024, 1, 11, 14, 0, 0, TimeSpan.Zero), parsed.RangeEnd);
    }

    [Fact]
    public async Task PathologicalRuleCompletes()
    {
        var text = Ics.Calendar(Ics.Event("p",
            "DTSTART:20240101T100000Z", "DTEND:20240101T110000Z", "RRULE:FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=30"));
        var task = Task.Run(() =>
        {
            try
            {
                Ics.Parse(text);
                return (CalendarDataError?)null;
            }
            catch (CalendarDataException e)
            {
                return e.Error;
            }
        });
        // A generous bound: WaitAsync throws TimeoutException if the evaluation runs away.
        var error = await task.WaitAsync(TimeSpan.FromSeconds(60));
        Assert.True(error is null or CalendarDataError.InvalidData, $"unexpected refusal {error}");
    }
}

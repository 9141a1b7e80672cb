namespace Caldera.Calendars.Tests;

/// <summary>Components per object (README "Limits"): the structural scan takes the limit and refuses one more.</summary>
public sealed class ComponentLimitTests
{
    /// <summary>One VCALENDAR holding one VEVENT with VALARMs: <paramref name="components"/> BEGIN lines in all.</summary>
    static string WithComponents(int components) =>
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//t//EN\r\nBEGIN:VEVENT\r\nUID:u\r\nDTSTAMP:20240101T000000Z\r\nDTSTART:20240101T100000Z\r\n" +
        string.Concat(Enumerable.Repeat("BEGIN:VALARM\r\nACTION:DISPLAY\r\nTRIGGER:-PT5M\r\nDESCRIPTION:x\r\nEND:VALARM\r\n", components - 2)) +
        "END:VEVENT\r\nEND:VCALENDAR\r\n";

    [Fact]
    public void The_limit_of_components_is_read_and_one_more_is_invalid_data()
    {
        Assert.Equal(new[] { "VEVENT" }, ICalendarLineScanner.Scan(WithComponents(ICalendarLineScanner.MaxComponents)));
        var refused = Assert.Throws<CalendarDataException>(() => ICalendarLineScanner.Scan(WithComponents(ICalendarLineScanner.MaxComponents + 1)));
        Assert.Equal(CalendarDataError.InvalidData, refused.Error);
    }

    static string Nested(int depth) =>
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\n" + string.Concat(Enumerable.Range(1, depth - 1).Select(i => $"BEGIN:X-C{i}\r\n")) +
        string.Concat(Enumerable.Range(1, depth - 1).Reverse().Select(i => $"END:X-C{i}\r\n")) + "END:VCALENDAR\r\n";

    [Fact]
    public void Components_nested_to_the_limit_are_read_and_one_deeper_is_invalid_data()
    {
        ICalendarLineScanner.Scan(Nested(ICalendarLineScanner.MaxDepth));
        var refused = Assert.Throws<CalendarDataException>(() => ICalendarLineScanner.Scan(Nested(ICalendarLineScanner.MaxDepth + 1)));
        Assert.Equal(CalendarDataError.InvalidData, refused.Error);
    }
}

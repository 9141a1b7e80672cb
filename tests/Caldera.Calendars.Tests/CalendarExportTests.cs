using Caldera.Calendars.Query;

namespace Caldera.Calendars.Tests;

public sealed class CalendarExportTests
{
    static readonly string Zone = string.Join("\r\n", "BEGIN:VTIMEZONE", "TZID:Europe/Berlin", "BEGIN:STANDARD", "DTSTART:19701025T030000",
        "TZOFFSETFROM:+0200", "TZOFFSETTO:+0100", "END:STANDARD", "END:VTIMEZONE");

    static async Task<string> ExportAsync(params string[] objects)
    {
        var writer = new StringWriter();
        var export = new CalendarExport(writer);
        await export.BeginAsync();
        foreach (var text in objects)
            await export.AddAsync(text);
        await export.EndAsync();
        return writer.ToString();
    }

    static int Count(string text, string needle) => text.Split(needle).Length - 1;

    [Fact]
    public async Task Objects_merge_into_one_vcalendar_with_each_time_zone_once()
    {
        var text = await ExportAsync(
            Ics.Calendar(Zone, Ics.Event("a", "DTSTART;TZID=Europe/Berlin:20270101T100000", "SUMMARY:A")),
            Ics.Calendar(Zone, Ics.Event("b", "DTSTART;TZID=Europe/Berlin:20270102T100000", "SUMMARY:B"),
                Ics.Event("b", "RECURRENCE-ID;TZID=Europe/Berlin:20270109T100000", "DTSTART;TZID=Europe/Berlin:20270109T120000")),
            Ics.Calendar(Ics.Todo("c", "SUMMARY:C")));

        Assert.StartsWith($"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:{CalendarExport.ProdId}\r\n", text);
        Assert.EndsWith("END:VCALENDAR\r\n", text);
        Assert.Equal(1, Count(text, "BEGIN:VCALENDAR"));
        Assert.Equal(1, Count(text, "BEGIN:VTIMEZONE"));
        Assert.Equal(3, Count(text, "BEGIN:VEVENT"));
        Assert.Equal(1, Count(text, "BEGIN:VTODO"));
        Assert.Equal(0, Count(text, "PRODID:-//Caldera//Tests//EN"));
        // The result is one calendar a client can read back whole.
        var calendar = Ical.Net.Calendar.Load(text)!;
        Assert.Equal(["a", "b", "b"], calendar.Events.Select(e => e.Uid));
        Assert.Single(calendar.Todos);
    }

    [Fact]
    public async Task An_empty_calendar_is_a_valid_empty_vcalendar_and_unreadable_text_adds_nothing()
    {
        var text = await ExportAsync("not a calendar");
        Assert.Equal($"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:{CalendarExport.ProdId}\r\nEND:VCALENDAR\r\n", text);
    }
}

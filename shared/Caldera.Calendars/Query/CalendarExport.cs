using System.Text;

namespace Caldera.Calendars.Query;

/// <summary>
/// Merges a calendar's objects into one iCalendar stream (the web page's .ics export): one VCALENDAR with Caldera's
/// PRODID, every object's components as stored, and each VTIMEZONE (by TZID) only the first time it appears.
/// Written object by object, so memory holds one object, not the calendar.
/// </summary>
public sealed class CalendarExport(TextWriter writer)
{
    public const string ProdId = "-//Caldera//Calendar export//EN";

    readonly HashSet<string> _zones = new(StringComparer.Ordinal);

    public Task BeginAsync() => writer.WriteAsync($"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:{ProdId}\r\n");

    /// <summary>Adds one stored object's components; text without a VCALENDAR adds nothing.</summary>
    public async Task AddAsync(string objectText)
    {
        ContentComponent vcalendar;
        try
        {
            vcalendar = ContentComponent.Parse(objectText);
        }
        catch (FormatException)
        {
            return;
        }
        var sb = new StringBuilder();
        foreach (var child in vcalendar.Children)
        {
            if (child.Name == "VTIMEZONE" && !_zones.Add(child.Find("TZID")?.Value.Trim() ?? ""))
                continue;
            sb.Append(child.ToString());
        }
        await writer.WriteAsync(sb);
    }

    public Task EndAsync() => writer.WriteAsync("END:VCALENDAR\r\n");
}

using System.Text;
using System.Xml;
using Caldera.Calendars;
using Caldera.Calendars.Query;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Caldera.Functions;

/// <summary>
/// Runs the iCalendar parser, filter evaluation, recurrence expansion and the XML writer once at start-up, so the
/// first request of a new instance does not pay for their first use (Ical.Net's set-up and JIT cost hundreds of
/// milliseconds). Touches no storage and no user data; a failure here is logged and never stops the host.
/// </summary>
internal sealed class EngineWarmup(ILogger<EngineWarmup> logger) : IHostedService
{
    const string Sample =
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Caldera//warm-up//EN\r\n" +
        "BEGIN:VTIMEZONE\r\nTZID:Europe/Berlin\r\nBEGIN:DAYLIGHT\r\nTZOFFSETFROM:+0100\r\nTZOFFSETTO:+0200\r\nDTSTART:19700329T020000\r\n" +
        "RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU\r\nEND:DAYLIGHT\r\nBEGIN:STANDARD\r\nTZOFFSETFROM:+0200\r\nTZOFFSETTO:+0100\r\n" +
        "DTSTART:19701025T030000\r\nRRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU\r\nEND:STANDARD\r\nEND:VTIMEZONE\r\n" +
        "BEGIN:VEVENT\r\nUID:warm-up\r\nDTSTAMP:20250101T000000Z\r\nDTSTART;TZID=Europe/Berlin:20250106T090000\r\n" +
        "DTEND;TZID=Europe/Berlin:20250106T100000\r\nRRULE:FREQ=WEEKLY;COUNT=10\r\nEXDATE;TZID=Europe/Berlin:20250113T090000\r\nSUMMARY:warm-up\r\nEND:VEVENT\r\n" +
        "BEGIN:VEVENT\r\nUID:warm-up\r\nDTSTAMP:20250101T000000Z\r\nRECURRENCE-ID;TZID=Europe/Berlin:20250120T090000\r\n" +
        "DTSTART;TZID=Europe/Berlin:20250120T110000\r\nDTEND;TZID=Europe/Berlin:20250120T120000\r\nSUMMARY:moved\r\nEND:VEVENT\r\n" +
        "END:VCALENDAR\r\n";

    public Task StartAsync(CancellationToken cancellationToken)
    {
        try
        {
            var parsed = CalendarObjectParser.Parse(Encoding.UTF8.GetBytes(Sample), ["VEVENT"]);
            var week = new TimeRange(new DateTime(2025, 1, 13, 0, 0, 0, DateTimeKind.Utc), new DateTime(2025, 1, 20, 0, 0, 0, DateTimeKind.Utc));
            var filter = new CompFilter("VCALENDAR", false, null, [], [new CompFilter("VEVENT", false, week, [], [])]);
            FilterEvaluator.Matches(parsed.Calendar, filter);
            Timeline.Build(parsed.Calendar, TimeZoneInfo.Utc, DateTime.UtcNow);
            CalendarDataFilter.Apply(Sample, new CalendarDataRequest(Expand: week));
            using var xml = XmlWriter.Create(Stream.Null, new XmlWriterSettings { Async = true });
            xml.WriteStartElement("D", "multistatus", "DAV:");
            xml.WriteElementString("D", "href", "DAV:", "/");
            xml.WriteEndElement();
        }
        catch (Exception e)
        {
            logger.LogWarning(e, "Engine warm-up failed; the first requests will be slower");
        }
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}

using System.Xml;
using System.Xml.Linq;

namespace Caldera.Calendars.Providers.Store;

/// <summary>
/// CALDAV:schedule-calendar-transp (RFC 6638 §9.1): whether a calendar's events count toward its owner's busy time.
/// The DAV engine keeps it with the calendar's dead properties (as <c>&lt;C:schedule-calendar-transp&gt;&lt;C:transparent/&gt;</c>);
/// this reads it back for the free-busy answers and the scheduler. Absent, or anything but transparent, is opaque.
/// </summary>
public static class ScheduleTransparency
{
    public static readonly XNamespace CalDav = "urn:ietf:params:xml:ns:caldav";
    public static readonly XName Property = CalDav + "schedule-calendar-transp";
    public static readonly XName Opaque = CalDav + "opaque";
    public static readonly XName Transparent = CalDav + "transparent";

    static readonly XmlReaderSettings Settings = new()
    {
        DtdProcessing = DtdProcessing.Prohibit,
        XmlResolver = null,
        IgnoreComments = true,
        IgnoreProcessingInstructions = true,
    };

    /// <summary>True when the calendar was marked transparent: its events never make its owner busy.</summary>
    public static bool IsTransparent(ICalendar calendar) => IsTransparent(calendar.DeadProperties);

    /// <summary>The same, from the stored dead-property XML (null: none).</summary>
    public static bool IsTransparent(string? deadProperties)
    {
        // Cheap test first: most calendars keep no dead properties, or none of this name.
        if (string.IsNullOrEmpty(deadProperties) || !deadProperties.Contains("schedule-calendar-transp", StringComparison.Ordinal))
            return false;
        try
        {
            using var reader = XmlReader.Create(new StringReader(deadProperties), Settings);
            return XElement.Load(reader).Elements(Property).FirstOrDefault()?.Elements().FirstOrDefault()?.Name == Transparent;
        }
        catch (XmlException)
        {
            return false;
        }
    }
}

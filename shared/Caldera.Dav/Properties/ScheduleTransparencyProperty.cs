using System.Xml.Linq;
using Caldera.Calendars.Providers;
using Caldera.Calendars.Providers.Store;

namespace Caldera.Dav.Properties;

/// <summary>
/// CALDAV:schedule-calendar-transp on calendars (RFC 6638 §9.1): read from the calendar's dead properties (opaque when
/// unset), and settable by PROPPATCH to exactly one of CALDAV:opaque / CALDAV:transparent; stored normalized, so
/// <see cref="ScheduleTransparency"/> reads the same answer the client sees.
/// </summary>
public static class ScheduleTransparencyProperty
{
    public static XElement Value(ICalendar calendar) =>
        new(ScheduleTransparency.IsTransparent(calendar) ? ScheduleTransparency.Transparent : ScheduleTransparency.Opaque);

    /// <summary>The element to store for a DAV:set, or null (with why) when the value is not one of the two the RFC names.</summary>
    public static XElement? Normalize(XElement prop, out string? reason)
    {
        var children = prop.Elements().ToList();
        var text = string.Concat(prop.Nodes().OfType<XText>().Select(t => t.Value));
        if (string.IsNullOrWhiteSpace(text) && children is [var only] && (only.Name == ScheduleTransparency.Opaque || only.Name == ScheduleTransparency.Transparent))
        {
            reason = null;
            return new XElement(ScheduleTransparency.Property, new XElement(only.Name));
        }
        reason = "schedule-calendar-transp takes exactly one of CALDAV:opaque or CALDAV:transparent";
        return null;
    }
}

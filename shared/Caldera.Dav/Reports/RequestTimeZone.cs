using System.Xml.Linq;
using Caldera.Calendars;
using Caldera.Calendars.Query;
using static Caldera.Dav.Xml.DavNames;

namespace Caldera.Dav.Reports;

/// <summary>
/// Where a calendar-query or free-busy-query places floating and DATE values (RFC 4791 §9.9): the request's
/// CALDAV:timezone (§9.8), or its RFC 7809 CALDAV:timezone-id, else the calendar's CALDAV:calendar-timezone, else UTC.
/// A timezone that is not one VTIMEZONE fails with CALDAV:valid-calendar-data (§7.8), an unknown timezone-id with
/// CALDAV:valid-timezone (RFC 7809 §5.2); both at once are a 400.
/// </summary>
static class RequestTimeZone
{
    /// <summary>The request's own zone, or null when it names none.</summary>
    public static TimeZoneInfo? Of(XElement body)
    {
        var definition = body.Element(C + "timezone");
        var id = body.Element(C + "timezone-id");
        if (definition is not null && id is not null)
            throw DavException.BadRequest("CALDAV:timezone and CALDAV:timezone-id are exclusive");
        if (id is not null)
            return FloatingTimeZone.FromId(id.Value)
                ?? throw DavException.Forbidden($"unknown time zone '{id.Value.Trim()}'", new XElement(C + "valid-timezone"));
        if (definition is null)
            return null;
        try
        {
            return FloatingTimeZone.FromDefinition(definition.Value);
        }
        catch (CalendarDataException e)
        {
            throw DavException.Forbidden(e.Message, new XElement(C + "valid-calendar-data"));
        }
    }

    /// <summary>The zone for one calendar: the request's, else the calendar's calendar-timezone, else UTC.</summary>
    public static TimeZoneInfo For(TimeZoneInfo? requested, string? calendarTimeZone) =>
        requested ?? FloatingTimeZone.FromCalendarTimeZone(calendarTimeZone);
}

using Ical.Net;
using Ical.Net.CalendarComponents;
using Ical.Net.Serialization;

namespace Caldera.Calendars.Query;

/// <summary>
/// RFC 7809 §5.2 CALDAV:calendar-timezone-id, kept as the calendar's one stored calendar-timezone so the two can
/// never disagree: the id is read off the stored VTIMEZONE (when it is an IANA zone the database knows and the
/// definition agrees with it), and setting an id stores a VTIMEZONE generated for it from the database.
/// </summary>
public static class CalendarTimeZoneId
{
    /// <summary>The IANA id of a stored calendar-timezone, or null when there is none or it defines a zone of its own.</summary>
    public static string? Of(string? vcalendar)
    {
        if (string.IsNullOrWhiteSpace(vcalendar))
            return null;
        try
        {
            var zone = Calendar.Load(vcalendar)?.TimeZones.FirstOrDefault();
            if (zone?.TzId is not { Length: > 0 } tzid || ObjectTimeZones.DefinesOwnRules(zone))
                return null;
            if (Known(tzid) is { } id)
                return id;
            if (TimeZoneInfo.TryConvertWindowsIdToIanaId(tzid, out var iana))
                return Known(iana);
            // Prefixed names ("/mozilla.org/.../Europe/Berlin") as the resolver that placed the times maps them.
            return DefaultTimeZoneResolver.GetZone(tzid) is { } mapped ? Known(mapped.Id) : null;
        }
        catch (Exception)
        {
            return null; // calendar-timezone was validated when set; an unreadable one has no id
        }
    }

    /// <summary>
    /// The id as a known IANA zone (RFC 7809 §5.2 CALDAV:valid-timezone), or null: Windows names, ids the database
    /// lacks, and ids spelt in another case are not IANA time zone identifiers.
    /// </summary>
    public static string? Known(string id)
    {
        id = id.Trim();
        // Exact names only: .NET's cache answers "europe/berlin" once Europe/Berlin was loaded, the files do not.
        if (id.Length == 0 || !TimeZoneInfo.TryFindSystemTimeZoneById(id, out var zone) || !zone.HasIanaId || zone.Id != id)
            return null;
        return zone.Id;
    }

    /// <summary>A calendar-timezone text (one VCALENDAR, one VTIMEZONE with TZID <paramref name="id"/>) from the database.</summary>
    public static string Definition(string id)
    {
        // ProductId replaces Ical.Net's own PRODID: RFC 5545 allows exactly one.
        var calendar = new Calendar { ProductId = "-//Caldera//calendar-timezone-id//EN" };
        calendar.AddTimeZone(VTimeZone.FromDateTimeZone(id));
        return new CalendarSerializer().SerializeToString(calendar)!;
    }
}

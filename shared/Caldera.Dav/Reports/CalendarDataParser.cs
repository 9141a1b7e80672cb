using System.Globalization;
using System.Xml.Linq;
using Caldera.Calendars.Query;
using static Caldera.Dav.Xml.DavNames;

namespace Caldera.Dav.Reports;

/// <summary>
/// Reads a CALDAV:calendar-data request element (RFC 4791 §9.6) into a <see cref="CalendarDataRequest"/>.
/// An unsupported media type answers 403 CALDAV:supported-calendar-data; a time range outside the calendar's
/// limits 403 CALDAV:min-date-time / max-date-time (§7.8, §7.9); a malformed element 400.
/// </summary>
public static class CalendarDataParser
{
    const int MaxDepth = 6;

    public static CalendarDataRequest Parse(XElement? element)
    {
        if (element is null)
            return CalendarDataRequest.Whole;
        var contentType = ((string?)element.Attribute("content-type"))?.Trim();
        var version = ((string?)element.Attribute("version"))?.Trim();
        if (contentType is not null && !contentType.Equals("text/calendar", StringComparison.OrdinalIgnoreCase) || version is not null and not "2.0")
            throw DavException.Forbidden("only text/calendar version 2.0 is supported", new XElement(C + "supported-calendar-data"));

        CompSelection? comp = null;
        TimeRange? expand = null, limitRecurrence = null, limitFreeBusy = null;
        foreach (var child in element.Elements())
        {
            if (child.Name == C + "comp")
                comp = comp is null ? Comp(child, 0) : throw Bad("calendar-data takes one comp");
            else if (child.Name == C + "expand")
                expand = expand is null ? Range(child) : throw Bad("calendar-data takes one expand");
            else if (child.Name == C + "limit-recurrence-set")
                limitRecurrence = limitRecurrence is null ? Range(child) : throw Bad("calendar-data takes one limit-recurrence-set");
            else if (child.Name == C + "limit-freebusy-set")
                limitFreeBusy = limitFreeBusy is null ? Range(child) : throw Bad("calendar-data takes one limit-freebusy-set");
            else
                throw Bad($"unexpected {child.Name.LocalName} in calendar-data");
        }
        // RFC 4791 §9.6: (comp?, (expand | limit-recurrence-set)?, limit-freebusy-set?)
        if (expand is not null && limitRecurrence is not null)
            throw Bad("calendar-data takes expand or limit-recurrence-set, not both");
        if (comp is not null && !comp.Name.Equals("VCALENDAR", StringComparison.OrdinalIgnoreCase))
            throw Bad("the outer comp of calendar-data must name VCALENDAR");
        var request = new CalendarDataRequest(comp, expand, limitRecurrence, limitFreeBusy);
        foreach (var range in request.Ranges)
            DateLimits.Check(range);
        return request;
    }

    static CompSelection Comp(XElement e, int depth)
    {
        if (depth > MaxDepth)
            throw Bad("comp elements nest deeper than any calendar component tree");
        var name = Name(e);
        bool allProp = false, allComp = false;
        var props = new List<PropSelection>();
        var comps = new List<CompSelection>();
        foreach (var child in e.Elements())
        {
            if (child.Name == C + "allprop") allProp = true;
            else if (child.Name == C + "allcomp") allComp = true;
            else if (child.Name == C + "prop") props.Add(new PropSelection(Name(child), NoValue(child)));
            else if (child.Name == C + "comp") comps.Add(Comp(child, depth + 1));
            else throw Bad($"unexpected {child.Name.LocalName} in comp");
        }
        // RFC 4791 §9.6.1: ((allprop | prop*), (allcomp | comp*))
        if (allProp && props.Count > 0 || allComp && comps.Count > 0)
            throw Bad("comp takes allprop or prop elements, and allcomp or comp elements, not both");
        return new CompSelection(name, allProp, props, allComp, comps);
    }

    static bool NoValue(XElement prop) => ((string?)prop.Attribute("novalue"))?.Trim() switch
    {
        null or "no" => false,
        "yes" => true,
        _ => throw Bad("novalue is yes or no"),
    };

    /// <summary>expand, limit-recurrence-set and limit-freebusy-set all require both start and end (RFC 4791 §9.6.5–9.6.7).</summary>
    static TimeRange Range(XElement e)
    {
        var start = Time(e, "start");
        var end = Time(e, "end");
        if (end <= start)
            throw Bad($"{e.Name.LocalName} ends before it starts");
        return new TimeRange(start, end);
    }

    static DateTime Time(XElement e, string attribute)
    {
        var value = ((string?)e.Attribute(attribute))?.Trim()
            ?? throw Bad($"{e.Name.LocalName} needs a {attribute} attribute");
        if (!DateTime.TryParseExact(value, "yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture,
                DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var t))
            throw Bad($"'{value}' is not a UTC date-time like 20240101T000000Z");
        return DateTime.SpecifyKind(t, DateTimeKind.Utc);
    }

    static string Name(XElement e)
    {
        var name = ((string?)e.Attribute("name"))?.Trim();
        if (string.IsNullOrEmpty(name) || name.Length > 64 || !name.All(c => char.IsAsciiLetterOrDigit(c) || c == '-'))
            throw Bad($"{e.Name.LocalName} needs a valid name attribute");
        return name.ToUpperInvariant();
    }

    // RFC 4791 defines no precondition for a malformed calendar-data element: a plain 400.
    static DavException Bad(string message) => DavException.BadRequest(message);
}

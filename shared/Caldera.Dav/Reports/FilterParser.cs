using System.Globalization;
using System.Xml.Linq;
using Caldera.Calendars.Query;
using static Caldera.Dav.Xml.DavNames;

namespace Caldera.Dav.Reports;

/// <summary>
/// Reads CALDAV:filter (RFC 4791 §9.7) into the filter model. Anything malformed answers 400 with
/// CALDAV:valid-filter; an unknown collation 403 with CALDAV:supported-collation.
/// </summary>
public static class FilterParser
{
    const int MaxDepth = 4;

    public static CompFilter Parse(XElement? filter)
    {
        if (filter is null)
            throw Invalid("calendar-query needs a CALDAV:filter");
        var comps = filter.Elements().ToList();
        if (comps.Count != 1 || comps[0].Name != C + "comp-filter")
            throw Invalid("CALDAV:filter holds exactly one comp-filter");
        var root = Comp(comps[0], 0);
        if (!root.Name.Equals("VCALENDAR", StringComparison.OrdinalIgnoreCase))
            throw Invalid("the outer comp-filter must name VCALENDAR");
        return root;
    }

    static CompFilter Comp(XElement e, int depth)
    {
        if (depth > MaxDepth)
            throw Invalid("comp-filters nest deeper than any calendar component tree");
        var name = Name(e);
        bool notDefined = false;
        TimeRange? range = null;
        var props = new List<PropFilter>();
        var comps = new List<CompFilter>();
        foreach (var child in e.Elements())
        {
            if (child.Name == C + "is-not-defined") notDefined = true;
            else if (child.Name == C + "time-range") range = range is null ? Range(child) : throw Invalid("comp-filter takes one time-range");
            else if (child.Name == C + "prop-filter") props.Add(Prop(child));
            else if (child.Name == C + "comp-filter") comps.Add(Comp(child, depth + 1));
            else throw Invalid($"unexpected {child.Name.LocalName} in comp-filter");
        }
        if (notDefined && (range is not null || props.Count > 0 || comps.Count > 0))
            throw Invalid("is-not-defined stands alone");
        if (range is not null && depth == 0)
            throw Invalid("time-range does not apply to VCALENDAR");
        return new CompFilter(name, notDefined, range, props, comps);
    }

    static PropFilter Prop(XElement e)
    {
        var name = Name(e);
        bool notDefined = false;
        TimeRange? range = null;
        TextMatch? text = null;
        var parameters = new List<ParamFilter>();
        foreach (var child in e.Elements())
        {
            if (child.Name == C + "is-not-defined") notDefined = true;
            else if (child.Name == C + "time-range") range = Range(child);
            else if (child.Name == C + "text-match") text = Text(child);
            else if (child.Name == C + "param-filter") parameters.Add(Param(child));
            else throw Invalid($"unexpected {child.Name.LocalName} in prop-filter");
        }
        // RFC 4791 §9.7.2: (is-not-defined | ((time-range | text-match)?, param-filter*))
        var tests = e.Elements().Count(c => c.Name == C + "time-range" || c.Name == C + "text-match");
        if (notDefined && e.Elements().Count() > 1 || tests > 1)
            throw Invalid("prop-filter takes is-not-defined alone, or at most one time-range or text-match");
        return new PropFilter(name, notDefined, range, text, parameters);
    }

    static ParamFilter Param(XElement e)
    {
        var name = Name(e);
        var notDefined = e.Element(C + "is-not-defined") is not null;
        var text = e.Element(C + "text-match") is { } t ? Text(t) : null;
        if (e.Elements().Any(c => c.Name != C + "is-not-defined" && c.Name != C + "text-match"))
            throw Invalid("unexpected element in param-filter");
        // RFC 4791 §9.7.3: (is-not-defined | text-match)?
        if (e.Elements().Count() > 1)
            throw Invalid("param-filter takes one is-not-defined or one text-match");
        return new ParamFilter(name, notDefined, text);
    }

    static TextMatch Text(XElement e)
    {
        var collation = (string?)e.Attribute("collation") ?? "i;ascii-casemap";
        if (!TextMatcher.IsSupported(collation))
            throw DavException.Forbidden($"collation {collation} is not supported", new XElement(C + "supported-collation", collation));
        var negate = ((string?)e.Attribute("negate-condition"))?.Trim() switch
        {
            null or "no" => false,
            "yes" => true,
            _ => throw Invalid("negate-condition is yes or no"),
        };
        return new TextMatch(e.Value, collation, negate);
    }

    public static TimeRange Range(XElement e)
    {
        var start = Time((string?)e.Attribute("start"));
        var end = Time((string?)e.Attribute("end"));
        if (start is null && end is null)
            throw Invalid("time-range needs start or end");
        if (start is not null && end is not null && end <= start)
            throw Invalid("time-range ends before it starts");
        return new TimeRange(start, end);
    }

    static DateTime? Time(string? value)
    {
        if (value is null)
            return null;
        if (!DateTime.TryParseExact(value, "yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture,
                DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var t))
            throw Invalid($"'{value}' is not a UTC date-time like 20240101T000000Z");
        return DateTime.SpecifyKind(t, DateTimeKind.Utc);
    }

    static string Name(XElement e)
    {
        var name = ((string?)e.Attribute("name"))?.Trim();
        if (string.IsNullOrEmpty(name) || name.Length > 64 || !name.All(c => char.IsAsciiLetterOrDigit(c) || c == '-'))
            throw Invalid($"{e.Name.LocalName} needs a valid name attribute");
        return name.ToUpperInvariant();
    }

    static DavException Invalid(string message) => DavException.BadRequest(message, new XElement(C + "valid-filter"));
}

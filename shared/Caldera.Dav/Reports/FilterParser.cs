using System.Globalization;
using System.Xml.Linq;
using Caldera.Calendars.Query;
using static Caldera.Dav.Xml.DavNames;

namespace Caldera.Dav.Reports;

/// <summary>
/// Reads CALDAV:filter (RFC 4791 §9.7) into the filter model. Anything malformed answers 400 with
/// CALDAV:valid-filter (including components nested where no calendar can hold them, such as a VEVENT inside a
/// VEVENT); an unknown collation 403 with CALDAV:supported-collation; a component this server cannot query
/// (a name that is neither an iCalendar component nor an X- one), or a time-range on a component that has no
/// time (VTIMEZONE, STANDARD, DAYLIGHT, X- components), 403 with CALDAV:supported-filter naming the comp-filter
/// (RFC 4791 §7.7, §7.8 preconditions).
/// </summary>
public static class FilterParser
{
    const int MaxDepth = 4;

    /// <summary>
    /// The most comp-, prop- and param-filters one filter may hold. Each is evaluated against every candidate
    /// (a time-range one expands its recurrences), so a few hundred repeated ones multiplied a query's cost per object;
    /// clients send a handful.
    /// </summary>
    public const int MaxTests = 100;

    /// <summary>The components each component may hold (RFC 5545 §3.6, RFC 4791 §9.7.1), by the parent's name.</summary>
    static readonly Dictionary<string, string[]> Children = new()
    {
        [""] = ["VCALENDAR"],
        ["VCALENDAR"] = ["VEVENT", "VTODO", "VJOURNAL", "VFREEBUSY", "VTIMEZONE", "VAVAILABILITY"],
        ["VEVENT"] = ["VALARM"],
        ["VTODO"] = ["VALARM"],
        ["VJOURNAL"] = [],
        ["VFREEBUSY"] = [],
        ["VTIMEZONE"] = ["STANDARD", "DAYLIGHT"],
        ["VALARM"] = [],
        ["STANDARD"] = [],
        ["DAYLIGHT"] = [],
    };

    /// <summary>Components a time-range can be tested on (RFC 4791 §9.9).</summary>
    static readonly HashSet<string> Timed = ["VEVENT", "VTODO", "VJOURNAL", "VFREEBUSY", "VALARM"];

    /// <summary>Components RFC 5545 and its extensions name that this server does not evaluate.</summary>
    static readonly HashSet<string> Unsupported = ["VAVAILABILITY", "AVAILABLE", "VPOLL", "VVOTER", "VRESOURCE", "VLOCATION", "PARTICIPANT"];

    public static CompFilter Parse(XElement? filter)
    {
        if (filter is null)
            throw Invalid("calendar-query needs a CALDAV:filter");
        var comps = filter.Elements().ToList();
        if (comps.Count != 1 || comps[0].Name != C + "comp-filter")
            throw Invalid("CALDAV:filter holds exactly one comp-filter");
        if (Name(comps[0]) != "VCALENDAR")
            throw Invalid("the outer comp-filter must name VCALENDAR");
        if (filter.Descendants().Count(d => d.Name == C + "comp-filter" || d.Name == C + "prop-filter" || d.Name == C + "param-filter") > MaxTests)
            throw Invalid($"a filter holds at most {MaxTests} comp-filter, prop-filter and param-filter elements");
        return Comp(comps[0], 0, "");
    }

    static CompFilter Comp(XElement e, int depth, string parent)
    {
        if (depth > MaxDepth)
            throw Invalid("comp-filters nest deeper than any calendar component tree");
        var name = Name(e);
        var isX = name.StartsWith("X-", StringComparison.Ordinal);
        if (Unsupported.Contains(name) || !isX && !Children.ContainsKey(name))
            throw NotSupported($"queries on {name} components are not supported", e);
        // An X- component may sit in any component; a known one only where RFC 5545 puts it.
        var placed = parent == "" ? name == "VCALENDAR"
            : isX || !parent.StartsWith("X-", StringComparison.Ordinal) && Children[parent].Contains(name);
        if (!placed)
            throw Invalid($"a {name} comp-filter cannot be nested in {(parent == "" ? "the filter" : parent)}");
        bool notDefined = false;
        TimeRange? range = null;
        var props = new List<PropFilter>();
        var comps = new List<CompFilter>();
        foreach (var child in e.Elements())
        {
            if (child.Name == C + "is-not-defined") notDefined = true;
            else if (child.Name == C + "time-range") range = range is null ? Range(child) : throw Invalid("comp-filter takes one time-range");
            else if (child.Name == C + "prop-filter") props.Add(Prop(child));
            else if (child.Name == C + "comp-filter") comps.Add(Comp(child, depth + 1, name));
            else throw Invalid($"unexpected {child.Name.LocalName} in comp-filter");
        }
        if (notDefined && (range is not null || props.Count > 0 || comps.Count > 0))
            throw Invalid("is-not-defined stands alone");
        if (range is not null && depth == 0)
            throw Invalid("time-range does not apply to VCALENDAR");
        if (range is not null && !Timed.Contains(name))
            throw NotSupported($"time-range is not supported on {name}", e);
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

    /// <summary>403 CALDAV:supported-filter holding the offending comp-filter (its name, without its children).</summary>
    static DavException NotSupported(string message, XElement filter) =>
        DavException.Forbidden(message, new XElement(C + "supported-filter",
            new XElement(filter.Name, filter.Attributes().Where(a => !a.IsNamespaceDeclaration))));

    static DavException Invalid(string message) => DavException.BadRequest(message, new XElement(C + "valid-filter"));
}

using System.Text;

namespace Caldera.Calendars;

/// <summary>
/// A strict structural pass over iCalendar text before Ical.Net sees it (Ical.Net is lenient and would
/// accept junk): content lines must have a name and a colon, BEGIN/END must nest, one VCALENDAR.
/// Returns the component names found directly under VCALENDAR.
/// </summary>
public static class ICalendarLineScanner
{
    internal const int MaxDepth = 8;
    /// <summary>Most components (BEGIN lines, VCALENDAR included) in one object.</summary>
    internal const int MaxComponents = 5000;

    public static List<string> Scan(string text)
    {
        var stack = new Stack<string>();
        var topLevel = new List<string>();
        int calendars = 0, components = 0;
        bool sawContent = false;
        foreach (var line in Unfold(text))
        {
            if (line.Length == 0)
                continue;
            sawContent = true;
            var colon = FindValueColon(line);
            if (colon <= 0)
                throw Invalid("a content line has no name or no ':'");
            var name = line[..colon].Split(';', 2)[0].ToUpperInvariant();
            if (!IsName(name))
                throw Invalid($"bad property name '{Trim(name)}'");
            var value = line[(colon + 1)..].Trim().ToUpperInvariant();
            if (name == "BEGIN")
            {
                if (!IsName(value))
                    throw Invalid("BEGIN without a component name");
                if (stack.Count == 0)
                {
                    if (value != "VCALENDAR")
                        throw Invalid("the data does not start with BEGIN:VCALENDAR");
                    if (++calendars > 1)
                        throw new CalendarDataException(CalendarDataError.InvalidObjectResource, "more than one VCALENDAR");
                }
                else if (stack.Count == 1)
                    topLevel.Add(value);
                if (stack.Count >= MaxDepth || ++components > MaxComponents)
                    throw Invalid("components nest too deep or are too many");
                stack.Push(value);
            }
            else if (name == "END")
            {
                if (stack.Count == 0 || stack.Pop() != value)
                    throw Invalid($"END:{Trim(value)} does not close the open component");
            }
            else if (stack.Count == 0)
                throw Invalid("content outside BEGIN:VCALENDAR/END:VCALENDAR");
        }
        if (!sawContent || calendars == 0)
            throw Invalid("no VCALENDAR");
        if (stack.Count != 0)
            throw Invalid($"BEGIN:{Trim(stack.Peek())} is never closed");
        return topLevel;
    }

    static CalendarDataException Invalid(string why) => new(CalendarDataError.InvalidData, why);

    static string Trim(string s) => s.Length > 40 ? s[..40] : s;

    static bool IsName(string s) => s.Length > 0 && s.All(c => char.IsAsciiLetterOrDigit(c) || c == '-');

    /// <summary>Whether an unfolded content line is the property <paramref name="name"/>: its name, then ';' or ':'.</summary>
    public static bool IsProperty(string line, string name) =>
        line.Length > name.Length && line.StartsWith(name, StringComparison.OrdinalIgnoreCase) && line[name.Length] is ':' or ';';

    /// <summary>An unfolded content line's value: what follows the colon that ends name and parameters, or "" without one.</summary>
    public static string ValueOf(string line)
    {
        var colon = FindValueColon(line);
        return colon < 0 ? "" : line[(colon + 1)..];
    }

    /// <summary>The colon that ends name and parameters (colons inside quoted parameter values do not count).</summary>
    static int FindValueColon(string line)
    {
        bool quoted = false;
        for (int i = 0; i < line.Length; i++)
        {
            if (line[i] == '"') quoted = !quoted;
            else if (line[i] == ':' && !quoted) return i;
        }
        return -1;
    }

    /// <summary>RFC 5545 §3.1 unfolding: a line starting with space or tab continues the previous one.</summary>
    public static IEnumerable<string> Unfold(string text)
    {
        var current = new StringBuilder();
        bool has = false;
        foreach (var raw in text.Split('\n'))
        {
            var line = raw.EndsWith('\r') ? raw[..^1] : raw;
            if (line.Length > 0 && (line[0] == ' ' || line[0] == '\t') && has)
            {
                current.Append(line, 1, line.Length - 1);
                continue;
            }
            if (has)
                yield return current.ToString();
            current.Clear().Append(line);
            has = true;
        }
        if (has)
            yield return current.ToString();
    }
}

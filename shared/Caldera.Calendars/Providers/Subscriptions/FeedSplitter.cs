using System.Security.Cryptography;
using System.Text;

namespace Caldera.Calendars.Providers.Subscriptions;

/// <summary>One calendar object cut from a feed: all components of one UID, with the VTIMEZONEs they use.</summary>
public sealed record FeedObject(string Name, string Uid, string Component, byte[] Body, string ETag);

/// <summary>
/// Splits a feed's VCALENDAR into calendar object resources by UID (a master and its overrides stay together),
/// carrying VERSION/PRODID/CALSCALE and the VTIMEZONEs each object refers to. METHOD and X-WR-* are dropped.
/// Objects are named <c>{hash of UID}.ics</c>; ETags come from the content. Throws <see cref="FormatException"/>
/// when the text is not an iCalendar stream (no VCALENDAR, unbalanced BEGIN/END).
/// </summary>
public static class FeedSplitter
{
    static readonly string[] Kinds = ["VEVENT", "VTODO", "VJOURNAL", "VFREEBUSY"];
    static readonly string[] CarriedProperties = ["VERSION", "PRODID", "CALSCALE"];

    public static IReadOnlyList<FeedObject> Split(string text)
    {
        var lines = Unfold(text);
        var start = lines.FindIndex(l => l.Length > 0);
        if (start < 0 || !Is(lines[start], "BEGIN", "VCALENDAR"))
            throw new FormatException("the feed is not iCalendar (it does not start with BEGIN:VCALENDAR)");

        var header = new List<string>();
        var timeZones = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        var byUid = new Dictionary<string, (string Kind, List<List<string>> Blocks)>(StringComparer.Ordinal);
        var order = new List<string>();
        var i = start + 1;
        var closed = false;
        while (i < lines.Count)
        {
            var line = lines[i];
            if (line.Length == 0) { i++; continue; }
            if (Is(line, "END", "VCALENDAR")) { closed = true; break; }
            if (NameOf(line).Equals("BEGIN", StringComparison.OrdinalIgnoreCase))
            {
                var kind = ValueOf(line).ToUpperInvariant();
                var block = ReadBlock(lines, ref i);
                if (kind == "VTIMEZONE")
                {
                    if (PropertyValue(block, "TZID") is { } tzid)
                        timeZones[tzid] = block;
                }
                else if (Kinds.Contains(kind))
                {
                    var uid = PropertyValue(block, "UID") ?? "no-uid-" + Hash(string.Join("\n", block))[..16];
                    if (!byUid.TryGetValue(uid, out var entry))
                    {
                        entry = (kind, []);
                        byUid[uid] = entry;
                        order.Add(uid);
                    }
                    if (entry.Kind == kind)
                        entry.Blocks.Add(block);
                }
                continue; // unknown components are left out
            }
            if (CarriedProperties.Contains(NameOf(line).ToUpperInvariant()))
                header.Add(line);
            i++;
        }
        if (!closed)
            throw new FormatException("the feed's VCALENDAR is not closed (no END:VCALENDAR)");
        if (!header.Any(l => NameOf(l).Equals("VERSION", StringComparison.OrdinalIgnoreCase)))
            header.Insert(0, "VERSION:2.0");
        if (!header.Any(l => NameOf(l).Equals("PRODID", StringComparison.OrdinalIgnoreCase)))
            header.Add("PRODID:-//Caldera//ics subscription//EN");

        var result = new List<FeedObject>(order.Count);
        foreach (var uid in order)
        {
            var (kind, blocks) = byUid[uid];
            var sb = new StringBuilder("BEGIN:VCALENDAR\r\n");
            foreach (var h in header)
                AppendFolded(sb, h);
            var used = blocks.SelectMany(b => b).ToList();
            foreach (var (tzid, tz) in timeZones)
                if (used.Any(l => ParametersOf(l).Contains(";TZID=" + tzid + ";", StringComparison.OrdinalIgnoreCase) ||
                                  ParametersOf(l).Contains(";TZID=\"" + tzid + "\";", StringComparison.OrdinalIgnoreCase)))
                    foreach (var l in tz)
                        AppendFolded(sb, l);
            foreach (var l in used)
                AppendFolded(sb, l);
            sb.Append("END:VCALENDAR\r\n");
            var body = Encoding.UTF8.GetBytes(sb.ToString());
            result.Add(new FeedObject(NameFor(uid), uid, kind, body, "\"" + Hash(body)[..32] + "\""));
        }
        return result;
    }

    public static string NameFor(string uid) => Hash(Encoding.UTF8.GetBytes(uid))[..32] + ".ics";

    static List<string> ReadBlock(List<string> lines, ref int i)
    {
        var block = new List<string>();
        var depth = 0;
        for (; i < lines.Count; i++)
        {
            var line = lines[i];
            if (line.Length == 0)
                continue;
            block.Add(line);
            if (NameOf(line).Equals("BEGIN", StringComparison.OrdinalIgnoreCase))
                depth++;
            else if (NameOf(line).Equals("END", StringComparison.OrdinalIgnoreCase))
            {
                if (Is(line, "END", "VCALENDAR"))
                    throw new FormatException("a component is not closed before END:VCALENDAR");
                if (--depth == 0) { i++; return block; }
            }
        }
        throw new FormatException("a component is not closed (missing END)");
    }

    static List<string> Unfold(string text)
    {
        var lines = new List<string>();
        foreach (var line in text.Replace("\r\n", "\n").Replace('\r', '\n').Split('\n'))
        {
            var raw = Clean(line);
            if (raw.Length > 0 && (raw[0] == ' ' || raw[0] == '\t') && lines.Count > 0)
                lines[^1] += raw[1..];
            else
                lines.Add(raw);
        }
        return lines;
    }

    /// <summary>
    /// The line with each character iCalendar forbids (controls but TAB, RFC 5545 §3.3.11) or XML cannot carry (lone
    /// surrogates, U+FFFE/U+FFFF) replaced by U+FFFD. A feed is a stranger's text: PUT and iMIP refuse such bodies, but
    /// a feed is taken as it comes, and one such character would break every calendar-data answer that includes it.
    /// </summary>
    static string Clean(string line)
    {
        StringBuilder? clean = null;
        for (var i = 0; i < line.Length; i++)
        {
            var c = line[i];
            var pair = char.IsHighSurrogate(c) && i + 1 < line.Length && char.IsLowSurrogate(line[i + 1]);
            var bad = !pair && (char.IsSurrogate(c) || c is '\uFFFE' or '\uFFFF' or '\u007F' || c < ' ' && c != '\t');
            if (!bad)
            {
                clean?.Append(c);
                if (pair)
                    clean?.Append(line[++i]);
                continue;
            }
            clean ??= new StringBuilder(line.Length).Append(line, 0, i);
            clean.Append('\uFFFD');
        }
        return clean?.ToString() ?? line;
    }

    static void AppendFolded(StringBuilder sb, string line)
    {
        // Fold at 74 characters (not inside a surrogate pair); clients accept longer lines, but RFC 5545 asks for this.
        var pos = 0;
        var first = true;
        while (line.Length - pos > (first ? 74 : 73))
        {
            var take = first ? 74 : 73;
            if (char.IsHighSurrogate(line[pos + take - 1]))
                take--;
            if (!first) sb.Append(' ');
            sb.Append(line, pos, take).Append("\r\n");
            pos += take;
            first = false;
        }
        if (!first) sb.Append(' ');
        sb.Append(line, pos, line.Length - pos).Append("\r\n");
    }

    static string? PropertyValue(List<string> block, string name)
    {
        var depth = 0;
        foreach (var line in block)
        {
            var n = NameOf(line);
            if (n.Equals("BEGIN", StringComparison.OrdinalIgnoreCase)) depth++;
            else if (n.Equals("END", StringComparison.OrdinalIgnoreCase)) depth--;
            else if (depth == 1 && n.Equals(name, StringComparison.OrdinalIgnoreCase))
                return ValueOf(line).Trim();
        }
        return null;
    }

    static bool Is(string line, string name, string value) =>
        NameOf(line).Equals(name, StringComparison.OrdinalIgnoreCase) && ValueOf(line).Trim().Equals(value, StringComparison.OrdinalIgnoreCase);

    static string NameOf(string line)
    {
        var end = line.IndexOfAny([':', ';']);
        return end < 0 ? line : line[..end];
    }

    static string ParametersOf(string line)
    {
        var colon = ValueStart(line);
        var semi = line.IndexOf(';');
        return semi < 0 || semi > colon ? "" : line[semi..colon] + ";";
    }

    static string ValueOf(string line) => line[Math.Min(line.Length, ValueStart(line) + 1)..];

    /// <summary>The colon that ends the name and parameters (colons inside quoted parameter values do not count).</summary>
    static int ValueStart(string line)
    {
        var quoted = false;
        for (var i = 0; i < line.Length; i++)
        {
            if (line[i] == '"') quoted = !quoted;
            else if (line[i] == ':' && !quoted) return i;
        }
        return line.Length;
    }

    static string Hash(string s) => Hash(Encoding.UTF8.GetBytes(s));
    static string Hash(byte[] b) => Convert.ToHexStringLower(SHA256.HashData(b));
}

using System.Text;

namespace Caldera.Calendars.Query;

/// <summary>
/// iCalendar text as a tree of components holding unfolded content lines, so parts of a stored body can be
/// kept, dropped or rewritten and written back without Ical.Net re-serialising (and altering) what is kept.
/// </summary>
sealed class ContentComponent(string name)
{
    public string Name { get; } = name;
    public List<ContentLine> Properties { get; } = [];
    public List<ContentComponent> Children { get; } = [];

    public static ContentComponent Parse(string text)
    {
        var root = new ContentComponent("");
        var stack = new Stack<ContentComponent>();
        stack.Push(root);
        foreach (var raw in ICalendarLineScanner.Unfold(text))
        {
            if (raw.Length == 0)
                continue;
            var line = ContentLine.Parse(raw);
            if (line.Name == "BEGIN")
            {
                var child = new ContentComponent(line.Value.Trim().ToUpperInvariant());
                stack.Peek().Children.Add(child);
                stack.Push(child);
            }
            else if (line.Name == "END")
            {
                if (stack.Count > 1)
                    stack.Pop();
            }
            else
                stack.Peek().Properties.Add(line);
        }
        return root.Children.FirstOrDefault(c => c.Name == "VCALENDAR") ?? throw new FormatException("no VCALENDAR");
    }

    public ContentLine? Find(string name) => Properties.FirstOrDefault(p => p.Name == name);

    public ContentComponent ShallowCopy(IEnumerable<ContentLine> properties, IEnumerable<ContentComponent> children)
    {
        var copy = new ContentComponent(Name);
        copy.Properties.AddRange(properties);
        copy.Children.AddRange(children);
        return copy;
    }

    public override string ToString()
    {
        var sb = new StringBuilder();
        Write(sb);
        return sb.ToString();
    }

    void Write(StringBuilder sb)
    {
        Fold(sb, "BEGIN:" + Name);
        foreach (var p in Properties)
            Fold(sb, p.Text);
        foreach (var c in Children)
            c.Write(sb);
        Fold(sb, "END:" + Name);
    }

    static void Fold(StringBuilder sb, string line) => ICalendarLineFolder.AppendFolded(sb, line);
}

/// <summary>One unfolded content line: its upper-cased name, its parameters text and its value.</summary>
sealed record ContentLine(string Name, string Parameters, string Value)
{
    /// <summary>The line as written: NAME;PARAMS:VALUE.</summary>
    public string Text => Name + Parameters + ":" + Value;

    public static ContentLine Parse(string raw)
    {
        int colon = -1, nameEnd = -1;
        bool quoted = false;
        for (int i = 0; i < raw.Length; i++)
        {
            var c = raw[i];
            if (c == '"') quoted = !quoted;
            else if (!quoted && c == ';' && nameEnd < 0) nameEnd = i;
            else if (!quoted && c == ':') { colon = i; break; }
        }
        if (colon < 0)
            return new ContentLine(raw.ToUpperInvariant(), "", "");
        if (nameEnd < 0 || nameEnd > colon)
            nameEnd = colon;
        return new ContentLine(raw[..nameEnd].ToUpperInvariant(), raw[nameEnd..colon], raw[(colon + 1)..]);
    }

    /// <summary>The value of a parameter (first one, unquoted), or null.</summary>
    public string? Parameter(string name)
    {
        foreach (var part in SplitParameters())
        {
            var eq = part.IndexOf('=');
            if (eq > 0 && part[..eq].Equals(name, StringComparison.OrdinalIgnoreCase))
                return part[(eq + 1)..].Trim('"');
        }
        return null;
    }

    IEnumerable<string> SplitParameters()
    {
        var current = new StringBuilder();
        bool quoted = false;
        foreach (var c in Parameters)
        {
            if (c == '"') quoted = !quoted;
            if (c == ';' && !quoted)
            {
                if (current.Length > 0) yield return current.ToString();
                current.Clear();
                continue;
            }
            current.Append(c);
        }
        if (current.Length > 0) yield return current.ToString();
    }
}

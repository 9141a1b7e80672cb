namespace Caldera.Imip.Itip;

/// <summary>
/// Removes the VCALENDAR's METHOD property from iCalendar text and leaves every other byte as the sender wrote it,
/// so an invitation stored as it came keeps what a re-serialization could reorder or drop.
/// </summary>
public static class MethodLine
{
    public static string Remove(string text)
    {
        var lines = text.Split('\n');
        var kept = new List<string>(lines.Length);
        int depth = 0;
        var skipping = false;
        foreach (var line in lines)
        {
            // A folded continuation (leading space or tab) belongs to the line before it.
            if (line.Length > 0 && line[0] is ' ' or '\t')
            {
                if (!skipping)
                    kept.Add(line);
                continue;
            }
            skipping = false;
            if (line.StartsWith("BEGIN:", StringComparison.OrdinalIgnoreCase))
                depth++;
            else if (line.StartsWith("END:", StringComparison.OrdinalIgnoreCase))
                depth--;
            else if (depth == 1 && IsMethod(line))
            {
                skipping = true;
                continue;
            }
            kept.Add(line);
        }
        return string.Join('\n', kept);
    }

    static bool IsMethod(string line) =>
        line.Length > 6 && line.StartsWith("METHOD", StringComparison.OrdinalIgnoreCase) && line[6] is ':' or ';';
}

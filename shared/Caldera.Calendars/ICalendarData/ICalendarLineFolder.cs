using System.Text;

namespace Caldera.Calendars;

/// <summary>Writes one content line the way RFC 5545 §3.1 wants it: folded at 75 octets, never inside a UTF-8 sequence.</summary>
public static class ICalendarLineFolder
{
    public static void AppendFolded(StringBuilder sb, string line)
    {
        int octets = 0, limit = 75;
        foreach (var rune in line.EnumerateRunes())
        {
            var n = rune.Utf8SequenceLength;
            if (octets + n > limit)
            {
                sb.Append("\r\n ");
                octets = 0;
                limit = 74;
            }
            sb.Append(rune.ToString());
            octets += n;
        }
        sb.Append("\r\n");
    }
}

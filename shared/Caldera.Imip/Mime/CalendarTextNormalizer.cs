using System.Text;

namespace Caldera.Imip.Mime;

/// <summary>
/// The form in which two copies of a calendar are compared: transports and clients change line endings
/// (CRLF / LF) and add or strip trailing whitespace and final empty lines, which changes nothing in the calendar.
/// </summary>
internal static class CalendarTextNormalizer
{
    public static string Normalize(string text)
    {
        var normalized = new StringBuilder(text.Length);
        foreach (var line in text.Replace("\r\n", "\n").Replace('\r', '\n').Split('\n'))
            normalized.Append(line.TrimEnd()).Append('\n');
        return normalized.ToString().TrimEnd('\n');
    }
}

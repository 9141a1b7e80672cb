using System.Globalization;

namespace Caldera.Calendars.Providers.Store;

/// <summary>
/// RFC 6578 sync tokens of stored calendars: a URI naming the calendar's incarnation and revision, so a token
/// from a deleted-and-recreated calendar (or another calendar) is refused instead of silently misread.
/// </summary>
public static class StoreSyncToken
{
    const string Prefix = "urn:x-caldera:sync:";

    public static string Format(string calendarId, long revision) =>
        Prefix + calendarId + ":" + revision.ToString(CultureInfo.InvariantCulture);

    public static bool TryParse(string token, string calendarId, out long revision)
    {
        revision = 0;
        if (!token.StartsWith(Prefix, StringComparison.Ordinal))
            return false;
        var rest = token.AsSpan(Prefix.Length);
        var colon = rest.IndexOf(':');
        return colon > 0 && rest[..colon].SequenceEqual(calendarId) &&
               long.TryParse(rest[(colon + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out revision);
    }
}

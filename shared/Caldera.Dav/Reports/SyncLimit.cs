using System.Globalization;
using System.Xml.Linq;
using static Caldera.Dav.Xml.DavNames;

namespace Caldera.Dav.Reports;

/// <summary>
/// Reads DAV:limit/DAV:nresults of a sync-collection (RFC 6578 §3.8, defined in RFC 5323 §5.17).
/// <list type="bullet">
/// <item>Not a positive decimal integer (empty, zero, negative, signed, not a number, several nresults) → 400:
/// a malformed request body; no precondition names it.</item>
/// <item>Above <see cref="MaxResults"/> → 403 DAV:number-of-matches-within-limits: RFC 6578 §3.8 says a server that
/// cannot honour the limit fails with that condition, and this server will not build a response that large.</item>
/// </list>
/// An initial sync (empty token) with a limit is paged too: the token encodes how far through the change log the
/// client got, and the next request (an ordinary delta) continues from there (RFC 6578 §3.7 allows truncating
/// an initial sync; clients then issue the sync again with the returned token).
/// </summary>
public static class SyncLimit
{
    /// <summary>The largest nresults honoured.</summary>
    public const int MaxResults = 10_000;

    public static int? Read(XElement body)
    {
        var limit = body.Element(D + "limit");
        if (limit is null)
            return null;
        var values = limit.Elements(D + "nresults").ToList();
        if (values.Count != 1)
            throw DavException.BadRequest("DAV:limit needs exactly one DAV:nresults");
        var text = values[0].Value.Trim();
        if (text.Length == 0 || !text.All(char.IsAsciiDigit))
            throw DavException.BadRequest("DAV:nresults must be a positive integer");
        var digits = text.TrimStart('0');
        if (digits.Length == 0)
            throw DavException.BadRequest("DAV:nresults must be a positive integer");
        if (digits.Length > 9 || int.Parse(digits, NumberStyles.None, CultureInfo.InvariantCulture) > MaxResults)
            throw CannotHonour($"DAV:nresults may be at most {MaxResults}");
        return int.Parse(digits, NumberStyles.None, CultureInfo.InvariantCulture);
    }

    public static DavException CannotHonour(string message) =>
        DavException.Forbidden(message, new XElement(D + "number-of-matches-within-limits"));
}

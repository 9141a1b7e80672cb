using System.Xml.Linq;
using Microsoft.AspNetCore.Http;
using static Caldera.Dav.Xml.DavNames;

namespace Caldera.Dav.Xml;

/// <summary>
/// <c>Prefer: return=minimal</c> (RFC 7240 §4.2, RFC 8144 §2.1) and its older form <c>Brief: t</c> on PROPFIND and
/// REPORT: a multistatus leaves out 404 propstats and the responses left with nothing to say, and the response
/// carries <c>Preference-Applied: return=minimal</c>. Applied response by response, where every multistatus is
/// written (<see cref="MultistatusWriter"/>).
/// </summary>
public static class PreferMinimal
{
    /// <summary>Whether the request asks for a minimal answer.</summary>
    public static bool Requested(HttpRequest request)
    {
        if (!HttpMethods.Equals(request.Method, "PROPFIND") && !HttpMethods.Equals(request.Method, "REPORT"))
            return false;
        if (request.Headers["Brief"].ToString().Trim().Equals("t", StringComparison.OrdinalIgnoreCase))
            return true;
        foreach (var header in request.Headers["Prefer"])
            foreach (var preference in (header ?? "").Split(','))
            {
                // preference = token [ BWS "=" BWS word ] *( OWS ";" [ OWS parameter ] ); only the first pair matters here
                var pair = preference.Split(';', 2)[0].Split('=', 2);
                if (pair.Length == 2 && pair[0].Trim().Equals("return", StringComparison.OrdinalIgnoreCase) &&
                    pair[1].Trim().Trim('"').Equals("minimal", StringComparison.OrdinalIgnoreCase))
                    return true;
            }
        return false;
    }

    /// <summary>Says that the answer is minimal (before its first byte).</summary>
    public static void MarkApplied(HttpResponse response)
    {
        response.Headers["Preference-Applied"] = "return=minimal";
        response.Headers.Append("Vary", "Brief, Prefer");
    }

    /// <summary>
    /// Strips one top-level element of a multistatus of its 404 propstats, those of nested responses included
    /// (expand-property); false when it is a response left with nothing to say. Nested responses stay: their href
    /// is the property's value. A response that never had a propstat (a bare href) is kept.
    /// </summary>
    public static bool Trim(XElement element)
    {
        var notFound = element.Descendants(D + "propstat").Where(IsNotFound).ToList();
        if (notFound.Count == 0)
            return true;
        var touchedItself = notFound.Any(p => p.Parent == element);
        foreach (var propstat in notFound)
            propstat.Remove();
        return !(touchedItself && element.Element(D + "propstat") is null && element.Element(D + "status") is null);
    }

    static bool IsNotFound(XElement propstat)
    {
        var line = propstat.Element(D + "status")?.Value.Trim() ?? "";
        var parts = line.Split(' ', 3);
        return parts.Length >= 2 && parts[1] == "404";
    }
}

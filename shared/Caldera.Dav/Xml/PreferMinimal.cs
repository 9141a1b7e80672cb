using System.Xml.Linq;
using Microsoft.AspNetCore.Http;
using static Caldera.Dav.Xml.DavNames;

namespace Caldera.Dav.Xml;

/// <summary>
/// <c>Prefer: return=minimal</c> (RFC 7240 §4.2, RFC 8144 §2.1) and its older form <c>Brief: t</c> on PROPFIND and
/// REPORT: a multistatus leaves out 404 propstats and the responses left with nothing to say, and the response
/// carries <c>Preference-Applied: return=minimal</c>. Applied once, where every multistatus is written.
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

    /// <summary>Strips a 207 multistatus for a request that asked for minimal, and says so; anything else is left alone.</summary>
    public static void Apply(HttpResponse response, int status, XElement root)
    {
        var request = response.HttpContext.Request;
        if (status != 207 || root.Name != D + "multistatus" || !Requested(request))
            return;
        // Descendants, so the nested responses of expand-property are trimmed too.
        var notFound = root.Descendants(D + "propstat").Where(IsNotFound).ToList();
        var touched = notFound.Select(p => p.Parent).OfType<XElement>().Distinct().ToList();
        foreach (var propstat in notFound)
            propstat.Remove();
        // A response that only had 404s says nothing any more. Nested (expand-property) responses stay: their
        // href is the property's value. Responses that never had a propstat (a bare href) are not touched.
        foreach (var emptied in touched)
            if (emptied.Element(D + "propstat") is null && emptied.Element(D + "status") is null && emptied.Parent?.Name == D + "multistatus")
                emptied.Remove();
        response.Headers["Preference-Applied"] = "return=minimal";
        response.Headers.Append("Vary", "Brief, Prefer");
    }

    static bool IsNotFound(XElement propstat)
    {
        var line = propstat.Element(D + "status")?.Value.Trim() ?? "";
        var parts = line.Split(' ', 3);
        return parts.Length >= 2 && parts[1] == "404";
    }
}

using Microsoft.AspNetCore.Http;

namespace Caldera.Dav;

/// <summary>The Depth header (RFC 4918 §10.2).</summary>
public static class Depth
{
    public const int Infinity = int.MaxValue;

    /// <summary>
    /// Reads Depth; a missing one is <paramref name="defaultDepth"/>, which the method defines: infinity for
    /// PROPFIND (RFC 4918 §9.1), 0 for REPORT (RFC 3253 §3.6).
    /// </summary>
    public static int Read(HttpRequest request, int defaultDepth)
    {
        var value = request.Headers["Depth"].ToString().Trim();
        return value.ToLowerInvariant() switch
        {
            "" => defaultDepth,
            "0" => 0,
            "1" => 1,
            "infinity" => Infinity,
            _ => throw DavException.BadRequest("Depth must be 0, 1 or infinity"),
        };
    }
}

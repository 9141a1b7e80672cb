using Microsoft.AspNetCore.Http;

namespace Caldera.Dav;

/// <summary>The Depth header (RFC 4918 §10.2).</summary>
public static class Depth
{
    public const int Infinity = int.MaxValue;

    /// <summary>
    /// A missing Depth means infinity in RFC 4918; like Radicale we read it as <paramref name="defaultDepth"/>,
    /// since clients that omit it expect the resource itself, not a refusal.
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

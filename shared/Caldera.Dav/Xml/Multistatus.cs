using System.Xml.Linq;

namespace Caldera.Dav.Xml;

/// <summary>Pieces of a DAV:multistatus (RFC 4918 §13); <see cref="MultistatusWriter"/> writes one.</summary>
public static class Multistatus
{
    public static string StatusLine(int status) => status switch
    {
        200 => "HTTP/1.1 200 OK",
        403 => "HTTP/1.1 403 Forbidden",
        404 => "HTTP/1.1 404 Not Found",
        409 => "HTTP/1.1 409 Conflict",
        424 => "HTTP/1.1 424 Failed Dependency",
        507 => "HTTP/1.1 507 Insufficient Storage",
        _ => $"HTTP/1.1 {status} Status",
    };
}

/// <summary>Properties that share a status inside one response; <see cref="Description"/> says why, for a person (DAV:responsedescription).</summary>
public sealed record Propstat(int Status, List<XElement> Properties, XElement? Error = null, string? Description = null);

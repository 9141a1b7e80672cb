using System.Xml.Linq;

namespace Caldera.Dav;

/// <summary>
/// Ends a request with a status and, where RFC 4918 §16 / RFC 4791 §1.3 name one, the precondition element
/// for the DAV:error body.
/// </summary>
public sealed class DavException(int status, string message, XElement? condition = null) : Exception(message)
{
    public int Status { get; } = status;
    public XElement? Condition { get; } = condition;

    public static DavException BadRequest(string message, XElement? condition = null) => new(400, message, condition);
    public static DavException Forbidden(string message, XElement? condition = null) => new(403, message, condition);
    public static DavException NotFound(string message = "no such resource") => new(404, message);
    public static DavException Conflict(string message, XElement? condition = null) => new(409, message, condition);
    public static DavException PreconditionFailed(string message = "precondition failed") => new(412, message);
}

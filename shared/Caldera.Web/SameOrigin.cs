using Microsoft.AspNetCore.Http;

namespace Caldera.Web;

/// <summary>
/// The Origin check of every web request that acts on a session (the page's API and the Entra ID admin route): a
/// browser names the page's origin on cross-origin requests and on same-origin writes, and any other is refused.
/// </summary>
public static class SameOrigin
{
    /// <summary>The header a write from the page must carry: a cross-site form or link cannot send one.</summary>
    public const string CsrfHeader = "X-Caldera-CSRF";

    /// <summary>scheme://host[:port] of this request, as a browser writes it in Origin.</summary>
    public static string Of(HttpRequest request) => $"{request.Scheme}://{request.Host.Value}";

    /// <summary>True when the request names no Origin or names this server's own.</summary>
    public static bool Allows(HttpRequest request) =>
        request.Headers.Origin.Count == 0 || string.Equals(request.Headers.Origin.ToString(), Of(request), StringComparison.OrdinalIgnoreCase);
}

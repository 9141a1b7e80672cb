using System.Security.Cryptography;
using Microsoft.AspNetCore.Http;

namespace Caldera.Web.Assets;

/// <summary>
/// The headers of the page's answers. HTML gets the strict CSP of the page contract: scripts only from this origin
/// (no inline script, no eval), styles from this origin plus the one &lt;style&gt; FullCalendar adds, which carries this
/// answer's nonce. Every answer is nosniff; HTML is never cached (the nonce is per answer) and never framed.
/// </summary>
public static class PageSecurityHeaders
{
    public const string PermissionsPolicy = "camera=(), microphone=(), geolocation=(), payment=(), usb=()";

    /// <summary>128 random bits, base64: a nonce no attacker can guess from an earlier answer.</summary>
    public static string NewNonce() => Convert.ToBase64String(RandomNumberGenerator.GetBytes(16));

    public static string ContentSecurityPolicy(string nonce) =>
        "default-src 'none'; script-src 'self'; " +
        $"style-src 'self' 'nonce-{nonce}'; " +
        "img-src 'self' data:; font-src 'self' data:; connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'";

    public static void ApplyToHtml(HttpResponse response, string nonce)
    {
        var headers = response.Headers;
        headers.ContentSecurityPolicy = ContentSecurityPolicy(nonce);
        headers.CacheControl = "no-store";
        headers.XContentTypeOptions = "nosniff";
        headers["Referrer-Policy"] = "no-referrer";
        headers.XFrameOptions = "DENY";
        headers["Permissions-Policy"] = PermissionsPolicy;
        headers["Cross-Origin-Opener-Policy"] = "same-origin";
    }

    /// <summary>Scripts, styles and the icon: revalidated on every use (the ETag makes that cheap), never sniffed.</summary>
    public static void ApplyToAsset(HttpResponse response)
    {
        var headers = response.Headers;
        headers.CacheControl = "no-cache";
        headers.XContentTypeOptions = "nosniff";
        // Opened on its own (say the SVG), a file may do nothing and load nothing.
        headers.ContentSecurityPolicy = "default-src 'none'; frame-ancestors 'none'";
        headers["Referrer-Policy"] = "no-referrer";
    }

    /// <summary>Not-found and redirect answers.</summary>
    public static void ApplyToOther(HttpResponse response)
    {
        response.Headers.CacheControl = "no-store";
        response.Headers.XContentTypeOptions = "nosniff";
        response.Headers.ContentSecurityPolicy = "default-src 'none'; frame-ancestors 'none'";
    }
}

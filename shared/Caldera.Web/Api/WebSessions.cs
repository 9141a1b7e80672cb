using System.Security.Cryptography;
using System.Text;
using Caldera.Storage;
using Caldera.Storage.Web;
using Microsoft.AspNetCore.Http;

namespace Caldera.Web.Api;

/// <summary>
/// Web page sessions. The cookie holds <c>{user}.{token}</c>: the token is 256 random bits (base64url), and only its
/// SHA-256 is stored, in the row (PartitionKey user, RowKey hash) a request reads with one point lookup. A session
/// ends after <see cref="Lifetime"/>, at sign-out, or as soon as the app password it was opened with is gone
/// (revoked, or the user deleted): that is checked on every request.
/// </summary>
public sealed class WebSessions(IWebSessionStore sessions, IUserStore users, TimeProvider time)
{
    public const string CookieName = "caldera_session";
    public static readonly TimeSpan Lifetime = TimeSpan.FromHours(12);
    const int TokenBytes = 32;

    /// <summary>Opens a session and sets its cookie; returns the stored row (its csrf token for the page).</summary>
    public async Task<WebSessionRecord> OpenAsync(HttpContext http, string user, string passwordId, CancellationToken ct)
    {
        var token = Base64Url(RandomNumberGenerator.GetBytes(TokenBytes));
        var now = time.GetUtcNow();
        var session = new WebSessionRecord(user, HashOf(token), Base64Url(RandomNumberGenerator.GetBytes(TokenBytes)), passwordId, now, now + Lifetime);
        await sessions.DeleteExpiredAsync(user, now, ct);
        await sessions.AddAsync(session, ct);
        http.Response.Cookies.Append(CookieName, user + "." + token, CookieOptions(http, Lifetime));
        return session;
    }

    /// <summary>The request's live session, or null (no cookie, unknown, expired, or its app password is gone).</summary>
    public async Task<WebSessionRecord?> FindAsync(HttpContext http, CancellationToken ct)
    {
        if (Parse(http.Request.Cookies[CookieName]) is not var (user, hash))
            return null;
        var session = await sessions.GetAsync(user, hash, ct);
        if (session is null)
            return null;
        if (session.Expires <= time.GetUtcNow() || await users.GetPasswordAsync(user, session.PasswordId, ct) is null)
        {
            await sessions.DeleteAsync(user, hash, ct);
            return null;
        }
        return session;
    }

    /// <summary>Ends the session: its row goes and the browser is told to drop the cookie.</summary>
    public async Task CloseAsync(HttpContext http, WebSessionRecord session, CancellationToken ct)
    {
        await sessions.DeleteAsync(session.User, session.TokenHash, ct);
        http.Response.Cookies.Delete(CookieName, CookieOptions(http, null));
    }

    /// <summary>Path=/web/, HttpOnly, SameSite=Strict, Secure on HTTPS.</summary>
    static CookieOptions CookieOptions(HttpContext http, TimeSpan? maxAge) => new()
    {
        Path = WebRoutes.BasePath,
        HttpOnly = true,
        SameSite = SameSiteMode.Strict,
        Secure = http.Request.IsHttps,
        MaxAge = maxAge,
        IsEssential = true,
    };

    static (string User, string Hash)? Parse(string? value)
    {
        if (string.IsNullOrEmpty(value) || value.Length > 200)
            return null;
        // User names may hold '.', tokens (base64url) never do: the last one separates them.
        var dot = value.LastIndexOf('.');
        if (dot <= 0 || dot == value.Length - 1)
            return null;
        var user = value[..dot];
        return Names.IsValidUserName(user) ? (user, HashOf(value[(dot + 1)..])) : null;
    }

    static string HashOf(string token) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(token)));

    static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}

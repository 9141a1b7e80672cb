using System.Globalization;
using System.Text;
using Caldera.Calendars.Accounts;
using Microsoft.AspNetCore.Http;

namespace Caldera.Dav;

/// <summary>
/// HTTP Basic with per-device app passwords (RFC 7617). Returns the user name, or null. Failed attempts are counted
/// by <see cref="SignInThrottle"/>; a throttled attempt is refused with 429 and Retry-After before its password is
/// looked at (no storage read, no PBKDF2).
/// </summary>
public sealed class BasicAuthenticator(IAccountService accounts, SignInThrottle throttle, DavOptions options)
{
    public const string Challenge = "Basic realm=\"Caldera\", charset=\"UTF-8\"";

    public async Task<string?> AuthenticateAsync(HttpRequest request, CancellationToken ct)
    {
        var header = request.Headers.Authorization.ToString();
        if (!header.StartsWith("Basic ", StringComparison.OrdinalIgnoreCase) || header.Length > 4096)
            return null;
        string decoded;
        try
        {
            decoded = Encoding.UTF8.GetString(Convert.FromBase64String(header[6..].Trim()));
        }
        catch (FormatException)
        {
            return null;
        }
        var colon = decoded.IndexOf(':');
        if (colon <= 0)
            return null;
        // Clients type user names in any case; stored names are lower-case.
        var user = decoded[..colon].ToLowerInvariant();
        var password = decoded[(colon + 1)..];
        var address = ClientAddress.Of(request.HttpContext, options.ClientAddressHeader);
        var (signedIn, retryAfter) = await throttle.AttemptAsync<string>(user, address,
            async () => await accounts.VerifyAsync(user, password, ct) ? user : null);
        if (retryAfter is { } seconds)
        {
            request.HttpContext.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
            throw new DavException(429, $"too many failed sign-ins from this address; retry after {seconds} s");
        }
        return signedIn;
    }
}

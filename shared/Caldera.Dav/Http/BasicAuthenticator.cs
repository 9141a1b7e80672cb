using System.Text;
using Caldera.Calendars.Accounts;
using Microsoft.AspNetCore.Http;

namespace Caldera.Dav;

/// <summary>HTTP Basic with per-device app passwords (RFC 7617). Returns the user name, or null.</summary>
public sealed class BasicAuthenticator(IAccountService accounts)
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
        return await accounts.VerifyAsync(user, password, ct) ? user : null;
    }
}

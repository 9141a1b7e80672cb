using System.Text;
using System.Text.Json;

namespace Caldera.Web.Admin;

/// <summary>
/// The signed-in identity App Service Authentication hands the app: header <c>X-MS-CLIENT-PRINCIPAL</c>, base64 of
/// <c>{"auth_typ":"aad","name_typ":…,"role_typ":…,"claims":[{"typ":…,"val":…}]}</c>. Only read when
/// <see cref="EntraAdminOptions.Enabled"/>; the platform replaces whatever a client sent under that name.
/// </summary>
public sealed record EasyAuthPrincipal(string Name, IReadOnlySet<string> Roles)
{
    public const string Header = "X-MS-CLIENT-PRINCIPAL";
    const int MaxHeaderLength = 16 * 1024;

    /// <summary>The principal in <paramref name="header"/>, or null when it is absent or not a well-formed principal.</summary>
    public static EasyAuthPrincipal? Read(string? header)
    {
        if (string.IsNullOrEmpty(header) || header.Length > MaxHeaderLength)
            return null;
        try
        {
            using var doc = JsonDocument.Parse(Encoding.UTF8.GetString(Convert.FromBase64String(header)));
            var root = doc.RootElement;
            if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("claims", out var claims) || claims.ValueKind != JsonValueKind.Array)
                return null;
            var nameType = Text(root, "name_typ") ?? "name";
            var roleType = Text(root, "role_typ") ?? "roles";
            string? name = null;
            var roles = new HashSet<string>(StringComparer.Ordinal);
            foreach (var claim in claims.EnumerateArray())
            {
                if (claim.ValueKind != JsonValueKind.Object || Text(claim, "typ") is not { } type || Text(claim, "val") is not { } value)
                    continue;
                // Entra ID puts app roles under "roles"; the principal names the role claim type it uses as well.
                if (type == roleType || type == "roles")
                    roles.Add(value);
                else if (type == nameType || (name is null && type is "preferred_username" or "name"))
                    name = value;
            }
            return new EasyAuthPrincipal(name ?? "(unnamed)", roles);
        }
        catch (Exception e) when (e is FormatException or JsonException or DecoderFallbackException)
        {
            return null;
        }
    }

    static string? Text(JsonElement element, string property) =>
        element.TryGetProperty(property, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}

namespace Caldera.Web.Admin;

/// <summary>
/// Signing administrators in with Microsoft Entra ID through App Service Authentication ("Easy Auth"), configuration
/// section <see cref="Section"/>. Off by default: only when the platform's authentication runs in front of the app
/// (it strips any X-MS-CLIENT-PRINCIPAL a client sends and sets its own) may that header be believed.
/// </summary>
public sealed class EntraAdminOptions
{
    public const string Section = "Caldera:Web:EntraAdmin";

    public bool Enabled { get; set; }

    /// <summary>The app role (of the app registration) an administrator must hold.</summary>
    public string Role { get; set; } = "Caldera.Admin";
}

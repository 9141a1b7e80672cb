using Caldera.Functions.Management;
using Caldera.Web;
using Caldera.Web.Admin;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using static Caldera.Functions.Management.ManagementHttp;

namespace Caldera.Functions.Web;

/// <summary>
/// The management API for administrators signed in with Microsoft Entra ID (App Service Authentication in front of
/// the app, see docs/deploy.md): <c>web/api/admin/{manage route}</c> runs the same management function as
/// <c>manage/{route}</c> with the function key does. Off unless <see cref="EntraAdminOptions.Enabled"/> (404), and
/// then only for a principal holding <see cref="EntraAdminOptions.Role"/>. The platform's session cookie rides along
/// on every request to the site, so a write must carry <c>X-Caldera-CSRF</c> (a cross-site form cannot send a header)
/// and, when the browser names one, a same-site Origin. Named "WebAdmin" so it sorts before WebApi and Webdav.
/// </summary>
public sealed class WebAdminFunction(EntraAdminOptions options, ManagementMirror mirror)
{
    public const string Route = "web/api/admin/{*path}";
    public const string CsrfHeader = SameOrigin.CsrfHeader;
    public const string LoginPath = "/.auth/login/aad?post_login_redirect_uri=/web/admin";

    [Function("WebAdmin")]
    public async Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "GET", "POST", "PUT", "DELETE", Route = Route)] HttpRequest req,
        CancellationToken ct)
    {
        if (!options.Enabled)
            return Error(StatusCodes.Status404NotFound, "Entra ID sign-in for administrators is not enabled; use the function key.");
        var principal = EasyAuthPrincipal.Read(req.Headers[EasyAuthPrincipal.Header]);
        if (principal is null)
            return new ObjectResult(new { error = "Sign in with Microsoft Entra ID first.", login = LoginPath }) { StatusCode = StatusCodes.Status401Unauthorized };
        if (!principal.Roles.Contains(options.Role))
            return Error(StatusCodes.Status403Forbidden, $"'{principal.Name}' does not hold the app role '{options.Role}'.");
        if (!HttpMethods.IsGet(req.Method) && !HttpMethods.IsHead(req.Method) && !IsSameSiteWrite(req))
            return Error(StatusCodes.Status403Forbidden, $"A change needs the {CsrfHeader} header from this site's own page.");

        var path = RouteValue(req, "path") ?? "";
        if (path == "me" && HttpMethods.IsGet(req.Method))
            return new JsonResult(new { name = principal.Name, role = options.Role });
        return await mirror.InvokeAsync(req, req.Method, path, ct)
            ?? Error(StatusCodes.Status404NotFound, $"No management operation {req.Method} {path}.");
    }

    static bool IsSameSiteWrite(HttpRequest req) => !string.IsNullOrEmpty(req.Headers[CsrfHeader]) && SameOrigin.Allows(req);
}

using Caldera.Web;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;

namespace Caldera.Functions.Web;

/// <summary>
/// The web page's JSON API. Anonymous at the host: the API signs people in itself (session cookie) with the same
/// app passwords and sign-in limits as CalDAV. Only the verbs the API uses are listed: any other (PROPFIND…) on this
/// path falls through to the DAV catch-all, which answers it as DAV does.
/// </summary>
public sealed class WebApiFunction(IWebApi api)
{
    [Function(WebRoutes.ApiFunction)]
    public async Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", Route = WebRoutes.ApiRoute)] HttpRequest req,
        CancellationToken ct)
    {
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(ct, req.HttpContext.RequestAborted);
        await api.HandleAsync(req.HttpContext, linked.Token);
        return new EmptyResult();
    }
}

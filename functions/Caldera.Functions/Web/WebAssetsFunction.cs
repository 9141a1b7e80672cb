using Caldera.Web;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;

namespace Caldera.Functions.Web;

/// <summary>
/// The web page's HTML, scripts and styles (GET and HEAD only: other verbs on /web/… fall through to the DAV
/// catch-all, which answers them as DAV does).
/// </summary>
public sealed class WebAssetsFunction(IWebAssets assets)
{
    [Function(WebRoutes.AssetsFunction)]
    public async Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "GET", "HEAD", Route = WebRoutes.AssetsRoute)] HttpRequest req,
        CancellationToken ct)
    {
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(ct, req.HttpContext.RequestAborted);
        await assets.HandleAsync(req.HttpContext, linked.Token);
        return new EmptyResult();
    }
}

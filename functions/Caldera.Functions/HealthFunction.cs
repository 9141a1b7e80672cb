using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;

namespace Caldera.Functions;

/// <summary>Liveness probe. Its name sorts before the Webdav* functions, so the DAV catch-all never shadows it.</summary>
public sealed class HealthFunction
{
    [Function("Health")]
    public IActionResult Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "GET", Route = "health")] HttpRequest req)
    {
        req.HttpContext.Response.Headers.CacheControl = "no-store";
        return new JsonResult(new HealthResponse("ok"));
    }

    public sealed record HealthResponse(string Status);
}

using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;

namespace Caldera.Functions;

/// <summary>
/// Liveness probe at <c>GET /healthz</c>: anonymous, outside the DAV URL space and the host's /admin and /runtime.
/// 200 when storage answers one point read, 503 when it does not (within <see cref="StorageHealthCheck.Timeout"/>).
/// Its name sorts before the Webdav* functions, so the DAV catch-all never shadows it.
/// </summary>
public sealed class HealthFunction(StorageHealthCheck check)
{
    public const string Route = "healthz";

    [Function("Health")]
    public async Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "GET", Route = Route)] HttpRequest req,
        CancellationToken ct)
    {
        req.HttpContext.Response.Headers.CacheControl = "no-store";
        var result = await check.CheckAsync(ct);
        return new JsonResult(new HealthResponse(result.Healthy ? "ok" : "unavailable", result.Healthy ? "ok" : "unreachable", result.DurationMs))
        {
            StatusCode = result.Healthy ? StatusCodes.Status200OK : StatusCodes.Status503ServiceUnavailable,
        };
    }

    public sealed record HealthResponse(string Status, string Storage, long DurationMs);
}

using Microsoft.AspNetCore.Http;

namespace Caldera.Web.Assets;

/// <summary>Placeholder until the assets land: every call answers 501.</summary>
public sealed class WebAssets : IWebAssets
{
    public Task HandleAsync(HttpContext context, CancellationToken ct)
    {
        context.Response.StatusCode = StatusCodes.Status501NotImplemented;
        return Task.CompletedTask;
    }
}

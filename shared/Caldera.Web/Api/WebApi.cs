using Microsoft.AspNetCore.Http;

namespace Caldera.Web.Api;

/// <summary>Placeholder until the API lands: every call answers 501.</summary>
public sealed class WebApi : IWebApi
{
    public Task HandleAsync(HttpContext context, CancellationToken ct)
    {
        context.Response.StatusCode = StatusCodes.Status501NotImplemented;
        return Task.CompletedTask;
    }
}

using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc.Infrastructure;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Azure.Functions.Worker.Middleware;
using Microsoft.Extensions.DependencyInjection;

namespace Caldera.Functions.Observability;

/// <summary>
/// The Functions worker's side: registered after <c>ConfigureFunctionsWebApplication</c>, so it runs inside the
/// ASP.NET Core integration's proxying middleware (the HttpContext is there) and around the function, in the
/// invocation's async flow (where the function's storage calls happen). An <see cref="Microsoft.AspNetCore.Mvc.IActionResult"/>
/// is executed after this returns, so its status code is read from the result.
/// </summary>
public sealed class RequestLoggingWorkerMiddleware(RequestLogger requests) : IFunctionsWorkerMiddleware
{
    public Task Invoke(FunctionContext context, FunctionExecutionDelegate next)
    {
        var http = context.GetHttpContext();
        if (http is null)
            return next(context); // not an HTTP trigger
        return requests.InvokeAsync(http, () => next(context), () =>
            context.GetInvocationResult()?.Value is IStatusCodeActionResult { StatusCode: int status } ? status : http.Response.StatusCode);
    }
}

public static class RequestLoggingExtensions
{
    /// <summary>The local host's side (plain ASP.NET Core, where the function runs in the request's own flow).</summary>
    public static IApplicationBuilder UseCalderaRequestLogging(this IApplicationBuilder app) =>
        app.Use((context, next) => context.RequestServices.GetRequiredService<RequestLogger>().InvokeAsync(context, () => next(context)));
}

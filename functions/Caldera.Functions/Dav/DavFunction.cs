using Caldera.Dav;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;

namespace Caldera.Functions.Dav;

/// <summary>
/// What every DAV verb function does: hand the whole request to the engine, which writes the whole response.
/// </summary>
/// <remarks>
/// Every DAV function is named <c>Webdav…</c> and uses route <see cref="Route"/> with its own verb: the host
/// tries functions in name order and takes the first route match, so these must sort after every other
/// function (health, manage, imip…) or they would shadow them.
/// </remarks>
public abstract class DavFunction(IDavEngine engine)
{
    /// <summary>The catch-all route shared by the DAV functions (it also matches "/").</summary>
    public const string Route = "{*path}";

    /// <summary>The prefix of every DAV function's name; it must sort after all other function names.</summary>
    public const string NamePrefix = "Webdav";

    protected async Task<IActionResult> HandleAsync(HttpRequest req, CancellationToken ct)
    {
        var context = req.HttpContext;
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(ct, context.RequestAborted);
        await engine.HandleAsync(context, linked.Token);
        return new EmptyResult();
    }
}

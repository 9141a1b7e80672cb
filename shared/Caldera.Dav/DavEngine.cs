using Caldera.Dav.Handlers;
using Caldera.Dav.Xml;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Logging;

namespace Caldera.Dav;

/// <summary>
/// The one entry point of the protocol: parse the path, answer discovery and OPTIONS, authenticate, then hand
/// the request to the handler of its method. Errors become their status with a DAV:error body.
/// </summary>
public sealed class DavEngine(BasicAuthenticator authenticator, IEnumerable<IMethodHandler> handlers, ILogger<DavEngine> log,
    IEnumerable<IBackendOutage> outages, Scheduling.SchedulingHooks scheduling, DavOptions options) : IDavEngine
{
    /// <summary>Compliance classes actually implemented (no locking, so no class 2).</summary>
    public const string DavHeader = "1, 3, calendar-access, extended-mkcol";

    /// <summary>RFC 6638 §2: announced only when an implicit scheduler is registered, since only then do writes schedule.</summary>
    public const string AutoSchedule = "calendar-auto-schedule";

    readonly string _davHeader = scheduling.Enabled ? DavHeader + ", " + AutoSchedule : DavHeader;

    /// <summary>Seconds a client is asked to wait when the backend is unreachable (a restart or failover takes seconds).</summary>
    public const int OutageRetryAfterSeconds = 5;

    readonly IBackendOutage[] _outages = [.. outages];

    readonly Dictionary<string, IMethodHandler> _handlers = handlers
        .SelectMany(h => h.Methods.Select(m => (m, h)))
        .ToDictionary(x => x.m, x => x.h, StringComparer.OrdinalIgnoreCase);

    public string Allow => string.Join(", ", new[] { "OPTIONS" }.Concat(_handlers.Keys));

    public async Task HandleAsync(HttpContext context, CancellationToken ct)
    {
        try
        {
            var raw = context.Features.Get<IHttpRequestFeature>()?.RawTarget;
            if (string.IsNullOrEmpty(raw) || !raw.StartsWith('/'))
                raw = context.Request.PathBase.Add(context.Request.Path).ToUriComponent();
            var path = DavPath.Parse(raw);
            if (IsWellKnown(path))
            {
                // RFC 6764 §5: the context path is the root, where current-user-principal is answered.
                context.Response.StatusCode = 301;
                context.Response.Headers.Location = "/";
                return;
            }
            if (IsBrowserAtRoot(context, path))
            {
                // A person typed the server's address: show them the web page instead of a password prompt.
                context.Response.StatusCode = 302;
                context.Response.Headers.Location = options.BrowserLandingPath;
                context.Response.Headers.Vary = "Accept, Authorization";
                return;
            }
            if (HttpMethods.IsOptions(context.Request.Method))
            {
                context.Response.StatusCode = 200;
                context.Response.Headers["DAV"] = _davHeader;
                context.Response.Headers.Allow = Allow;
                context.Response.ContentLength = 0;
                return;
            }
            if (!_handlers.TryGetValue(context.Request.Method, out var handler))
            {
                context.Response.Headers.Allow = Allow;
                throw new DavException(405, $"{context.Request.Method} is not supported");
            }
            var user = await authenticator.AuthenticateAsync(context.Request, ct);
            if (user is null)
            {
                context.Response.Headers.WWWAuthenticate = BasicAuthenticator.Challenge;
                throw new DavException(401, "authentication required: use your user name and an app password");
            }
            await handler.HandleAsync(new DavContext(context, user, path, ct));
        }
        catch (DavException e)
        {
            await WriteErrorAsync(context, e, ct);
        }
        catch (BadHttpRequestException e)
        {
            await WriteErrorAsync(context, new DavException(e.StatusCode, e.Message), ct);
        }
        catch (Exception e) when (ct.IsCancellationRequested || context.RequestAborted.IsCancellationRequested)
        {
            // The client went away; writing to it may fail with more than OperationCanceledException (a reset connection).
            log.LogDebug(e, "{Method} {Path} ended: the request was aborted", context.Request.Method, context.Request.Path);
        }
        catch (Exception e) when (_outages.Any(o => o.IsOutage(e)))
        {
            // Transient and not this request's fault: the client may try again; nothing was acknowledged.
            log.LogWarning("{Method} {Path} failed: the backend is unreachable ({Error})", context.Request.Method, context.Request.Path,
                e.GetType().Name + ": " + e.Message);
            context.Response.Headers.RetryAfter = OutageRetryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
            await WriteErrorAsync(context, new DavException(503, "storage is unavailable; try again shortly"), ct);
        }
        catch (Exception e)
        {
            log.LogError(e, "{Method} {Path} failed", context.Request.Method, context.Request.Path);
            await WriteErrorAsync(context, new DavException(500, "internal error"), ct);
        }
    }

    bool IsBrowserAtRoot(HttpContext context, DavPath path) =>
        options.BrowserLandingPath is not null && path.Count == 0 &&
        (HttpMethods.IsGet(context.Request.Method) || HttpMethods.IsHead(context.Request.Method)) &&
        string.IsNullOrEmpty(context.Request.Headers.Authorization) &&
        context.Request.Headers.Accept.ToString().Contains("text/html", StringComparison.OrdinalIgnoreCase);

    static bool IsWellKnown(DavPath path) =>
        path.Count == 2 && path[0] == ".well-known" && path[1].Equals("caldav", StringComparison.OrdinalIgnoreCase);

    async Task WriteErrorAsync(HttpContext context, DavException e, CancellationToken ct)
    {
        if (context.Response.HasStarted)
        {
            // A multistatus was being streamed and its 207 is out: the error cannot be sent. Aborting the connection
            // shows the client a failed transfer, not a 207 that looks complete but is cut short. Handlers check what
            // can refuse a request before writing (see MultistatusWriter), so this is a server fault, not the client's.
            log.LogWarning("{Method} {Path} failed with {Status} after its response had started; connection aborted: {Message}",
                context.Request.Method, context.Request.Path, e.Status, e.Message);
            context.Abort();
            return;
        }
        // RFC 9110 §15.5.6: a 405 MUST carry Allow; handlers that refuse a method on a resource name no list themselves.
        if (e.Status == 405 && string.IsNullOrEmpty(context.Response.Headers.Allow))
            context.Response.Headers.Allow = string.Join(", ", new[] { "OPTIONS" }.Concat(_handlers.Keys)
                .Where(m => !m.Equals(context.Request.Method, StringComparison.OrdinalIgnoreCase)));
        // A 503 is transient by definition here (busy calendar, provider down): say when to come back (RFC 9110 §10.2.3).
        if (e.Status == 503 && string.IsNullOrEmpty(context.Response.Headers.RetryAfter))
            context.Response.Headers.RetryAfter = "1";
        if (e.Status is 304 or 412 && e.Condition is null)
        {
            context.Response.StatusCode = e.Status;
            return;
        }
        await DavXml.WriteAsync(context.Response, e.Status, DavXml.Error(e.Condition, e.Message), ct);
    }
}

using System.Security.Cryptography;
using System.Text;
using Caldera.Calendars.Registry;
using Caldera.Dav;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Caldera.Web.Api;

/// <summary>
/// The web page's JSON API (docs/web-api.md): security headers on every answer, the Origin check, routing, the
/// session (the only source of the user) and the CSRF check, then one endpoint; failures become <c>{"error": …}</c>.
/// </summary>
public sealed class WebApi(ApiRouter router, WebSessions sessions, IEnumerable<IBackendOutage> outages, ILogger<WebApi> log) : IWebApi
{
    public const string CsrfHeader = SameOrigin.CsrfHeader;
    const string Prefix = "/web/api";

    readonly IBackendOutage[] _outages = [.. outages];

    public async Task HandleAsync(HttpContext context, CancellationToken ct)
    {
        var headers = context.Response.Headers;
        headers.CacheControl = "no-store";
        headers.XContentTypeOptions = "nosniff";
        headers.ContentSecurityPolicy = "default-src 'none'; frame-ancestors 'none'";
        try
        {
            var ctx = new ApiContext(context, Segments(context.Request.Path), ct);
            if (!SameOrigin.Allows(context.Request))
                throw ApiError.Forbidden("Requests from another origin are not accepted.");
            var (route, allowed) = router.Match(context.Request.Method, ctx.Segments);
            if (route is null)
            {
                if (allowed.Count == 0)
                    throw ApiError.NotFound("No such API resource.");
                headers.Allow = string.Join(", ", allowed);
                throw new ApiError(StatusCodes.Status405MethodNotAllowed, $"Use {string.Join(" or ", allowed)} here.");
            }
            if (!route.Anonymous)
            {
                ctx.Session = await sessions.FindAsync(context, ct) ?? throw ApiError.Unauthorized();
                if (!HttpMethods.IsGet(context.Request.Method) && !HttpMethods.IsHead(context.Request.Method) && !CsrfMatches(context, ctx.Session.Csrf))
                    throw ApiError.Forbidden($"The {CsrfHeader} header is missing or wrong; reload the page.");
            }
            await route.Handler(ctx);
        }
        catch (ApiError e) when (!context.Response.HasStarted)
        {
            await ApiJson.ErrorAsync(context, e.Status, e.Message, ct);
        }
        catch (ProviderUnavailableException e) when (!context.Response.HasStarted)
        {
            log.LogWarning(e, "Web API: calendar provider {AppId} unavailable", e.AppId);
            await ApiJson.ErrorAsync(context, StatusCodes.Status503ServiceUnavailable, "A calendar source is unavailable; try again.", ct);
        }
        catch (BadHttpRequestException e) when (!context.Response.HasStarted)
        {
            await ApiJson.ErrorAsync(context, e.StatusCode, "The request could not be read.", ct);
        }
        catch (Exception e) when (ct.IsCancellationRequested || context.RequestAborted.IsCancellationRequested)
        {
            log.LogDebug(e, "Web API {Method} {Path} ended: the request was aborted", context.Request.Method, context.Request.Path);
        }
        catch (Exception e) when (context.Response.HasStarted)
        {
            // An export was being streamed: a cut connection shows a failed download, not a file that looks complete.
            log.LogWarning(e, "Web API {Method} {Path} failed after its response had started; connection aborted", context.Request.Method, context.Request.Path);
            context.Abort();
        }
        catch (Exception e) when (_outages.Any(o => o.IsOutage(e)))
        {
            log.LogWarning("Web API {Method} {Path} failed: the backend is unreachable ({Error})", context.Request.Method, context.Request.Path,
                e.GetType().Name + ": " + e.Message);
            headers.RetryAfter = DavEngine.OutageRetryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
            await ApiJson.ErrorAsync(context, StatusCodes.Status503ServiceUnavailable, "Storage is unavailable; try again shortly.", ct);
        }
        catch (Exception e)
        {
            log.LogError(e, "Web API {Method} {Path} failed", context.Request.Method, context.Request.Path);
            await ApiJson.ErrorAsync(context, StatusCodes.Status500InternalServerError, "Something went wrong on the server.", ct);
        }
    }

    /// <summary>The path below /web/api/, split (ASP.NET Core has decoded it already).</summary>
    static IReadOnlyList<string> Segments(PathString path)
    {
        var value = path.Value ?? "";
        var rest = value.StartsWith(Prefix, StringComparison.OrdinalIgnoreCase) ? value[Prefix.Length..] : value;
        return rest.Split('/', StringSplitOptions.RemoveEmptyEntries);
    }

    static bool CsrfMatches(HttpContext context, string expected)
    {
        var given = context.Request.Headers[CsrfHeader].ToString();
        return given.Length > 0 && CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(given), Encoding.UTF8.GetBytes(expected));
    }
}

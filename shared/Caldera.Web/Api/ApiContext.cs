using Caldera.Storage.Web;
using Microsoft.AspNetCore.Http;

namespace Caldera.Web.Api;

/// <summary>
/// One API request: its path below /web/api/ as decoded segments, and the session it carries (set by
/// <see cref="WebApi"/> before any endpoint that needs one runs; the user comes from nowhere else).
/// </summary>
public sealed class ApiContext(HttpContext http, IReadOnlyList<string> segments, CancellationToken ct)
{
    public HttpContext Http { get; } = http;
    public HttpRequest Request => Http.Request;
    public HttpResponse Response => Http.Response;
    public IReadOnlyList<string> Segments { get; } = segments;
    public CancellationToken Cancellation { get; } = ct;

    WebSessionRecord? _session;

    public WebSessionRecord Session
    {
        get => _session ?? throw ApiError.Unauthorized();
        set => _session = value;
    }

    /// <summary>The signed-in user (from the session only).</summary>
    public string User => Session.User;

    /// <summary>scheme://host[:port] of this request, as a browser writes it in Origin.</summary>
    public string Origin => SameOrigin.Of(Request);

    /// <summary>An absolute URL for a path-absolute href of this server (e.g. /calendars/alice/).</summary>
    public string Absolute(string href) => Origin + Request.PathBase.Value + href;
}

using Microsoft.AspNetCore.Http;

namespace Caldera.Web.Assets;

/// <summary>
/// Serves the page (everything under /web/ but the API): <c>/web/</c> and <c>/web/index.html</c> the user's page,
/// <c>/web/admin</c> the admin page (both with a fresh CSP nonce), <c>/web/assets/*</c> the bundle's files with
/// strong ETags (brotli or gzip when the browser takes them), <c>/web</c> redirected to <c>/web/</c>, and 404 for anything else. GET and HEAD only.
/// </summary>
public sealed class WebAssets : IWebAssets
{
    const string Base = "/web";
    const string AssetsPrefix = "/web/assets/";

    readonly WebBundle _bundle;
    readonly HtmlPage _index;
    readonly HtmlPage _admin;

    public WebAssets(WebBundle bundle)
    {
        _bundle = bundle;
        _index = new HtmlPage(bundle.Find("index.html")!);
        _admin = new HtmlPage(bundle.Find("admin.html")!);
    }

    public Task HandleAsync(HttpContext context, CancellationToken ct)
    {
        var request = context.Request;
        var response = context.Response;
        if (!HttpMethods.IsGet(request.Method) && !HttpMethods.IsHead(request.Method))
        {
            PageSecurityHeaders.ApplyToOther(response);
            response.Headers.Allow = "GET, HEAD";
            return WriteTextAsync(context, StatusCodes.Status405MethodNotAllowed, "Only GET and HEAD are served here.", ct);
        }

        var path = request.Path.Value ?? "";
        switch (path)
        {
            case Base:
                PageSecurityHeaders.ApplyToOther(response);
                response.StatusCode = StatusCodes.Status301MovedPermanently;
                response.Headers.Location = Base + "/" + request.QueryString;
                return Task.CompletedTask;
            case Base + "/":
            case Base + "/index.html":
                return WritePageAsync(context, _index, ct);
            case Base + "/admin":
                return WritePageAsync(context, _admin, ct);
        }

        if (path.StartsWith(AssetsPrefix, StringComparison.Ordinal)
            && _bundle.Find("assets/" + path[AssetsPrefix.Length..]) is { } file)
            return WriteAssetAsync(context, file, ct);

        PageSecurityHeaders.ApplyToOther(response);
        return WriteTextAsync(context, StatusCodes.Status404NotFound, "Not found.", ct);
    }

    static Task WritePageAsync(HttpContext context, HtmlPage page, CancellationToken ct)
    {
        var nonce = PageSecurityHeaders.NewNonce();
        PageSecurityHeaders.ApplyToHtml(context.Response, nonce);
        return WriteBytesAsync(context, StatusCodes.Status200OK, "text/html; charset=utf-8", page.Render(nonce), ct);
    }

    static Task WriteAssetAsync(HttpContext context, BundleFile file, CancellationToken ct)
    {
        var response = context.Response;
        PageSecurityHeaders.ApplyToAsset(response);
        var representation = file.Select(context.Request.Headers.AcceptEncoding.ToString());
        if (file.Encoded.Count > 0)
            response.Headers.Vary = "Accept-Encoding";
        if (representation.Coding is not null)
            response.Headers.ContentEncoding = representation.Coding;
        response.Headers.ETag = representation.ETag;
        if (EntityTags.NoneMatchHits(context.Request.Headers.IfNoneMatch, representation.ETag))
        {
            response.StatusCode = StatusCodes.Status304NotModified;
            return Task.CompletedTask;
        }
        return WriteBytesAsync(context, StatusCodes.Status200OK, file.ContentType, representation.Content, ct);
    }

    static Task WriteTextAsync(HttpContext context, int status, string text, CancellationToken ct) =>
        WriteBytesAsync(context, status, "text/plain; charset=utf-8", System.Text.Encoding.UTF8.GetBytes(text + "\n"), ct);

    static async Task WriteBytesAsync(HttpContext context, int status, string contentType, byte[] body, CancellationToken ct)
    {
        var response = context.Response;
        response.StatusCode = status;
        response.ContentType = contentType;
        response.ContentLength = body.Length;
        if (!HttpMethods.IsHead(context.Request.Method))
            await response.Body.WriteAsync(body, ct);
    }
}

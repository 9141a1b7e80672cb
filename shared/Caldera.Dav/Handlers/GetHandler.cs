using System.Globalization;
using Caldera.Dav.Nodes;
using Caldera.Storage;

namespace Caldera.Dav.Handlers;

/// <summary>GET and HEAD of a calendar object, with If-None-Match (304) and If-Match (412).</summary>
public sealed class GetHandler(NodeResolver resolver) : IMethodHandler
{
    public IReadOnlyList<string> Methods => ["GET", "HEAD"];

    public async Task HandleAsync(DavContext ctx)
    {
        var node = await resolver.ResolveAsync(ctx, ctx.Path) ?? throw DavException.NotFound();
        if (node is not ObjectNode o)
        {
            ctx.Response.StatusCode = 200;
            ctx.Response.ContentType = "text/plain; charset=utf-8";
            if (!HttpMethodsIsHead(ctx))
                await ctx.Response.WriteAsync($"Caldera CalDAV collection {node.Href}\n", ctx.Cancellation);
            return;
        }
        var conditions = Conditions.From(ctx.Request);
        if (conditions.IfMatch.Count > 0 && !(conditions with { IfNoneMatch = [] }).HoldFor(o.Object.ETag))
            throw DavException.PreconditionFailed();
        SetHeaders(ctx, o);
        if (conditions.IfNoneMatch.Count > 0 && !(conditions with { IfMatch = [] }).HoldFor(o.Object.ETag))
        {
            ctx.Response.StatusCode = 304;
            return;
        }
        if (HttpMethodsIsHead(ctx))
        {
            ctx.Response.ContentLength = o.Object.Size;
            return;
        }
        var body = await o.Object.GetDataAsync(ctx.Cancellation) ?? throw DavException.NotFound();
        ctx.Response.ContentLength = body.Length;
        await ctx.Response.Body.WriteAsync(body, ctx.Cancellation);
    }

    static void SetHeaders(DavContext ctx, ObjectNode o)
    {
        ctx.Response.StatusCode = 200;
        ctx.Response.ContentType = o.Object.ContentType;
        ctx.Response.Headers.ETag = o.Object.ETag;
        // RFC 6638 §3.2.10: a scheduling object resource's GET and HEAD carry its Schedule-Tag.
        if (o.Object.ScheduleTag is { } tag)
            ctx.Response.Headers[Scheduling.SchedulingHooks.ScheduleTagHeader] = tag;
        ctx.Response.Headers.LastModified = o.Object.LastModified.ToString("R", CultureInfo.InvariantCulture);
    }

    static bool HttpMethodsIsHead(DavContext ctx) => Microsoft.AspNetCore.Http.HttpMethods.IsHead(ctx.Request.Method);
}

file static class ResponseExtensions
{
    public static Task WriteAsync(this Microsoft.AspNetCore.Http.HttpResponse response, string text, CancellationToken ct) =>
        response.Body.WriteAsync(System.Text.Encoding.UTF8.GetBytes(text), ct).AsTask();
}

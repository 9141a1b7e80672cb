using Caldera.Dav.Nodes;
using Caldera.Dav.Properties;
using Caldera.Dav.Xml;
using static Caldera.Dav.Xml.DavNames;

namespace Caldera.Dav.Handlers;

/// <summary>
/// PROPFIND (RFC 4918 §9.1), Depth 0 or 1; Depth infinity, which a missing Depth header means, is refused with
/// DAV:propfind-finite-depth. The answer is streamed member by member; the request is resolved against the
/// registry once, not per member.
/// </summary>
public sealed class PropfindHandler(NodeResolver resolver, PropertyReader reader, DavOptions options, Caldera.Storage.ICalendarStore store) : IMethodHandler
{
    public IReadOnlyList<string> Methods => ["PROPFIND"];

    public async Task HandleAsync(DavContext ctx)
    {
        var depth = Depth.Read(ctx.Request, defaultDepth: Depth.Infinity);
        if (depth == Depth.Infinity)
            throw DavException.Forbidden("Depth infinity (also what a missing Depth header means) is not supported; send Depth 0 or 1", new System.Xml.Linq.XElement(D + "propfind-finite-depth"));
        var body = await DavXml.ReadAsync(ctx.Request, options.MaxXmlBodySize, ctx.Cancellation);
        var request = PropRequest.AllProp;
        if (body is not null)
        {
            if (body.Root!.Name != D + "propfind")
                throw DavException.BadRequest("the body must be DAV:propfind");
            request = PropRequest.From(body.Root, required: true);
        }
        var node = await resolver.ResolveAsync(ctx, ctx.Path) ?? throw DavException.NotFound();
        // Everything that can fail is done before the first byte: the listing here, the plan; reading is in memory.
        var children = depth == 1 ? await resolver.ChildrenAsync(ctx, node) : [];
        var plan = reader.Plan(request);
        await QuotaProperties.PreloadAsync(ctx, store, plan, node, children);
        var values = new PropertyValues();
        using var multistatus = new MultistatusWriter(ctx.Response, ctx.Cancellation);
        reader.Read(node, ctx, plan, values);
        await multistatus.WriteResponseAsync(node.Href, values);
        foreach (var child in children)
        {
            reader.Read(child, ctx, plan, values);
            await multistatus.WriteResponseAsync(child.Href, values);
        }
        await multistatus.CompleteAsync();
    }
}

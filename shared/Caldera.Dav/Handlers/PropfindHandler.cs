using Caldera.Dav.Nodes;
using Caldera.Dav.Properties;
using Caldera.Dav.Xml;
using static Caldera.Dav.Xml.DavNames;

namespace Caldera.Dav.Handlers;

/// <summary>PROPFIND (RFC 4918 §9.1), Depth 0 or 1; Depth infinity is refused with DAV:propfind-finite-depth.</summary>
public sealed class PropfindHandler(NodeResolver resolver, PropertyReader reader, DavOptions options) : IMethodHandler
{
    public IReadOnlyList<string> Methods => ["PROPFIND"];

    public async Task HandleAsync(DavContext ctx)
    {
        var depth = Depth.Read(ctx.Request, defaultDepth: 0);
        if (depth == Depth.Infinity)
            throw DavException.Forbidden("Depth: infinity is not supported", new System.Xml.Linq.XElement(D + "propfind-finite-depth"));
        var body = await DavXml.ReadAsync(ctx.Request, options.MaxXmlBodySize, ctx.Cancellation);
        var request = PropRequest.AllProp;
        if (body is not null)
        {
            if (body.Root!.Name != D + "propfind")
                throw DavException.BadRequest("the body must be DAV:propfind");
            request = PropRequest.From(body.Root, required: true);
        }
        var node = await resolver.ResolveAsync(ctx, ctx.Path) ?? throw DavException.NotFound();
        var multistatus = new Multistatus();
        multistatus.AddPropstats(node.Href, await reader.ReadAsync(node, ctx, request));
        if (depth == 1)
            foreach (var child in await resolver.ChildrenAsync(ctx, node))
                multistatus.AddPropstats(child.Href, await reader.ReadAsync(child, ctx, request));
        await DavXml.WriteAsync(ctx.Response, 207, multistatus.Root, ctx.Cancellation);
    }
}

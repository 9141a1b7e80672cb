using System.Xml.Linq;
using Caldera.Dav.Nodes;
using Caldera.Dav.Xml;
using static Caldera.Dav.Xml.DavNames;

namespace Caldera.Dav.Reports.Principals;

/// <summary>DAV:principal-search-property-set (RFC 3744 §9.5) on /principals/: the properties principal-property-search matches on.</summary>
public sealed class PrincipalSearchPropertySetReport : IReport
{
    public XName Name => D + "principal-search-property-set";

    public static bool Applies(DavNode node) => node is ContainerNode { Name: Hrefs.Principals };

    public bool AppliesTo(DavNode node) => Applies(node);

    public async Task RunAsync(DavContext ctx, DavNode node, XElement body)
    {
        if (Depth.Read(ctx.Request, defaultDepth: 0) != 0)
            throw DavException.BadRequest("principal-search-property-set takes Depth: 0");
        if (body.HasElements)
            throw DavException.BadRequest("principal-search-property-set takes an empty body element");
        var set = new XElement(D + "principal-search-property-set",
            PrincipalDirectory.Searchable.Select(p => new XElement(D + "principal-search-property",
                new XElement(D + "prop", new XElement(p.Name)),
                new XElement(D + "description", new XAttribute(XNamespace.Xml + "lang", "en"), p.Description))));
        await DavXml.WriteAsync(ctx.Response, 200, set, ctx.Cancellation);
    }
}

using System.Xml.Linq;
using Caldera.Dav.Nodes;
using Caldera.Dav.Properties;
using Caldera.Dav.Xml;
using static Caldera.Dav.Xml.DavNames;

namespace Caldera.Dav.Reports.Principals;

/// <summary>
/// DAV:expand-property (RFC 3253 §3.8) on any resource: the named properties, where a property asked for with
/// nested DAV:property elements has DAV:href values, each href is replaced by a DAV:response for that resource
/// with the nested properties (recursively, at most <see cref="MaxDepth"/> levels and
/// <see cref="MaxResponses"/> nested responses). Hrefs go through the resolver, so a resource the user may not
/// see answers 404 like any unknown one; hrefs that are no path on this server (mailto:) stay as they are.
/// </summary>
public sealed class ExpandPropertyReport(NodeResolver resolver, PropertyReader reader) : IReport
{
    public const int MaxDepth = 4;
    public const int MaxResponses = 100;

    public XName Name => D + "expand-property";

    public bool AppliesTo(DavNode node) => true;

    public async Task RunAsync(DavContext ctx, DavNode node, XElement body)
    {
        if (Depth.Read(ctx.Request, defaultDepth: 0) != 0)
            throw DavException.BadRequest("expand-property takes Depth: 0");
        // The one response is built whole (its nested responses resolve hrefs and count against the budget, which
        // can refuse) before anything is written.
        var response = await ResponseAsync(ctx, node, body, 1, new Budget());
        using var multistatus = new MultistatusWriter(ctx.Response, ctx.Cancellation);
        await multistatus.WriteAsync(response);
        await multistatus.CompleteAsync();
    }

    sealed class Budget { public int Responses; }

    async Task<XElement> ResponseAsync(DavContext ctx, DavNode node, XElement spec, int level, Budget budget)
    {
        var wanted = Requested(spec);
        var request = new PropRequest(PropRequestKind.Prop, wanted.Select(w => new XElement(w.Name)).ToList());
        var propstats = reader.ReadPropstats(node, ctx, request);
        var response = new XElement(D + "response", new XElement(D + "href", node.Href));
        foreach (var group in propstats.Where(p => p.Properties.Count > 0))
        {
            var props = new XElement(D + "prop");
            foreach (var value in group.Properties)
            {
                var nested = wanted.FirstOrDefault(w => w.Name == value.Name).Spec;
                if (group.Status == 200 && nested is not null && nested.Elements(D + "property").Any() && level < MaxDepth)
                    props.Add(await ExpandAsync(ctx, value, nested, level, budget));
                else
                    props.Add(value);
            }
            response.Add(new XElement(D + "propstat", props, new XElement(D + "status", Multistatus.StatusLine(group.Status))));
        }
        return response;
    }

    /// <summary>The property with each of its DAV:href children replaced by the target's response.</summary>
    async Task<XElement> ExpandAsync(DavContext ctx, XElement value, XElement spec, int level, Budget budget)
    {
        var expanded = new XElement(value.Name);
        foreach (var child in value.Nodes())
        {
            if (child is not XElement { } href || href.Name != D + "href" || HrefPath.Parse(href.Value) is not { } path)
            {
                expanded.Add(child is XElement e ? new XElement(e) : child);
                continue;
            }
            if (++budget.Responses > MaxResponses)
                throw DavException.Forbidden($"expand-property would produce more than {MaxResponses} responses",
                    new XElement(D + "number-of-matches-within-limits"));
            var target = await resolver.ResolveAsync(ctx, path);
            expanded.Add(target is null
                ? new XElement(D + "response", new XElement(D + "href", href.Value), new XElement(D + "status", Multistatus.StatusLine(404)))
                : await ResponseAsync(ctx, target, spec, level + 1, budget));
        }
        return expanded;
    }

    /// <summary>The DAV:property children of a spec element, by qualified name (namespace defaults to DAV:).</summary>
    static List<(XName Name, XElement Spec)> Requested(XElement spec)
    {
        var list = new List<(XName, XElement)>();
        foreach (var property in spec.Elements(D + "property"))
        {
            var local = property.Attribute("name")?.Value.Trim();
            if (string.IsNullOrEmpty(local))
                throw DavException.BadRequest("DAV:property needs a name attribute");
            XName name;
            try
            {
                name = XName.Get(local, property.Attribute("namespace")?.Value ?? D.NamespaceName);
            }
            catch (System.Xml.XmlException)
            {
                throw DavException.BadRequest($"'{local}' is not a valid property name");
            }
            if (list.All(x => x.Item1 != name))
                list.Add((name, property));
        }
        return list;
    }
}

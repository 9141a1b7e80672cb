using System.Xml.Linq;
using Caldera.Dav.Nodes;
using Caldera.Dav.Properties;
using Caldera.Dav.Xml;
using static Caldera.Dav.Xml.DavNames;

namespace Caldera.Dav.Reports.Principals;

/// <summary>
/// DAV:principal-match (RFC 3744 §9.3), Depth 0, on /principals/, /calendars/ and a calendar home.
/// <c>DAV:self</c> matches the members that are (or, with groups, contain) the current user's principal: on
/// /principals/ that is the user's own principal; a calendar space holds no principals. <c>DAV:principal-property</c>
/// names a property of the members (e.g. DAV:owner) and matches those whose DAV:href value is the current user's
/// principal. Members are the principals the user may see (<see cref="PrincipalDirectory"/>), or the user's
/// home and calendars; calendar objects are not walked (a whole-home object scan per request), which the RFC's
/// "any depth" would include.
/// </summary>
public sealed class PrincipalMatchReport(PrincipalDirectory directory, NodeResolver resolver, PropertyRegistry registry, PropertyReader reader) : IReport
{
    public XName Name => D + "principal-match";

    public static bool Applies(DavNode node) => node is ContainerNode or HomeNode;

    public bool AppliesTo(DavNode node) => Applies(node);

    public async Task RunAsync(DavContext ctx, DavNode node, XElement body)
    {
        if (Depth.Read(ctx.Request, defaultDepth: 0) != 0)
            throw DavException.BadRequest("principal-match takes Depth: 0");
        var self = body.Element(D + "self") is not null;
        var principalProperty = body.Element(D + "principal-property")?.Elements().FirstOrDefault()?.Name;
        if (self == (principalProperty is not null))
            throw DavException.BadRequest("principal-match needs exactly one of DAV:self or DAV:principal-property with a property");
        var request = PropRequest.From(body, required: false);
        if (request.Kind != PropRequestKind.Prop)
            request = new PropRequest(PropRequestKind.Prop, []);

        var me = Hrefs.Principal(ctx.User);
        var members = await MembersAsync(ctx, node);
        var plan = reader.Plan(request);
        var values = new PropertyValues();
        using var multistatus = new MultistatusWriter(ctx.Response, ctx.Cancellation);
        foreach (var member in members)
        {
            bool matched = self
                ? member is PrincipalNode p && p.Href == me
                : registry.Find(principalProperty!) is { } live && live.Get(member, ctx) is { } value && PointsAt(value, me);
            if (!matched)
                continue;
            reader.Read(member, ctx, plan, values);
            await multistatus.WriteResponseAsync(member.Href, values);
        }
        await multistatus.CompleteAsync();
    }

    async Task<IReadOnlyList<DavNode>> MembersAsync(DavContext ctx, DavNode node)
    {
        switch (node)
        {
            case ContainerNode { Name: Hrefs.Principals }:
                return await directory.VisibleAsync(ctx);
            case ContainerNode { Name: Hrefs.Calendars }:
                var home = new HomeNode(ctx.User);
                return [home, .. await resolver.ChildrenAsync(ctx, home)];
            case HomeNode home2:
                return await resolver.ChildrenAsync(ctx, home2);
            default:
                return [];
        }
    }

    /// <summary>Whether a property value holds a DAV:href naming <paramref name="principal"/> (a path or an absolute URL).</summary>
    static bool PointsAt(object value, string principal)
    {
        IEnumerable<XElement> elements = value switch
        {
            XElement e => [e],
            IEnumerable<XElement> many => many,
            _ => [],
        };
        return elements.Where(e => e.Name == D + "href")
            .Any(e => HrefPath.Parse(e.Value) is { } path && DavPath.Href(true, [.. path.Segments]) == principal);
    }
}

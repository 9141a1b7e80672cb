using System.Xml.Linq;
using Caldera.Dav.Nodes;
using Caldera.Dav.Properties;
using Caldera.Dav.Xml;
using static Caldera.Dav.Xml.DavNames;

namespace Caldera.Dav.Reports.Principals;

/// <summary>
/// DAV:principal-property-search (RFC 3744 §9.4): principals whose searchable properties (displayname,
/// calendar-user-address-set) contain the match strings, case-insensitively; <c>test="allof"</c> (default
/// <c>anyof</c>) needs every property-search to match. Sent to /principals/, or anywhere with
/// DAV:apply-to-principal-collection-set. Also honours CalendarServer's <c>match-type</c>
/// (contains, starts-with, ends-with, equals). Only principals the user may see are searched: see
/// <see cref="PrincipalDirectory"/>.
/// </summary>
public sealed class PrincipalPropertySearchReport(PrincipalDirectory directory, PropertyReader reader) : IReport
{
    const int MaxSearches = 20;
    const int MaxMatchLength = 256;

    public XName Name => D + "principal-property-search";

    public static bool Applies(DavNode node) => node is RootNode or ContainerNode or PrincipalNode or HomeNode;

    public bool AppliesTo(DavNode node) => Applies(node);

    public async Task RunAsync(DavContext ctx, DavNode node, XElement body)
    {
        if (Depth.Read(ctx.Request, defaultDepth: 0) != 0)
            throw DavException.BadRequest("principal-property-search takes Depth: 0");
        var applyToSet = body.Element(D + "apply-to-principal-collection-set") is not null;
        if (!applyToSet && node is not ContainerNode { Name: Hrefs.Principals })
            throw DavException.Forbidden("principal-property-search applies to /principals/ or needs DAV:apply-to-principal-collection-set",
                new XElement(D + "supported-report"));
        var allOf = (body.Attribute("test")?.Value.Trim() ?? "anyof") switch
        {
            "anyof" => false,
            "allof" => true,
            _ => throw DavException.BadRequest("test must be anyof or allof"),
        };
        var searches = body.Elements(D + "property-search").Select(Parse).ToList();
        if (searches.Count == 0)
            throw DavException.BadRequest("principal-property-search needs at least one DAV:property-search");
        if (searches.Count > MaxSearches)
            throw DavException.BadRequest($"at most {MaxSearches} DAV:property-search elements");
        var request = PropRequest.From(body, required: false);
        if (request.Kind != PropRequestKind.Prop)
            request = new PropRequest(PropRequestKind.Prop, []);

        var visible = await directory.VisibleAsync(ctx);
        var plan = reader.Plan(request);
        var answer = new PropertyValues();
        using var multistatus = new MultistatusWriter(ctx.Response, ctx.Cancellation);
        foreach (var principal in visible)
        {
            bool Hit(Search s) => s.Properties.Any(p => PrincipalDirectory.SearchValues(principal, p) is { } values && values.Any(s.Matches));
            if (!(allOf ? searches.All(Hit) : searches.Any(Hit)))
                continue;
            reader.Read(principal, ctx, plan, answer);
            await multistatus.WriteResponseAsync(principal.Href, answer);
        }
        await multistatus.CompleteAsync();
    }

    sealed record Search(IReadOnlyList<XName> Properties, string Text, string MatchType)
    {
        public bool Matches(string value) => MatchType switch
        {
            "starts-with" => value.StartsWith(Text, StringComparison.OrdinalIgnoreCase),
            "ends-with" => value.EndsWith(Text, StringComparison.OrdinalIgnoreCase),
            "equals" => value.Equals(Text, StringComparison.OrdinalIgnoreCase),
            _ => value.Contains(Text, StringComparison.OrdinalIgnoreCase),
        };
    }

    static Search Parse(XElement search)
    {
        var props = search.Element(D + "prop")?.Elements().Select(e => e.Name).ToList();
        if (props is null || props.Count == 0)
            throw DavException.BadRequest("each DAV:property-search needs a DAV:prop naming properties");
        var match = search.Element(D + "match") ?? throw DavException.BadRequest("each DAV:property-search needs a DAV:match");
        if (match.Value.Length > MaxMatchLength)
            throw DavException.BadRequest($"a DAV:match is longer than {MaxMatchLength} characters");
        var type = (match.Attribute("match-type")?.Value.Trim() ?? "contains") switch
        {
            "" or "contains" => "contains",
            "starts-with" or "ends-with" or "equals" => match.Attribute("match-type")!.Value.Trim(),
            var other => throw DavException.BadRequest($"match-type '{other}' is not supported"),
        };
        return new Search(props, match.Value.Trim(), type);
    }
}

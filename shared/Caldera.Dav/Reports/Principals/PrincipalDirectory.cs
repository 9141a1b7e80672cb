using System.Xml.Linq;
using Caldera.Calendars.Accounts;
using Caldera.Dav.Nodes;
using static Caldera.Dav.Xml.DavNames;

namespace Caldera.Dav.Reports.Principals;

/// <summary>
/// The principals a user may find through the principal reports. Caldera has no shared directory yet (no
/// groups, no delegation, no sharing), so the only principal a user may see is their own: other users' names
/// and addresses never enter a search, however the query is phrased. When a directory arrives, it goes here.
/// </summary>
public sealed class PrincipalDirectory(IAccountService accounts)
{
    /// <summary>The principals visible to the asking user (today: themselves).</summary>
    public async Task<IReadOnlyList<PrincipalNode>> VisibleAsync(DavContext ctx) =>
        await accounts.GetUserAsync(ctx.User, ctx.Cancellation) is { } self ? [new PrincipalNode(self)] : [];

    /// <summary>The properties principal-property-search matches on, with their descriptions (RFC 3744 §9.5).</summary>
    public static readonly IReadOnlyList<(XName Name, string Description)> Searchable =
    [
        (D + "displayname", "Display name"),
        (C + "calendar-user-address-set", "Calendar user addresses (mailto: and principal URL)"),
    ];

    /// <summary>The text values of a searchable property of a principal, or null if the property is not searchable.</summary>
    public static IReadOnlyList<string>? SearchValues(PrincipalNode principal, XName property)
    {
        var user = principal.User;
        if (property == D + "displayname")
            return string.IsNullOrEmpty(user.DisplayName) ? [] : [user.DisplayName];
        if (property == C + "calendar-user-address-set")
            return string.IsNullOrEmpty(user.Email) ? [principal.Href] : ["mailto:" + user.Email, principal.Href];
        return null;
    }
}

/// <summary>The principal reports each kind of node supports (for DAV:supported-report-set).</summary>
public static class PrincipalReportSet
{
    public static IEnumerable<XName> For(DavNode node)
    {
        yield return D + "expand-property";
        if (PrincipalPropertySearchReport.Applies(node))
            yield return D + "principal-property-search";
        if (PrincipalSearchPropertySetReport.Applies(node))
            yield return D + "principal-search-property-set";
        if (PrincipalMatchReport.Applies(node))
            yield return D + "principal-match";
    }
}

/// <summary>Turns an href (a path or an absolute http(s) URL on this server) into a path; null for other schemes or bad paths.</summary>
public static class HrefPath
{
    public static DavPath? Parse(string href)
    {
        href = href.Trim();
        try
        {
            if (href.StartsWith('/'))
                return DavPath.Parse(href);
            if (Uri.TryCreate(href, UriKind.Absolute, out var abs) && abs.Scheme is "http" or "https")
                return DavPath.Parse(abs.AbsolutePath);
        }
        catch (DavException)
        {
        }
        return null;
    }
}

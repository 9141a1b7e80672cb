using Caldera.Calendars.Accounts;
using Caldera.Calendars.Registry;

namespace Caldera.Dav.Nodes;

/// <summary>
/// Maps a path to a node, loading no more than that node needs. Another user's principal or home
/// resolves to nothing (404): one user never sees another's data unless a provider grants it.
/// </summary>
public sealed class NodeResolver(CalendarHome homes, IAccountService accounts)
{
    public async Task<DavNode?> ResolveAsync(DavContext ctx, DavPath path)
    {
        var s = path.Segments;
        switch (s.Count)
        {
            case 0:
                return new RootNode();
            case 1 when s[0] is Hrefs.Principals or Hrefs.Calendars:
                return new ContainerNode(s[0]);
            case 2 when s[0] == Hrefs.Principals && s[1] == ctx.User:
                return await accounts.GetUserAsync(ctx.User, ctx.Cancellation) is { } user ? new PrincipalNode(user) : null;
            case 2 when s[0] == Hrefs.Calendars && s[1] == ctx.User:
                return new HomeNode(ctx.User);
            case 3 when s[0] == Hrefs.Calendars:
                return await ResolveCalendarAsync(ctx, s[1], s[2]);
            case 4 when s[0] == Hrefs.Calendars && !path.TrailingSlash:
                var calendar = await ResolveCalendarAsync(ctx, s[1], s[2]);
                if (calendar is null)
                    return null;
                var item = await calendar.Calendar.GetObjectAsync(s[3], ctx.Cancellation);
                return item is null ? null : new ObjectNode(calendar, item);
            default:
                return null;
        }
    }

    /// <summary>The calendar at /calendars/{owner}/{segment}/, if the asking user may see it.</summary>
    public async Task<CalendarNode?> ResolveCalendarAsync(DavContext ctx, string owner, string segment)
    {
        if (owner != ctx.User)
            return null;
        HomeCalendar? entry;
        try
        {
            entry = await homes.FindAsync(ctx.For(owner), segment, ctx.Cancellation);
        }
        catch (ProviderUnavailableException e)
        {
            // The provider threw or timed out: a transient failure of this calendar only (the home still lists the rest).
            throw new DavException(503, $"the calendar's provider ({e.AppId}) is not available; try again later");
        }
        return entry is null ? null : new CalendarNode(owner, entry);
    }

    /// <summary>The nodes one level below <paramref name="node"/> (PROPFIND Depth 1).</summary>
    public async Task<IReadOnlyList<DavNode>> ChildrenAsync(DavContext ctx, DavNode node)
    {
        switch (node)
        {
            case RootNode:
                return [new ContainerNode(Hrefs.Principals), new ContainerNode(Hrefs.Calendars)];
            case ContainerNode { Name: Hrefs.Principals }:
                return await accounts.GetUserAsync(ctx.User, ctx.Cancellation) is { } user ? [new PrincipalNode(user)] : [];
            case ContainerNode { Name: Hrefs.Calendars }:
                return [new HomeNode(ctx.User)];
            case HomeNode home:
                return (await homes.ListAsync(ctx.For(home.Owner), ctx.Cancellation))
                    .Select(e => (DavNode)new CalendarNode(home.Owner, e)).ToList();
            case CalendarNode calendar:
                return (await calendar.Calendar.GetObjectsAsync(ctx.Cancellation))
                    .Select(o => (DavNode)new ObjectNode(calendar, o)).ToList();
            default:
                return [];
        }
    }
}

using Caldera.Calendars.Accounts;
using Caldera.Calendars.Providers.Store;
using Caldera.Calendars.Registry;
using Caldera.Calendars.Scheduling;

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
            case 3 when s[0] == Hrefs.Calendars && s[1] == ctx.User && s[2] == ScheduleCollections.Outbox:
                return new OutboxNode(ctx.User);
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
        if (owner != ctx.User || segment == ScheduleCollections.Outbox)
            return null;
        if (segment == ScheduleCollections.Inbox)
            return await ResolveInboxAsync(ctx, owner);
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

    /// <summary>
    /// The owner's inbox, with the schedule-default-calendar-URL it shows: both come from one listing of the owner's
    /// store calendars (the inbox is one of them once something was delivered).
    /// </summary>
    async Task<CalendarNode> ResolveInboxAsync(DavContext ctx, string owner)
    {
        var own = await homes.ListAsync(ctx.For(owner), p => p.AppId == StoreCalendarProvider.Id, ctx.Cancellation);
        return Inbox(owner, own);
    }

    /// <summary>The inbox node among <paramref name="entries"/> of a home (an empty one before the first delivery).</summary>
    static CalendarNode Inbox(string owner, IReadOnlyList<HomeCalendar> entries)
    {
        var own = entries.Where(e => e.AppId == StoreCalendarProvider.Id).ToList();
        var inbox = own.FirstOrDefault(e => e.Segment == ScheduleCollections.Inbox)
            ?? new HomeCalendar(ScheduleCollections.Inbox, StoreCalendarProvider.Id, new EmptyInbox(owner));
        var chosen = ScheduleDefaultCalendar.Choose(own.Select(e => (e.Segment, e.Calendar)), "VEVENT");
        return new CalendarNode(owner, inbox) { ScheduleDefaultCalendar = chosen is { } c ? Hrefs.Calendar(owner, c.Segment) : null };
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
            {
                var entries = await homes.ListAsync(ctx.For(home.Owner), ctx.Cancellation);
                var children = entries.Where(e => !(e.AppId == StoreCalendarProvider.Id && ScheduleCollections.IsReserved(e.Segment)))
                    .Select(e => (DavNode)new CalendarNode(home.Owner, e)).ToList();
                children.Add(Inbox(home.Owner, entries));
                children.Add(new OutboxNode(home.Owner));
                return children;
            }
            case CalendarNode calendar:
                return (await calendar.Calendar.GetObjectsAsync(ctx.Cancellation))
                    .Select(o => (DavNode)new ObjectNode(calendar, o)).ToList();
            default:
                return [];
        }
    }
}

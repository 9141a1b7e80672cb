using Caldera.Calendars.Scheduling;
using Caldera.Dav.Nodes;
using Caldera.Dav.Properties;

namespace Caldera.Dav.Handlers;

/// <summary>
/// POST to a calendar's Add-Member URI (RFC 5995 §3): the body becomes a new calendar object under a name the server
/// picks, through exactly the write a PUT with If-None-Match: * makes (<see cref="PutHandler.WriteAsync"/>).
/// </summary>
public sealed class AddMemberHandler(NodeResolver resolver, PutHandler put)
{
    public async Task HandleAsync(DavContext ctx)
    {
        var s = ctx.Path.Segments;
        if (s.Count != 3 || s[0] != Hrefs.Calendars || !ctx.Path.TrailingSlash)
            throw DavException.NotFound();
        // The inbox and outbox take no members from clients (RFC 6638 §2.1–2.2), as PUT refuses there.
        if (s[1] == ctx.User && ScheduleCollections.IsReserved(s[2]))
            throw Privileges.Denied(Hrefs.Calendar(s[1], s[2]), "bind");
        var calendar = await resolver.ResolveCalendarAsync(ctx, s[1], s[2]) ?? throw DavException.NotFound();
        if (!AddMember.AcceptsMembers(calendar) || calendar.Calendar is not Caldera.Calendars.Providers.IWritableCalendar writable)
            throw Privileges.Denied(calendar.Href, "write-content");
        await put.WriteAsync(ctx, calendar, writable, name: null);
    }
}

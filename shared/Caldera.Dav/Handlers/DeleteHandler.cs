using Caldera.Calendars.Providers;
using Caldera.Dav.Nodes;
using Caldera.Dav.Properties;

namespace Caldera.Dav.Handlers;

/// <summary>DELETE of a calendar object (with If-Match) or of a whole calendar (its objects, index and blobs go too).</summary>
public sealed class DeleteHandler(NodeResolver resolver) : IMethodHandler
{
    public IReadOnlyList<string> Methods => ["DELETE"];

    public async Task HandleAsync(DavContext ctx)
    {
        var s = ctx.Path.Segments;
        if (s.Count == 4 && s[0] == Hrefs.Calendars && !ctx.Path.TrailingSlash)
        {
            var calendar = await resolver.ResolveCalendarAsync(ctx, s[1], s[2]) ?? throw DavException.NotFound();
            if (calendar.Calendar is not IWritableCalendar writable || !calendar.Calendar.Privileges.HasFlag(CalendarPrivileges.WriteContent))
                throw Privileges.Denied(calendar.Href, "unbind");
            var result = await writable.DeleteObjectAsync(s[3], Conditions.From(ctx.Request), ctx.Cancellation);
            WriteOutcome.Apply(ctx, result, ctx.User, calendar.Entry.Segment);
            return;
        }
        var node = await resolver.ResolveAsync(ctx, ctx.Path) ?? throw DavException.NotFound();
        if (node is not CalendarNode c)
            throw DavException.Forbidden("only calendars and calendar objects can be deleted");
        if (c.Calendar is not IManageableCalendar manageable || !c.Calendar.Privileges.HasFlag(CalendarPrivileges.Unbind))
            throw Privileges.Denied(Hrefs.Home(c.Owner), "unbind");
        var conditions = Conditions.From(ctx.Request);
        if (conditions.IfMatch.Count > 0 && !conditions.IfMatch.Contains("*"))
            throw DavException.PreconditionFailed("calendar collections have no ETag");
        if (!await manageable.DeleteAsync(ctx.Cancellation))
            throw DavException.NotFound();
        ctx.Response.StatusCode = 204;
    }
}

using Caldera.Calendars.Providers;
using Caldera.Dav.Nodes;
using Caldera.Dav.Properties;
using Caldera.Dav.Scheduling;
using Caldera.Calendars.Scheduling;

namespace Caldera.Dav.Handlers;

/// <summary>DELETE of a calendar object (with If-Match) or of a whole calendar (its objects, index and blobs go too).</summary>
public sealed class DeleteHandler(NodeResolver resolver, SchedulingHooks scheduling) : IMethodHandler
{
    public IReadOnlyList<string> Methods => ["DELETE"];

    public async Task HandleAsync(DavContext ctx)
    {
        var s = ctx.Path.Segments;
        if (s.Count == 4 && s[0] == Hrefs.Calendars && !ctx.Path.TrailingSlash)
        {
            var calendar = await resolver.ResolveCalendarAsync(ctx, s[1], s[2]) ?? throw DavException.NotFound();
            if (calendar.Calendar is EmptyInbox)
                throw DavException.NotFound(); // nothing was ever delivered, so there is nothing to remove
            if (calendar.Calendar is not IWritableCalendar writable || !calendar.Calendar.Privileges.HasFlag(CalendarPrivileges.WriteContent))
                throw Privileges.Denied(calendar.Href, "unbind");
            var conditions = Conditions.From(ctx.Request);
            var scheduleTag = ScheduleTagMatch.From(ctx);
            var target = scheduling.TargetFor(ctx, calendar, s[3]);
            // Read the object only when a Schedule-Tag matters: the header names one, or a scheduler may have messages to send.
            var existing = scheduleTag is not null || target is not null ? await calendar.Calendar.GetObjectAsync(s[3], ctx.Cancellation) : null;
            conditions = ScheduleTagMatch.Apply(scheduleTag, existing, conditions);
            var scheduled = ScheduledWrite.None;
            if (target is not null && existing?.ScheduleTag is not null)
            {
                scheduled = await scheduling.PrepareDeleteAsync(ctx, target, existing);
                // The CANCEL or REPLY was computed from this version: delete exactly it, or answer 412.
                conditions = SchedulingHooks.Pinned(conditions, existing);
            }
            var result = await writable.DeleteObjectAsync(s[3], conditions, ctx.Cancellation);
            WriteOutcome.Apply(ctx, result, ctx.User, calendar.Entry.Segment);
            await scheduling.CompleteAsync(ctx, scheduled);
            return;
        }
        var node = await resolver.ResolveAsync(ctx, ctx.Path) ?? throw DavException.NotFound();
        if (node is not CalendarNode c || c.IsScheduleInbox)
            throw DavException.Forbidden("only calendars and calendar objects can be deleted (the scheduling inbox and outbox stay)");
        if (c.Calendar is not IManageableCalendar manageable || !c.Calendar.Privileges.HasFlag(CalendarPrivileges.Unbind))
            throw Privileges.Denied(Hrefs.Home(c.Owner), "unbind");
        var collectionConditions = Conditions.From(ctx.Request);
        if (collectionConditions.IfMatch.Count > 0 && !collectionConditions.IfMatch.Contains("*"))
            throw DavException.PreconditionFailed("calendar collections have no ETag");
        if (!await manageable.DeleteAsync(ctx.Cancellation))
            throw DavException.NotFound();
        ctx.Response.StatusCode = 204;
    }
}

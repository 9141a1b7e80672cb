using System.Xml.Linq;
using Caldera.Calendars;
using Caldera.Calendars.Providers;
using Caldera.Calendars.Providers.Sharing;
using Caldera.Calendars.Providers.Store;
using Caldera.Calendars.Scheduling;
using Caldera.Dav.Nodes;
using Caldera.Storage;
using static Caldera.Dav.Xml.DavNames;

namespace Caldera.Dav.Scheduling;

/// <summary>
/// Where the engine's writes meet the implicit scheduler (RFC 6638 §3): which writes are scheduled (objects of the
/// owner's own store calendars, never the inbox), how a refusal reads, and how the store write is pinned to the state
/// the scheduler decided on. Without a registered scheduler every method here is a no-op.
/// </summary>
public sealed class SchedulingHooks(IImplicitScheduler? scheduler = null)
{
    public const string ScheduleTagHeader = "Schedule-Tag";

    public bool Enabled => scheduler is not null;

    /// <summary>
    /// The scheduler's view of a write to <paramref name="name"/> in <paramref name="calendar"/>, or null when it is not
    /// scheduled: only calendars kept in Caldera's store are, the owner's own or one shared with the asking user (a
    /// sharee acts for the owner, RFC 6638 §3: the owner's addresses decide the role); never the inbox.
    /// </summary>
    public SchedulingTarget? TargetFor(DavContext ctx, CalendarNode calendar, string name) =>
        scheduler is not null && calendar.Calendar is StoreCalendar or SharedCalendar && !calendar.IsScheduleInbox
            ? new SchedulingTarget(ctx.User, calendar.Calendar.Owner, calendar.Entry.Segment, name, calendar.Calendar)
            : null;

    public async Task<ScheduledWrite> PrepareWriteAsync(DavContext ctx, SchedulingTarget target, ICalendarObject? existing, ParsedCalendarObject incoming)
    {
        try
        {
            return await scheduler!.PrepareWriteAsync(target, existing, incoming, ctx.Cancellation);
        }
        catch (SchedulingRefusedException e)
        {
            throw Refusal(e);
        }
    }

    public async Task<ScheduledWrite> PrepareDeleteAsync(DavContext ctx, SchedulingTarget target, ICalendarObject existing)
    {
        try
        {
            return await scheduler!.PrepareDeleteAsync(target, existing, ctx.Cancellation);
        }
        catch (SchedulingRefusedException e)
        {
            throw Refusal(e);
        }
    }

    /// <summary>Sends what a stored write decided (nothing for <see cref="ScheduledWrite.None"/>).</summary>
    public Task CompleteAsync(DavContext ctx, ScheduledWrite write) =>
        scheduler is null || ReferenceEquals(write, ScheduledWrite.None) ? Task.CompletedTask : scheduler.CompleteAsync(write, ctx.Cancellation);

    /// <summary>
    /// The conditions a scheduled write is stored under: the client's, and the state the scheduler saw (the ETag of
    /// <paramref name="existing"/>, or absence), so a concurrent change makes the write fail with 412 instead of sending
    /// messages computed from an older version.
    /// </summary>
    public static WriteConditions Pinned(WriteConditions conditions, ICalendarObject? existing)
    {
        if (!conditions.HoldFor(existing?.ETag))
            throw DavException.PreconditionFailed("the resource's ETag does not match the request's conditions");
        return existing is null ? conditions with { IfNoneMatch = ["*"] } : conditions with { IfMatch = [existing.ETag] };
    }

    public static DavException Refusal(SchedulingRefusedException e) =>
        new(e.Status, e.Message, new XElement(C + e.Precondition));
}

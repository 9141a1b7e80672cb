using Caldera.Calendars;
using Caldera.Calendars.Providers;
using Caldera.Calendars.Providers.Store;
using Caldera.Dav.Nodes;
using Caldera.Dav.Properties;
using Caldera.Storage;
using Caldera.Calendars.Scheduling;
using System.Xml.Linq;
using static Caldera.Dav.Xml.DavNames;

namespace Caldera.Dav.Handlers;

/// <summary>
/// COPY and MOVE of calendar objects between the user's own calendars (RFC 4918 §9.8–9.9), with Overwrite and
/// the same CalDAV checks as PUT on the target (component support, UID uniqueness).
/// </summary>
public sealed class CopyMoveHandler(NodeResolver resolver) : IMethodHandler
{
    public IReadOnlyList<string> Methods => ["COPY", "MOVE"];

    public async Task HandleAsync(DavContext ctx)
    {
        var move = ctx.Request.Method.Equals("MOVE", StringComparison.OrdinalIgnoreCase);
        var source = await resolver.ResolveAsync(ctx, ctx.Path) ?? throw DavException.NotFound();
        if (source is not ObjectNode item)
            throw DavException.Forbidden("only calendar objects can be copied or moved");
        if (item.Parent.IsScheduleInbox)
            throw DavException.Forbidden("scheduling messages in the inbox can be read and deleted, not copied or moved");
        if (!Conditions.From(ctx.Request).HoldFor(item.Object.ETag))
            throw DavException.PreconditionFailed();

        var target = Destination(ctx);
        if (target.Count != 4 || target[0] != Hrefs.Calendars || target.TrailingSlash || !Names.IsValidSegment(target[3], Names.MaxObjectName))
            throw DavException.Forbidden("the destination must be a calendar object path in one of your calendars");
        if (target[1] == ctx.User && ScheduleCollections.IsReserved(target[2]))
            throw Privileges.Denied(Hrefs.Calendar(target[1], target[2]), "bind");
        var targetCalendar = await resolver.ResolveCalendarAsync(ctx, target[1], target[2]) ?? throw DavException.Conflict("the destination calendar does not exist");
        if (targetCalendar.Href == item.Parent.Href && target[3] == item.Object.Name)
            throw DavException.Forbidden("source and destination are the same");
        if (!targetCalendar.Calendar.Privileges.HasFlag(CalendarPrivileges.WriteContent))
            throw Privileges.Denied(targetCalendar.Href, "bind");
        if (move && !item.Parent.Calendar.Privileges.HasFlag(CalendarPrivileges.Unbind))
            throw Privileges.Denied(item.Parent.Href, "unbind");
        if (!targetCalendar.Calendar.SupportedComponents.Contains(item.Object.Component, StringComparer.OrdinalIgnoreCase))
            throw PutHandler.Refusal(new CalendarDataException(CalendarDataError.UnsupportedComponent, $"the destination calendar does not take {item.Object.Component}"));
        CheckScheduling(item, targetCalendar, move);
        var overwrite = !ctx.Request.Headers["Overwrite"].ToString().Trim().Equals("F", StringComparison.OrdinalIgnoreCase);

        WriteResult result;
        if (item.Parent.Calendar is StoreCalendar from && targetCalendar.Calendar is StoreCalendar to)
            result = await from.TransferAsync(item.Object.Name, to, target[3], move, overwrite, ctx.Cancellation);
        else
            result = await CopyThroughProvidersAsync(ctx, item, targetCalendar, target[3], move, overwrite);
        WriteOutcome.Apply(ctx, result, ctx.User, targetCalendar.Entry.Segment);
        if (result.Status == WriteStatus.Updated)
            ctx.Response.StatusCode = 204;
    }

    /// <summary>
    /// A scheduling object resource (one with a Schedule-Tag) may move between its owner's calendars: it keeps its tag and
    /// nothing is sent, since the attendees' view did not change. A COPY would make a second scheduling object with the
    /// same UID in the home (RFC 6638 §3.2.4.1), and a MOVE into someone else's calendar would hand the organizer's (or
    /// attendee's) role to another user without a word to the others: both are refused; delete and create instead.
    /// </summary>
    static void CheckScheduling(ObjectNode item, CalendarNode target, bool move)
    {
        if (item.Object.ScheduleTag is null)
            return;
        if (!move)
            throw DavException.Forbidden("a scheduling object cannot be copied: its UID may be scheduled only once in a calendar home",
                new XElement(C + "unique-scheduling-object-resource", new XElement(D + "href", item.Href)));
        if (target.Calendar.Owner != item.Parent.Calendar.Owner)
            throw DavException.Forbidden("a scheduling object can move only between its owner's calendars; delete it and create it there",
                new XElement(C + "allowed-organizer-scheduling-object-change"));
    }

    /// <summary>Between calendars of different providers: write the target, then remove the source (not atomic).</summary>
    static async Task<WriteResult> CopyThroughProvidersAsync(DavContext ctx, ObjectNode item, CalendarNode target, string name, bool move, bool overwrite)
    {
        if (target.Calendar is not IWritableCalendar writable)
            throw Privileges.Denied(target.Href, "bind");
        var body = await item.Object.GetDataAsync(ctx.Cancellation) ?? throw DavException.NotFound();
        ParsedCalendarObject parsed;
        try { parsed = CalendarObjectParser.Parse(body, target.Calendar.SupportedComponents); }
        catch (CalendarDataException e) { throw PutHandler.Refusal(e); }
        if (move)
            parsed = parsed with { ScheduleTag = item.Object.ScheduleTag };
        var conditions = overwrite ? WriteConditions.None : new WriteConditions { IfNoneMatch = ["*"] };
        var result = await writable.PutObjectAsync(name, parsed, conditions, ctx.Cancellation);
        if (move && result.Status is WriteStatus.Created or WriteStatus.Updated && item.Parent.Calendar is IWritableCalendar from)
            await from.DeleteObjectAsync(item.Object.Name, WriteConditions.None, ctx.Cancellation);
        return result;
    }

    /// <summary>The Destination header as a path of this server (an absolute URI's host is not trusted for anything).</summary>
    static DavPath Destination(DavContext ctx)
    {
        var header = ctx.Request.Headers["Destination"].ToString();
        if (string.IsNullOrWhiteSpace(header))
            throw DavException.BadRequest("Destination header missing");
        if (Uri.TryCreate(header, UriKind.Absolute, out var absolute) && absolute.Scheme is "http" or "https")
            return DavPath.Parse(absolute.AbsolutePath);
        if (header.StartsWith('/'))
            return DavPath.Parse(header);
        throw DavException.BadRequest("Destination must be an absolute URI or path");
    }
}

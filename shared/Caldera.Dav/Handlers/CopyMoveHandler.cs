using Caldera.Calendars;
using Caldera.Calendars.Providers;
using Caldera.Calendars.Providers.Store;
using Caldera.Dav.Nodes;
using Caldera.Dav.Properties;
using Caldera.Storage;

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
        if (!Conditions.From(ctx.Request).HoldFor(item.Object.ETag))
            throw DavException.PreconditionFailed();

        var target = Destination(ctx);
        if (target.Count != 4 || target[0] != Hrefs.Calendars || target.TrailingSlash || !Names.IsValidSegment(target[3], Names.MaxObjectName))
            throw DavException.Forbidden("the destination must be a calendar object path in one of your calendars");
        var targetCalendar = await resolver.ResolveCalendarAsync(ctx, target[1], target[2]) ?? throw DavException.Conflict("the destination calendar does not exist");
        if (targetCalendar.Href == item.Parent.Href && target[3] == item.Object.Name)
            throw DavException.Forbidden("source and destination are the same");
        if (!targetCalendar.Calendar.Privileges.HasFlag(CalendarPrivileges.WriteContent))
            throw Privileges.Denied(targetCalendar.Href, "bind");
        if (move && !item.Parent.Calendar.Privileges.HasFlag(CalendarPrivileges.Unbind))
            throw Privileges.Denied(item.Parent.Href, "unbind");
        if (!targetCalendar.Calendar.SupportedComponents.Contains(item.Object.Component, StringComparer.OrdinalIgnoreCase))
            throw PutHandler.Refusal(new CalendarDataException(CalendarDataError.UnsupportedComponent, $"the destination calendar does not take {item.Object.Component}"));
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

    /// <summary>Between calendars of different providers: write the target, then remove the source (not atomic).</summary>
    static async Task<WriteResult> CopyThroughProvidersAsync(DavContext ctx, ObjectNode item, CalendarNode target, string name, bool move, bool overwrite)
    {
        if (target.Calendar is not IWritableCalendar writable)
            throw Privileges.Denied(target.Href, "bind");
        var body = await item.Object.GetDataAsync(ctx.Cancellation) ?? throw DavException.NotFound();
        ParsedCalendarObject parsed;
        try { parsed = CalendarObjectParser.Parse(body, target.Calendar.SupportedComponents); }
        catch (CalendarDataException e) { throw PutHandler.Refusal(e); }
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

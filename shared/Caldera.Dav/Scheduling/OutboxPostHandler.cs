using System.Xml.Linq;
using Caldera.Calendars.Accounts;
using Caldera.Calendars.Providers;
using Caldera.Calendars.Providers.Store;
using Caldera.Calendars.Registry;
using Caldera.Calendars.Scheduling;
using Caldera.Dav.Handlers;
using Caldera.Dav.Nodes;
using Caldera.Dav.Reports;
using Caldera.Dav.Xml;
using Caldera.Storage;
using Microsoft.Net.Http.Headers;
using static Caldera.Dav.Xml.DavNames;

namespace Caldera.Dav.Scheduling;

/// <summary>
/// POST to the user's own outbox (RFC 6638 §5): a VFREEBUSY REQUEST answered with CALDAV:schedule-response, one
/// CALDAV:response per attendee. A Caldera user (the address index finds exactly one) gets 2.0 and busy time from their
/// own calendars (not the inbox, not calendars marked schedule-calendar-transp transparent; transparent and cancelled
/// events leave time free); anyone else gets a status saying why there is none. Cost is bounded by
/// <see cref="FreeBusyRequest.MaxAttendees"/> and <see cref="FreeBusyRequest.MaxBodyBytes"/>.
/// </summary>
public sealed class OutboxPostHandler(NodeResolver resolver, IAccountService accounts, IUserStore users, CalendarHome homes, BusyTime busyTime,
    TimeProvider clock) : IMethodHandler
{
    public const string Success = "2.0;Success";
    public const string InvalidUser = "3.7;Invalid calendar user";
    public const string NoSchedulingSupport = "5.3;No scheduling support for user";
    public const string Unavailable = "5.1;Service unavailable";

    public IReadOnlyList<string> Methods => ["POST"];

    public async Task HandleAsync(DavContext ctx)
    {
        var s = ctx.Path.Segments;
        if (!(s.Count == 3 && s[0] == Hrefs.Calendars && s[1] == ctx.User && s[2] == ScheduleCollections.Outbox))
        {
            // RFC 6638 §5.1 names only the outbox as a POST target (and RFC 5995 a calendar's add-member URL, see
            // PostHandler); elsewhere a resource that exists refuses the method.
            _ = await resolver.ResolveAsync(ctx, ctx.Path) ?? throw DavException.NotFound();
            throw new DavException(405, "POST is accepted only by your scheduling outbox, " + Hrefs.Outbox(ctx.User) +
                ", and by a calendar's DAV:add-member URL",
                new XElement(C + "supported-collection"));
        }
        CheckMediaType(ctx);
        var body = await RequestBody.ReadAsync(ctx.Request, FreeBusyRequest.MaxBodyBytes, ctx.Cancellation);
        var request = FreeBusyRequest.Parse(body);

        var me = await accounts.GetUserAsync(ctx.User, ctx.Cancellation) ?? throw DavException.NotFound();
        var organizer = CalendarUserAddress.Email(request.Organizer);
        if (organizer is null || !organizer.Equals(me.Email, StringComparison.OrdinalIgnoreCase))
            throw DavException.Forbidden($"the ORGANIZER must be one of your calendar user addresses (mailto:{me.Email})",
                new XElement(C + "organizer-allowed"));

        var responses = new List<XElement>();
        foreach (var attendee in request.Attendees)
            responses.Add(await AnswerAsync(ctx, request, organizer, attendee));
        await DavXml.WriteAsync(ctx.Response, 200, new XElement(C + "schedule-response", responses), ctx.Cancellation);
    }

    async Task<XElement> AnswerAsync(DavContext ctx, FreeBusyRequest request, string organizer, string attendee)
    {
        var email = CalendarUserAddress.Email(attendee);
        if (email is null)
            return Response(attendee, InvalidUser, "only mailto: calendar user addresses are known here");
        var names = await users.FindUsersByAddressAsync(email, ctx.Cancellation);
        if (names.Count != 1 || await accounts.GetUserAsync(names[0], ctx.Cancellation) is not { } user)
            return Response(attendee, names.Count > 1 ? InvalidUser : NoSchedulingSupport,
                names.Count > 1 ? "the address belongs to more than one user" : "not a user of this server; ask them by email");
        try
        {
            // Busy time is the user's own: their store calendars, read as the server acting for them (only periods leave).
            var own = await homes.ListAsync(new CalendarContext(user.UserName, user.UserName), p => p.AppId == StoreCalendarProvider.Id, ctx.Cancellation);
            var calendars = own.Where(e => !ScheduleCollections.IsReserved(e.Segment) && !ScheduleTransparency.IsTransparent(e.Calendar))
                .Select(e => e.Calendar);
            var mask = request.MaskUid is { } maskUid ? new BusyMask(maskUid, organizer, user.UserName == ctx.User) : null;
            var busy = await busyTime.CollectAsync(calendars, request.Start, request.End, null, mask, ctx.Cancellation);
            var text = FreeBusyReply.ToICalendar(busy, request, organizer, user.Email.ToLowerInvariant(), clock.GetUtcNow().UtcDateTime);
            return Response(attendee, Success, null, new XElement(C + "calendar-data", text));
        }
        catch (DavException e)
        {
            // One attendee's calendars could not be evaluated (e.g. too many instances): the others still get their answer.
            return Response(attendee, Unavailable, e.Message);
        }
    }

    static XElement Response(string recipient, string status, string? description, XElement? data = null) =>
        new(C + "response",
            new XElement(C + "recipient", new XElement(D + "href", DavXml.Writable(recipient))),
            new XElement(C + "request-status", status),
            data,
            description is null ? null : new XElement(D + "responsedescription", description));

    static void CheckMediaType(DavContext ctx)
    {
        var contentType = ctx.Request.ContentType;
        if (string.IsNullOrEmpty(contentType) || !MediaTypeHeaderValue.TryParse(contentType, out var media) ||
            !media.MediaType.Equals("text/calendar", StringComparison.OrdinalIgnoreCase) ||
            media.Charset.HasValue && !media.Charset.Value!.Trim('"').Equals("utf-8", StringComparison.OrdinalIgnoreCase))
            throw new DavException(415, "a scheduling message is text/calendar in UTF-8", new XElement(C + "supported-calendar-data"));
    }
}

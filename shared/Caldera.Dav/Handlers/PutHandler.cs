using System.Xml.Linq;
using Caldera.Calendars;
using Caldera.Calendars.Providers;
using Caldera.Dav.Nodes;
using Caldera.Dav.Properties;
using Caldera.Dav.Scheduling;
using Caldera.Calendars.Scheduling;
using Caldera.Storage;
using Microsoft.Net.Http.Headers;
using static Caldera.Dav.Xml.DavNames;

namespace Caldera.Dav.Handlers;

/// <summary>
/// PUT of a calendar object resource (RFC 4791 §5.3.2): bounded body, text/calendar only, validated with
/// Ical.Net before anything is stored; If-Match / If-None-Match are evaluated atomically by the store.
/// </summary>
public sealed class PutHandler(NodeResolver resolver, DavOptions options, SchedulingHooks scheduling) : IMethodHandler
{
    public IReadOnlyList<string> Methods => ["PUT"];

    public async Task HandleAsync(DavContext ctx)
    {
        var s = ctx.Path.Segments;
        if (s.Count != 4 || s[0] != Hrefs.Calendars || ctx.Path.TrailingSlash)
        {
            // An existing collection does not take PUT (405); a path that names nothing this user can see is 404.
            _ = await resolver.ResolveAsync(ctx, ctx.Path) ?? throw DavException.NotFound();
            throw new DavException(405, "only calendar objects can be PUT, at /calendars/{user}/{calendar}/{name}");
        }
        if (!Names.IsValidSegment(s[3], Names.MaxObjectName))
            throw DavException.BadRequest("that object name is not allowed");
        // RFC 6638 §2.1–2.2: only the server delivers into the inbox, and the outbox holds nothing.
        if (s[1] == ctx.User && ScheduleCollections.IsReserved(s[2]))
            throw Privileges.Denied(Hrefs.Calendar(s[1], s[2]), "bind");
        // A missing calendar in one's own home is 409 (RFC 4918 §9.7.1); another user's home is hidden as 404
        // (RFC 9110 §15.5.5), as GET, DELETE and MKCALENDAR already answer there.
        var calendar = await resolver.ResolveCalendarAsync(ctx, s[1], s[2])
            ?? throw (s[1] == ctx.User ? DavException.Conflict("the calendar does not exist") : DavException.NotFound());
        if (calendar.Calendar is not IWritableCalendar writable || !calendar.Calendar.Privileges.HasFlag(CalendarPrivileges.WriteContent))
            throw Privileges.Denied(calendar.Href, "write-content");

        await WriteAsync(ctx, calendar, writable, s[3]);
    }

    /// <summary>
    /// The write behind both PUT and an add-member POST (RFC 5995): validate, check UID and conditions, schedule, store,
    /// answer. A null <paramref name="name"/> means the server picks one (<see cref="MemberName"/>) and the write may only
    /// create, as PUT with If-None-Match: *; the answer then names the new object in Location.
    /// </summary>
    public async Task WriteAsync(DavContext ctx, CalendarNode calendar, IWritableCalendar writable, string? name)
    {
        CheckMediaType(ctx);
        var body = await RequestBody.ReadAsync(ctx.Request, options.MaxResourceSize, ctx.Cancellation, () => new XElement(C + "max-resource-size"));
        ParsedCalendarObject parsed;
        try
        {
            parsed = CalendarObjectParser.Parse(body, calendar.Calendar.SupportedComponents);
        }
        catch (CalendarDataException e)
        {
            throw Refusal(e);
        }
        var chosen = name is null;
        name ??= await MemberName.ChooseAsync(calendar.Calendar, parsed.Uid, ctx.Cancellation);
        var conditions = chosen ? new WriteConditions { IfNoneMatch = ["*"] } : Conditions.From(ctx.Request);
        var scheduleTag = ScheduleTagMatch.From(ctx);
        // RFC 4791 §5.3.2.1 (CALDAV:no-uid-conflict): an update must not change the UID of the object it overwrites.
        // A create-only PUT cannot overwrite, so it skips the read; failed If-Match/If-None-Match stay 412 (the store answers them).
        var existing = conditions.IfNoneMatch.Contains("*") ? null : await calendar.Calendar.GetObjectAsync(name, ctx.Cancellation);
        if (existing is not null && existing.Uid != parsed.Uid && conditions.HoldFor(existing.ETag))
            throw DavException.Forbidden("an update must keep the object's UID",
                new XElement(C + "no-uid-conflict", new XElement(D + "href", Hrefs.Object(calendar.Owner, calendar.Entry.Segment, name))));
        conditions = ScheduleTagMatch.Apply(scheduleTag, existing, conditions);

        var scheduled = ScheduledWrite.None;
        if (scheduling.TargetFor(ctx, calendar, name) is { } target)
        {
            scheduled = await scheduling.PrepareWriteAsync(ctx, target, existing, parsed);
            if (!ReferenceEquals(scheduled, ScheduledWrite.None))
            {
                // Messages were computed from `existing`: the write must meet that very state or fail (412).
                conditions = SchedulingHooks.Pinned(conditions, existing);
                parsed = scheduled.Object ?? parsed with { ScheduleTag = scheduled.ScheduleTag };
            }
        }
        var result = await writable.PutObjectAsync(name, parsed, conditions, ctx.Cancellation);
        // RFC 4791 §5.3.4: no ETag when the stored body is not what the client sent.
        WriteOutcome.Apply(ctx, result, ctx.User, calendar.Entry.Segment, sendETag: !scheduled.ContentChanged);
        if (chosen && result.Status == WriteStatus.Created)
            ctx.Response.Headers.Location = Hrefs.Object(ctx.User, calendar.Entry.Segment, name);
        if (scheduled.ScheduleTag is { } tag)
            ctx.Response.Headers[SchedulingHooks.ScheduleTagHeader] = tag;
        await scheduling.CompleteAsync(ctx, scheduled);
    }

    static void CheckMediaType(DavContext ctx)
    {
        var contentType = ctx.Request.ContentType;
        if (string.IsNullOrEmpty(contentType))
            return;
        if (!MediaTypeHeaderValue.TryParse(contentType, out var media) ||
            !media.MediaType.Equals("text/calendar", StringComparison.OrdinalIgnoreCase) ||
            media.Charset.HasValue && !media.Charset.Value!.Trim('"').Equals("utf-8", StringComparison.OrdinalIgnoreCase))
            throw new DavException(415, "calendar objects must be text/calendar in UTF-8", new XElement(C + "supported-calendar-data"));
    }

    /// <summary>Maps a validation failure to its RFC 4791 precondition.</summary>
    public static DavException Refusal(CalendarDataException e) => e.Error switch
    {
        CalendarDataError.InvalidObjectResource => DavException.Forbidden(e.Message, new XElement(C + "valid-calendar-object-resource")),
        CalendarDataError.UnsupportedComponent => DavException.Forbidden(e.Message, new XElement(C + "supported-calendar-component")),
        CalendarDataError.UnsupportedMediaType => new DavException(415, e.Message, new XElement(C + "supported-calendar-data")),
        CalendarDataError.TooLarge => new DavException(413, e.Message, new XElement(C + "max-resource-size")),
        CalendarDataError.TooManyInstances => DavException.Forbidden(e.Message, new XElement(C + "max-instances")),
        _ => DavException.Forbidden(e.Message, new XElement(C + "valid-calendar-data")),
    };
}

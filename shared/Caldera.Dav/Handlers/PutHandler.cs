using System.Xml.Linq;
using Caldera.Calendars;
using Caldera.Calendars.Providers;
using Caldera.Dav.Nodes;
using Caldera.Dav.Properties;
using Caldera.Storage;
using Microsoft.Net.Http.Headers;
using static Caldera.Dav.Xml.DavNames;

namespace Caldera.Dav.Handlers;

/// <summary>
/// PUT of a calendar object resource (RFC 4791 §5.3.2): bounded body, text/calendar only, validated with
/// Ical.Net before anything is stored; If-Match / If-None-Match are evaluated atomically by the store.
/// </summary>
public sealed class PutHandler(NodeResolver resolver, DavOptions options) : IMethodHandler
{
    public IReadOnlyList<string> Methods => ["PUT"];

    public async Task HandleAsync(DavContext ctx)
    {
        var s = ctx.Path.Segments;
        if (s.Count != 4 || s[0] != Hrefs.Calendars || ctx.Path.TrailingSlash)
            throw new DavException(405, "only calendar objects can be PUT, at /calendars/{user}/{calendar}/{name}");
        if (!Names.IsValidSegment(s[3], Names.MaxObjectName))
            throw DavException.BadRequest("that object name is not allowed");
        var calendar = await resolver.ResolveCalendarAsync(ctx, s[1], s[2]) ?? throw DavException.Conflict("the calendar does not exist");
        if (calendar.Calendar is not IWritableCalendar writable || !calendar.Calendar.Privileges.HasFlag(CalendarPrivileges.WriteContent))
            throw Privileges.Denied(calendar.Href, "write-content");

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
        var result = await writable.PutObjectAsync(s[3], parsed, Conditions.From(ctx.Request), ctx.Cancellation);
        WriteOutcome.Apply(ctx, result, ctx.User, calendar.Entry.Segment);
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
        _ => DavException.Forbidden(e.Message, new XElement(C + "valid-calendar-data")),
    };
}

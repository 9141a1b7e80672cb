using System.Text;
using System.Xml.Linq;
using Caldera.Calendars;
using Caldera.Calendars.Providers;
using Caldera.Calendars.Providers.Store;
using Caldera.Calendars.Query;
using Caldera.Dav.Nodes;
using Caldera.Storage;
using Microsoft.Extensions.Logging;
using static Caldera.Dav.Xml.DavNames;

namespace Caldera.Dav.Reports;

/// <summary>
/// CALDAV:free-busy-query (RFC 4791 §7.10) on a calendar or on the calendar home (every calendar there the
/// principal may read free-busy of): one VFREEBUSY with the merged busy periods in UTC. Only the index's
/// candidates (VEVENT and VFREEBUSY objects whose recurrence envelope overlaps the range) are read.
/// The time range must have start and end; §7.10 names no precondition, so a bad one is a plain 400. Floating and
/// DATE values lie in each calendar's calendar-timezone (§5.2.2), or in the request's CALDAV:timezone / timezone-id,
/// accepted here as in calendar-query. A body that cannot be evaluated is logged and contributes nothing.
/// </summary>
public sealed class FreeBusyQueryReport(NodeResolver resolver, BusyTime busyTime, TimeProvider clock) : IReport
{
    public XName Name => C + "free-busy-query";

    public bool AppliesTo(DavNode node) => node is CalendarNode { IsScheduleInbox: false } or HomeNode;

    public async Task RunAsync(DavContext ctx, DavNode node, XElement body)
    {
        var ranges = body.Elements(C + "time-range").ToList();
        if (ranges.Count != 1)
            throw DavException.BadRequest("free-busy-query needs exactly one CALDAV:time-range");
        var start = Time(ranges[0], "start");
        var end = Time(ranges[0], "end");
        if (end <= start)
            throw DavException.BadRequest("the time-range ends before it starts");
        var requestedZone = RequestTimeZone.Of(body);

        List<CalendarNode> calendars;
        if (node is CalendarNode calendar)
        {
            // §7.10: without read-free-busy on the Request-URI the report fails with 404.
            if (!calendar.Calendar.Privileges.HasFlag(CalendarPrivileges.Read))
                throw DavException.NotFound();
            calendars = [calendar];
        }
        else
            // The owner's busy time (RFC 6638 §9.1): never the inbox, nor calendars marked schedule-calendar-transp transparent.
            calendars = (await resolver.ChildrenAsync(ctx, node)).OfType<CalendarNode>()
                .Where(c => !c.IsScheduleInbox && !ScheduleTransparency.IsTransparent(c.Calendar))
                .Where(c => c.Calendar.Privileges.HasFlag(CalendarPrivileges.Read)).ToList();

        var busy = await busyTime.CollectAsync(calendars.Select(c => c.Calendar), start, end, requestedZone, null, ctx.Cancellation);
        var text = FreeBusyCalculator.ToICalendar(busy, start, end, clock.GetUtcNow().UtcDateTime);
        var bytes = Encoding.UTF8.GetBytes(text);
        ctx.Response.StatusCode = 200;
        ctx.Response.ContentType = "text/calendar; charset=utf-8";
        ctx.Response.ContentLength = bytes.Length;
        await ctx.Response.Body.WriteAsync(bytes, ctx.Cancellation);
    }

    static DateTime Time(XElement range, string attribute)
    {
        var value = ((string?)range.Attribute(attribute))?.Trim()
            ?? throw DavException.BadRequest($"the free-busy-query time-range needs {attribute}");
        if (!DateTime.TryParseExact(value, "yyyyMMdd'T'HHmmss'Z'", System.Globalization.CultureInfo.InvariantCulture,
                System.Globalization.DateTimeStyles.AdjustToUniversal | System.Globalization.DateTimeStyles.AssumeUniversal, out var t))
            throw DavException.BadRequest($"'{value}' is not a UTC date-time like 20240101T000000Z");
        return DateTime.SpecifyKind(t, DateTimeKind.Utc);
    }
}

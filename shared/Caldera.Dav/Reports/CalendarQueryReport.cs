using System.Xml.Linq;
using Caldera.Calendars.Query;
using Caldera.Dav.Nodes;
using Caldera.Dav.Properties;
using Caldera.Dav.Xml;
using Microsoft.Extensions.Logging;
using static Caldera.Dav.Xml.DavNames;

namespace Caldera.Dav.Reports;

/// <summary>
/// CALDAV:calendar-query (RFC 4791 §7.8): objects whose iCalendar matches the filter; recurring components
/// match a time range by any of their instances.
/// </summary>
public sealed class CalendarQueryReport(ObjectResponses responses, DavOptions options, TimelineCache timelines,
    ILogger<CalendarQueryReport>? log = null) : IReport
{
    public XName Name => C + "calendar-query";

    public bool AppliesTo(DavNode node) => node is CalendarNode or ObjectNode;

    public async Task RunAsync(DavContext ctx, DavNode node, XElement body)
    {
        var filter = FilterParser.Parse(body.Element(C + "filter"));
        DateLimits.Check(filter); // RFC 4791 §7.8 CALDAV:min-date-time / max-date-time
        var requestedZone = RequestTimeZone.Of(body);
        var request = PropRequest.From(body, required: false);
        var candidates = node switch
        {
            ObjectNode o => [o],
            // The index rules out what it can; only the candidates' bodies are read and evaluated.
            CalendarNode c => (await c.Calendar.FindCandidatesAsync(QueryPlanner.Plan(filter), ctx.Cancellation)).Select(o => new ObjectNode(c, o)).ToList(),
            _ => new List<ObjectNode>(),
        };
        // The index widens floating objects' envelopes by ±14 h, so it keeps them for any zone a TimeZoneInfo can hold.
        var calendarNode = node switch { ObjectNode o => o.Parent, CalendarNode c => c, _ => null };
        var floatingZone = RequestTimeZone.For(requestedZone, calendarNode?.Calendar.TimeZone);
        var matcher = new QueryMatcher(filter, floatingZone, timelines, log);
        var matches = new List<ObjectNode>();
        var bodies = new List<byte[]?>();
        using var gate = new SemaphoreSlim(options.BodyReadConcurrency);
        var checks = candidates.Select(async candidate =>
        {
            // An exact envelope or a cached timeline answers a plain time-range without the body.
            if (matcher.WithoutBody(candidate.Object) is { } decided)
                return (candidate, (byte[]?)null, decided);
            await gate.WaitAsync(ctx.Cancellation);
            try
            {
                var data = await candidate.Object.GetDataAsync(ctx.Cancellation);
                return (candidate, data, data is not null && matcher.WithBody(candidate.Object, data));
            }
            finally { gate.Release(); }
        });
        foreach (var (candidate, data, matched) in await Task.WhenAll(checks))
        {
            if (!matched)
                continue;
            matches.Add(candidate);
            bodies.Add(data); // null when the index decided: read for calendar-data only if it is asked for
        }
        var prepared = await responses.PrepareAsync(ctx, matches, request, bodies);
        using var multistatus = new MultistatusWriter(ctx.Response, ctx.Cancellation);
        await prepared.WriteAsync(multistatus);
        await multistatus.CompleteAsync();
    }
}

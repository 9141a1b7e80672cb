using Caldera.Calendars;
using Caldera.Calendars.Providers;
using Caldera.Calendars.Query;
using Caldera.Dav.Scheduling;
using Caldera.Storage;
using Microsoft.Extensions.Logging;

namespace Caldera.Dav.Reports;

/// <summary>
/// Busy periods of some calendars over a UTC range: the index's candidates (VEVENT and VFREEBUSY objects whose
/// recurrence envelope overlaps the range) are read, a bounded number at a time, and evaluated by
/// <see cref="FreeBusyCalculator"/> (TRANSP:TRANSPARENT and cancelled events leave the time free). Used by the
/// free-busy-query report and by the outbox's free-busy answer, so both count busy time the same way.
/// </summary>
public sealed class BusyTime(DavOptions options, ILogger<BusyTime> log)
{
    static readonly string[] Components = ["VEVENT", "VFREEBUSY"];

    /// <param name="requestedZone">Where floating and DATE values lie when the request names a zone; else each calendar's calendar-timezone.</param>
    /// <param name="mask">An event a free-busy request asks to leave out (X-CALENDARSERVER-MASK-UID), if it may.</param>
    public async Task<List<BusyPeriod>> CollectAsync(IEnumerable<ICalendar> calendars, DateTime start, DateTime end, TimeZoneInfo? requestedZone,
        BusyMask? mask, CancellationToken ct)
    {
        var query = new DateTimeOffset(start, TimeSpan.Zero);
        var queryEnd = new DateTimeOffset(end, TimeSpan.Zero);
        var candidates = new List<(ICalendarObject Object, TimeZoneInfo Zone)>();
        foreach (var calendar in calendars)
        {
            // Each calendar's floating and DATE values lie in its own calendar-timezone unless the request names one.
            var zone = RequestTimeZone.For(requestedZone, calendar.TimeZone);
            foreach (var component in Components.Where(k => calendar.SupportedComponents.Contains(k, StringComparer.OrdinalIgnoreCase)))
                candidates.AddRange((await calendar.FindCandidatesAsync(new ObjectQuery(component, query, queryEnd), ct)).Select(o => (o, zone)));
        }

        var busy = new List<BusyPeriod>();
        using var gate = new SemaphoreSlim(options.BodyReadConcurrency);
        var reads = candidates.DistinctBy(c => c.Object).Select(async c =>
        {
            await gate.WaitAsync(ct);
            try { return (c.Object, c.Zone, Data: await c.Object.GetDataAsync(ct)); }
            finally { gate.Release(); }
        });
        foreach (var (o, zone, data) in await Task.WhenAll(reads))
        {
            if (data is null)
                continue; // deleted while we read
            try
            {
                var text = CalendarText.Read(data);
                if (mask is not null && mask.Hides(o, text))
                    continue;
                busy.AddRange(FreeBusyCalculator.Of(text, start, end, zone, ObjectResponses.MaxInstances));
            }
            catch (InstanceLimitException e)
            {
                throw ObjectResponses.TooManyInstances(e);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // Stored data was validated on PUT (or predates a check); what cannot be read now contributes nothing.
                log.LogWarning(e, "free-busy skipped {Object} ({ETag}): its body could not be evaluated", o.Name, o.ETag);
            }
        }
        return FreeBusyCalculator.Merge(busy);
    }
}

using System.Globalization;
using System.Text;
using Caldera.Calendars.Providers;
using Caldera.Calendars.Query;
using Caldera.Calendars.Registry;
using Caldera.Dav;
using Caldera.Storage;

namespace Caldera.Web.Api;

/// <summary>
/// events?start=&amp;end=: the instances of every readable calendar of the home in a range, found like a CalDAV
/// calendar-query (the time-range index picks the candidates, so the cost grows with the answer) and expanded by the
/// same recurrence code.
/// </summary>
public sealed class EventEndpoints(CalendarHome home, DavOptions options) : IApiEndpoints
{
    public const int MaxInstances = 2000;
    public static readonly TimeSpan MaxRange = TimeSpan.FromDays(100);

    public IEnumerable<ApiRoute> Routes => [new("GET", "events", ListAsync)];

    sealed record EventView(string Calendar, string Uid, string? RecurrenceId, string Title, string Start, string End, bool AllDay, string? Location, string? Color);

    async Task ListAsync(ApiContext ctx)
    {
        var start = Instant(ctx, "start");
        var end = Instant(ctx, "end");
        if (end <= start)
            throw ApiError.BadRequest("end must be after start.");
        if (end - start > MaxRange)
            throw ApiError.BadRequest($"The range may span at most {MaxRange.TotalDays} days.");
        var found = new List<(EventInstance Instance, HomeCalendar Entry)>();
        var truncated = false;
        foreach (var entry in await home.ListAsync(CalendarEndpoints.Context(ctx), ctx.Cancellation))
        {
            if (!CalendarView.IsShown(entry) || !entry.Calendar.Privileges.HasFlag(CalendarPrivileges.Read) || !entry.Calendar.SupportedComponents.Contains("VEVENT"))
                continue;
            var zone = FloatingZone(entry.Calendar);
            var candidates = await entry.Calendar.FindCandidatesAsync(
                new ObjectQuery("VEVENT", new DateTimeOffset(start), new DateTimeOffset(end)), ctx.Cancellation);
            // Bodies are read as many at once as a REPORT reads them.
            foreach (var chunk in candidates.Chunk(Math.Max(1, options.BodyReadConcurrency)))
            {
                foreach (var body in await Task.WhenAll(chunk.Select(c => c.GetDataAsync(ctx.Cancellation))))
                {
                    if (body is null)
                        continue; // deleted since the index was read
                    var (instances, more) = EventInstances.Of(Encoding.UTF8.GetString(body), start, end, MaxInstances + 1 - found.Count, zone);
                    found.AddRange(instances.Select(i => (i, entry)));
                    if (more || found.Count > MaxInstances)
                    {
                        truncated = true;
                        break;
                    }
                }
                if (truncated)
                    break;
            }
            if (truncated)
                break;
        }
        var events = found.Take(MaxInstances)
            .OrderBy(f => f.Instance.Start)
            .Select(f => new EventView(f.Entry.Segment, f.Instance.Uid, f.Instance.RecurrenceId, f.Instance.Title,
                EventInstance.Format(f.Instance.Start, f.Instance.AllDay), EventInstance.Format(f.Instance.End, f.Instance.AllDay),
                f.Instance.AllDay, f.Instance.Location, CalendarView.ColorOf(f.Entry.Calendar.Color)))
            .ToList();
        await ApiJson.OkAsync(ctx, new { events, truncated });
    }

    /// <summary>Where the calendar's floating times lie (its calendar-timezone; UTC without one or when unreadable).</summary>
    static TimeZoneInfo FloatingZone(ICalendar calendar) => FloatingTimeZone.FromCalendarTimeZone(calendar.TimeZone);

    /// <summary>An ISO 8601 instant (with Z or an offset; a bare date is midnight UTC), as UTC.</summary>
    static DateTime Instant(ApiContext ctx, string name)
    {
        // An unencoded '+' of an offset arrives as a space: read it back as the '+' it was.
        var text = ctx.Request.Query[name].ToString().Trim().Replace(' ', '+');
        if (string.IsNullOrEmpty(text))
            throw ApiError.BadRequest($"Give {name} as an ISO 8601 time.");
        if (DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var value)
            && value.Year is > 1900 and < 3000)
            return value.UtcDateTime;
        throw ApiError.BadRequest($"{name} is not an ISO 8601 time.");
    }
}

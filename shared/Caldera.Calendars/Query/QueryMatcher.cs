using Caldera.Calendars.Providers;
using Microsoft.Extensions.Logging;
using Calendar = Ical.Net.Calendar;

namespace Caldera.Calendars.Query;

/// <summary>
/// Decides, for one calendar-query, which candidates match, as cheaply as the filter allows and always with
/// <see cref="FilterEvaluator"/>'s answer. A <see cref="PlainTimeRange"/> is decided by the index's exact envelope
/// (no body read) or by the object's cached <see cref="Timeline"/> (no body read once cached); anything else, and
/// any range a timeline does not cover, is evaluated from the parsed body.
/// </summary>
public sealed class QueryMatcher
{
    readonly CompFilter _filter;
    readonly TimeZoneInfo _zone;
    readonly TimelineCache _timelines;
    readonly PlainTimeRange? _plain;
    readonly string _zoneKey;
    /// <summary>The filter asks only for a component kind (VCALENDAR &gt; X, nothing else), or for nothing at all ("").</summary>
    readonly string? _kindOnly;
    /// <summary>
    /// Timelines one query may build: a build expands years of instances, so a query over a cold cache evaluates the
    /// rest directly (cheaper for one range) and later queries build the others, a few at a time.
    /// </summary>
    const int MaxBuildsPerQuery = 16;
    int _builds;

    readonly ILogger? _log;

    /// <param name="floatingZone">The request's time zone, else the calendar's calendar-timezone (RFC 4791 §7.3), else UTC.</param>
    /// <param name="log">Where bodies that cannot be evaluated are reported (they never match).</param>
    public QueryMatcher(CompFilter filter, TimeZoneInfo floatingZone, TimelineCache timelines, ILogger? log = null)
    {
        _log = log;
        _filter = filter;
        _zone = floatingZone;
        _timelines = timelines;
        _plain = PlainTimeRange.Of(filter);
        _zoneKey = _plain is null ? "" : FloatingTimeZone.Key(floatingZone);
        _kindOnly = KindOnly(filter);
    }

    static string? KindOnly(CompFilter root)
    {
        if (!root.Name.Equals("VCALENDAR", StringComparison.OrdinalIgnoreCase) || root is not { IsNotDefined: false, TimeRange: null, PropFilters.Count: 0 })
            return null;
        return root.CompFilters switch
        {
            [] => "",
            [{ IsNotDefined: false, TimeRange: null, PropFilters.Count: 0, CompFilters.Count: 0 } only] => only.Name,
            _ => null,
        };
    }

    /// <summary>The answer without the body, or null: read it and ask <see cref="WithBody"/>.</summary>
    public bool? WithoutBody(ICalendarObject candidate)
    {
        // A stored object holds exactly one kind of component (the parser refuses mixtures), which its index names.
        if (_kindOnly is not null && candidate is Providers.Store.StoreCalendarObject)
            return _kindOnly.Length == 0 || candidate.Component.Equals(_kindOnly, StringComparison.OrdinalIgnoreCase);
        if (_plain is null)
            return null;
        return _plain.ByEnvelope(candidate) ?? (_timelines.Enabled ? _timelines.Find(Key(candidate))?.Matches(_plain.Range) : null);
    }

    public bool WithBody(ICalendarObject candidate, byte[] data)
    {
        var text = CalendarText.Read(data);
        Calendar? calendar;
        try
        {
            calendar = Calendar.Load(text);
        }
        catch (Exception e)
        {
            return Unreadable(candidate, e); // stored data was validated on PUT; an unreadable body simply does not match
        }
        if (calendar is null)
            return Unreadable(candidate, null);
        if (_plain is not null && _timelines.Enabled && TimelineFor(candidate, calendar)?.Matches(_plain.Range) is { } decided)
            return decided;
        try
        {
            return FilterEvaluator.Matches(calendar, _filter, _zone, text);
        }
        catch (Exception e)
        {
            return Unreadable(candidate, e); // e.g. a TZID no time zone database knows: the object cannot be placed in time
        }
    }

    bool Unreadable(ICalendarObject candidate, Exception? e)
    {
        _log?.LogWarning(e, "calendar-query skipped {Object} ({ETag}): its body could not be evaluated", candidate.Name, candidate.ETag);
        return false;
    }

    Timeline? TimelineFor(ICalendarObject candidate, Calendar calendar)
    {
        var key = Key(candidate);
        if (_timelines.Find(key) is { } cached)
            return cached;
        return Interlocked.Increment(ref _builds) <= MaxBuildsPerQuery ? _timelines.GetOrBuild(key, calendar, _zone) : null;
    }

    TimelineKey Key(ICalendarObject candidate) => new(candidate.ETag, candidate.Uid, candidate.Size, _zoneKey);
}

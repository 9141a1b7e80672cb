using System.Text;
using Caldera.Calendars.Providers;
using Caldera.Calendars.Query;
using Caldera.Calendars.Registry;
using Caldera.Storage;
using Ical.Net;
using Ical.Net.CalendarComponents;

namespace Caldera.Calendars.Manager;

public sealed class CalendarManager(CalendarHome homes) : ICalendarManager
{
    const int MaxLimit = 1000;
    static readonly string[] SearchedProperties = ["SUMMARY", "DESCRIPTION", "LOCATION"];

    public async Task<IReadOnlyList<HomeCalendar>> GetCalendarsAsync(string principal, IReadOnlyCollection<string>? calendarUris, CancellationToken ct)
    {
        var all = await homes.ListAsync(new CalendarContext(principal, principal), ct);
        return calendarUris is null ? all : all.Where(c => calendarUris.Contains(c.Segment)).ToList();
    }

    public async Task<IReadOnlyList<CalendarSearchResult>> SearchAsync(string principal, CalendarSearch search, CancellationToken ct)
    {
        var limit = Math.Clamp(search.Limit, 1, MaxLimit);
        var range = search.Start is null && search.End is null ? null : new TimeRange(search.Start, search.End);
        var results = new List<CalendarSearchResult>();
        foreach (var entry in await GetCalendarsAsync(principal, search.CalendarUris, ct))
        {
            if (!entry.Calendar.Privileges.HasFlag(CalendarPrivileges.Read))
                continue;
            // The index rules out objects outside the range before any body is read.
            var query = new ObjectQuery(null, Utc(search.Start), Utc(search.End));
            foreach (var item in await entry.Calendar.FindCandidatesAsync(query, ct))
            {
                if (await item.GetDataAsync(ct) is not { } body)
                    continue;
                var text = CalendarText.Read(body);
                if (!Matches(text, item.Component, range, search.Text))
                    continue;
                results.Add(new CalendarSearchResult(entry.Segment, item.Name, item.ETag, item.Uid, item.Component, text));
                if (results.Count >= limit)
                    return results;
            }
        }
        return results;
    }

    public async Task<WriteResult> CreateFromStringAsync(string principal, string calendarUri, string name, string calendarData, CancellationToken ct)
    {
        var entry = await homes.FindAsync(new CalendarContext(principal, principal), calendarUri, ct);
        if (entry is null)
            return new WriteResult(WriteStatus.CalendarNotFound);
        if (entry.Calendar is not IWritableCalendar writable || !entry.Calendar.Privileges.HasFlag(CalendarPrivileges.Bind))
            throw new UnauthorizedAccessException($"calendar {calendarUri} is read-only for {principal}");
        if (!Names.IsValidSegment(name, Names.MaxObjectName))
            throw new ArgumentException("invalid object name", nameof(name));
        var parsed = CalendarObjectParser.Parse(Encoding.UTF8.GetBytes(calendarData), entry.Calendar.SupportedComponents);
        return await writable.PutObjectAsync(name, parsed, new WriteConditions { IfNoneMatch = ["*"] }, ct);
    }

    public async Task<bool> HandleImipMessageAsync(string principal, string calendarUri, string name, string calendarData, CancellationToken ct)
    {
        var entry = await homes.FindAsync(new CalendarContext(principal, principal), calendarUri, ct);
        if (entry?.Calendar is not IHandleImipMessage handler)
            return false;
        await handler.HandleImipMessageAsync(name, calendarData, ct);
        return true;
    }

    static bool Matches(string text, string component, TimeRange? range, string? needle)
    {
        Calendar? calendar;
        try { calendar = Calendar.Load(text); }
        catch (Exception) { return false; }
        if (calendar is null)
            return false;
        if (range is not null && !FilterEvaluator.Matches(calendar,
                new CompFilter("VCALENDAR", false, null, [], [new CompFilter(component, false, range, [], [])]), null, text))
            return false;
        if (string.IsNullOrEmpty(needle))
            return true;
        return calendar.Children.OfType<CalendarComponent>().Any(c => SearchedProperties.Any(p =>
            c.Properties.Get<string>(p) is { } value && value.Contains(needle, StringComparison.OrdinalIgnoreCase)));
    }

    static DateTimeOffset? Utc(DateTime? value) => value is { } v ? new DateTimeOffset(DateTime.SpecifyKind(v, DateTimeKind.Utc)) : null;
}

using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Caldera.Calendars.Providers;

namespace Caldera.Samples;

/// <summary>
/// A sample calendar provider (see docs/providers.md): one computed, read-only calendar "weeks" with an all-day
/// event on the Monday of every ISO week, from <see cref="WeeksBefore"/> weeks before today to <see cref="WeeksAfter"/> after.
/// Nothing is stored: names, UIDs and ETags are derived from the content, so they are stable between requests.
/// It serves the users for whom the provider registry enables <see cref="Id"/>.
/// </summary>
public sealed class WeekNumbersProvider(TimeProvider time) : ICalendarProvider
{
    public const string Id = "weeknumbers";
    public const string CalendarUri = "weeks";
    public const int WeeksBefore = 26;
    public const int WeeksAfter = 52;

    public string AppId => Id;

    public Task<IReadOnlyList<ICalendar>> GetCalendarsAsync(CalendarContext context, IReadOnlyCollection<string>? calendarUris, CancellationToken ct) =>
        Task.FromResult<IReadOnlyList<ICalendar>>(calendarUris is null || calendarUris.Contains(CalendarUri) ? [Open(context)] : []);

    public Task<bool> HasCalendarAsync(CalendarContext context, string calendarUri, CancellationToken ct) =>
        Task.FromResult(calendarUri == CalendarUri);

    public Task<ICalendar?> GetCalendarAsync(CalendarContext context, string calendarUri, CancellationToken ct) =>
        Task.FromResult<ICalendar?>(calendarUri == CalendarUri ? Open(context) : null);

    WeekCalendar Open(CalendarContext context)
    {
        var today = DateOnly.FromDateTime(time.GetUtcNow().UtcDateTime);
        var monday = today.AddDays(-(((int)today.DayOfWeek + 6) % 7));
        var weeks = Enumerable.Range(-WeeksBefore, WeeksBefore + WeeksAfter + 1).Select(i => new WeekObject(monday.AddDays(7 * i))).ToList();
        return new WeekCalendar(context.HomeOwner, weeks);
    }

    /// <summary>Read-only: it implements ICalendar only (not IWritableCalendar / IManageableCalendar) and grants Read.</summary>
    sealed class WeekCalendar(string owner, IReadOnlyList<WeekObject> weeks) : ICalendar
    {
        public string Uri => CalendarUri;
        public string Owner => owner;
        public string? DisplayName => "Week numbers";
        public string? Description => "ISO 8601 week numbers (computed by the weeknumbers sample provider)";
        public string? Color => "#808080";
        public int? Order => null;
        public string? TimeZone => null;
        public IReadOnlyList<string> SupportedComponents => ["VEVENT"];
        public string CTag => "\"" + weeks[0].Name + "\""; // the window moves once a week
        public string? SyncToken => null;                  // no change log: sync-collection is not offered
        public DateTimeOffset? LastModified => null;
        public CalendarPrivileges Privileges => CalendarPrivileges.Read;

        public Task<IReadOnlyList<ICalendarObject>> GetObjectsAsync(CancellationToken ct) => Task.FromResult<IReadOnlyList<ICalendarObject>>(weeks);
        public Task<ICalendarObject?> GetObjectAsync(string name, CancellationToken ct) => Task.FromResult<ICalendarObject?>(weeks.FirstOrDefault(w => w.Name == name));
        public Task<IReadOnlyList<ICalendarObject>> GetObjectsAsync(IReadOnlyCollection<string> names, CancellationToken ct) =>
            Task.FromResult<IReadOnlyList<ICalendarObject>>(weeks.Where(w => names.Contains(w.Name)).ToList());
        public Task<CalendarChanges?> GetChangesAsync(string syncToken, CancellationToken ct) => Task.FromResult<CalendarChanges?>(null);
    }

    /// <summary>One week: an all-day VEVENT on its Monday. Everything is a function of the date.</summary>
    sealed class WeekObject : ICalendarObject
    {
        readonly byte[] _data;

        public WeekObject(DateOnly monday)
        {
            var (year, week) = (ISOWeek.GetYear(monday.ToDateTime(TimeOnly.MinValue)), ISOWeek.GetWeekOfYear(monday.ToDateTime(TimeOnly.MinValue)));
            Name = $"{year}-W{week:00}.ics";
            Uid = $"{year}-W{week:00}@weeknumbers.caldera";
            LastModified = new DateTimeOffset(monday.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
            _data = Encoding.UTF8.GetBytes(string.Join("\r\n",
                "BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//Caldera//Week numbers sample//EN", "CALSCALE:GREGORIAN",
                "BEGIN:VEVENT", $"UID:{Uid}", $"DTSTAMP:{monday:yyyyMMdd}T000000Z",
                $"DTSTART;VALUE=DATE:{monday:yyyyMMdd}", $"DTEND;VALUE=DATE:{monday.AddDays(1):yyyyMMdd}",
                $"SUMMARY:Week {week}", "TRANSP:TRANSPARENT", "END:VEVENT", "END:VCALENDAR", ""));
            ETag = "\"" + Convert.ToHexStringLower(SHA256.HashData(_data))[..32] + "\"";
        }

        public string Name { get; }
        public string ETag { get; }
        public long Size => _data.Length;
        public string ContentType => "text/calendar; charset=utf-8";
        public DateTimeOffset LastModified { get; }
        public string Uid { get; }
        public string Component => "VEVENT";
        public Task<byte[]?> GetDataAsync(CancellationToken ct) => Task.FromResult<byte[]?>(_data);
    }
}

using System.Security.Cryptography;
using Caldera.Calendars;
using Caldera.Calendars.Providers;
using Caldera.Storage;

namespace Caldera.QueryMatch;

/// <summary>A stored object held in memory, as the in-memory snapshot will hold it: index fields and body.</summary>
sealed class MemoryObject(string name, ParsedCalendarObject parsed, bool envelopes) : ICalendarObject
{
    public ParsedCalendarObject Parsed => parsed;
    public string Name => name;
    public string ETag { get; } = "\"" + Convert.ToHexStringLower(SHA256.HashData(parsed.Body))[..32] + "\"";
    public long Size => parsed.Body.Length;
    public string ContentType => "text/calendar; charset=utf-8";
    public DateTimeOffset LastModified => DateTimeOffset.UnixEpoch;
    public string Uid => parsed.Uid;
    public string Component => parsed.Component;
    public Task<byte[]?> GetDataAsync(CancellationToken ct) => Task.FromResult<byte[]?>(parsed.Body);
    /// <summary>As StoreCalendarObject has it; hidden for the "before" run, which had no exact envelopes.</summary>
    public ObjectEnvelope? Envelope =>
        envelopes && parsed is { EnvelopeExact: true, RangeStart: { } s, RangeEnd: { } e } && e > s ? new ObjectEnvelope(s, e) : null;
}

/// <summary>A calendar whose index filter is the table store's: component, EnvelopeStart &lt;= end, EnvelopeEnd &gt;= start.</summary>
sealed class MemoryCalendar(IReadOnlyList<MemoryObject> objects) : ICalendar
{
    public string Uri => "bench";
    public string Owner => "bench";
    public string? DisplayName => "bench";
    public string? Description => null;
    public string? Color => null;
    public int? Order => null;
    public string? TimeZone => null;
    public IReadOnlyList<string> SupportedComponents { get; } = ["VEVENT"];
    public string CTag => "1";
    public string? SyncToken => null;
    public DateTimeOffset? LastModified => null;
    public CalendarPrivileges Privileges => CalendarPrivileges.Read;

    public Task<IReadOnlyList<ICalendarObject>> GetObjectsAsync(CancellationToken ct) => Task.FromResult<IReadOnlyList<ICalendarObject>>(objects);
    public Task<ICalendarObject?> GetObjectAsync(string name, CancellationToken ct) => Task.FromResult<ICalendarObject?>(objects.FirstOrDefault(o => o.Name == name));
    public Task<IReadOnlyList<ICalendarObject>> GetObjectsAsync(IReadOnlyCollection<string> names, CancellationToken ct) =>
        Task.FromResult<IReadOnlyList<ICalendarObject>>(objects.Where(o => names.Contains(o.Name)).ToList());
    public Task<CalendarChanges?> GetChangesAsync(string syncToken, CancellationToken ct) => Task.FromResult<CalendarChanges?>(null);

    public Task<IReadOnlyList<ICalendarObject>> FindCandidatesAsync(ObjectQuery query, CancellationToken ct) =>
        Task.FromResult<IReadOnlyList<ICalendarObject>>(objects.Where(o =>
            (query.Component is null || o.Component == query.Component)
            && (query.End is not { } end || (o.Parsed.RangeStart ?? DateTimeOffset.MinValue) <= end)
            && (query.Start is not { } start || (o.Parsed.RangeEnd ?? DateTimeOffset.MaxValue) >= start)).ToList());
}

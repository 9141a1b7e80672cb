using Caldera.Storage;

namespace Caldera.Calendars.Providers.Store;

/// <summary>A stored object: index row in hand, body read from its blob on demand.</summary>
public sealed class StoreCalendarObject(ObjectRecord record, ICalendarStore store) : ICalendarObject
{
    public ObjectRecord Record => record;
    public string Name => record.Name;
    public string ETag => record.ETag;
    public long Size => record.Size;
    public string ContentType => "text/calendar; charset=utf-8";
    public DateTimeOffset LastModified => record.LastModified;
    public string Uid => record.Uid;
    public string Component => record.Component;
    public string? DeadProperties => record.DeadProperties;
    public string? ScheduleTag => record.ScheduleTag;
    public Task<byte[]?> GetDataAsync(CancellationToken ct) => store.ReadBodyAsync(record, ct);
    public ObjectEnvelope? Envelope => record is { EnvelopeExact: true, RangeStart: { } s, RangeEnd: { } e } && e > s ? new ObjectEnvelope(s, e) : null;
}

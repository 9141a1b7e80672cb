namespace Caldera.Calendars.Providers;

/// <summary>One calendar object resource (the seed's <c>ICalendarObject</c>): metadata is cheap, the body is loaded on demand.</summary>
public interface ICalendarObject
{
    string Name { get; }
    /// <summary>Quoted strong ETag.</summary>
    string ETag { get; }
    long Size { get; }
    string ContentType { get; }
    DateTimeOffset LastModified { get; }
    string Uid { get; }
    /// <summary>VEVENT, VTODO, VJOURNAL or VFREEBUSY.</summary>
    string Component { get; }
    /// <summary>The iCalendar body; null if it vanished since the metadata was read.</summary>
    Task<byte[]?> GetDataAsync(CancellationToken ct);
}

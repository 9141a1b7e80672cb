namespace Caldera.Calendars.Providers.Subscriptions;

/// <summary>One object of a subscribed feed, held in memory.</summary>
public sealed class IcsSubscriptionObject(FeedObject item, DateTimeOffset lastModified) : ICalendarObject
{
    public string Name => item.Name;
    public string ETag => item.ETag;
    public long Size => item.Body.Length;
    public string ContentType => "text/calendar; charset=utf-8";
    public DateTimeOffset LastModified => lastModified;
    public string Uid => item.Uid;
    public string Component => item.Component;
    public Task<byte[]?> GetDataAsync(CancellationToken ct) => Task.FromResult<byte[]?>(item.Body);
}

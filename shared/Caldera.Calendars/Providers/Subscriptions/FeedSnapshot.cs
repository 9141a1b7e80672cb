namespace Caldera.Calendars.Providers.Subscriptions;

/// <summary>A feed as served right now: the objects of its last good copy and a sentence on its state.</summary>
public sealed record FeedSnapshot(IReadOnlyList<FeedObject> Objects, string Status, bool Healthy, string CTag, DateTimeOffset? FetchedAt);

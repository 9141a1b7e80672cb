namespace Caldera.Calendars.Providers.Subscriptions;

/// <summary>A calendar backed by a remote feed: how the feed is doing, shown as <c>{urn:x-caldera}feed-status</c>.</summary>
public interface IFeedStatus
{
    /// <summary>A sentence: subscribed and when last fetched, or the last error and which copy is shown.</summary>
    string FeedStatus { get; }

    /// <summary>The feed's address (webcal already made https), shown as CalendarServer's <c>CS:source</c>.</summary>
    Uri Source { get; }
}

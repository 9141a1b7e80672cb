using Microsoft.Extensions.Logging;

namespace Caldera.Calendars.Providers.Subscriptions;

/// <summary>
/// Read-only calendars backed by remote .ics feeds. The registry row for app id <c>ics</c> and a user lists the
/// user's feeds (see <see cref="FeedDefinition.ParseAll"/>); broken configuration is logged and shows nothing.
/// Only the home owner sees them.
/// </summary>
public sealed class IcsSubscriptionProvider(FeedSource source, ILogger<IcsSubscriptionProvider> log) : ICalendarProvider
{
    public const string Id = "ics";

    public string AppId => Id;

    public async Task<IReadOnlyList<ICalendar>> GetCalendarsAsync(CalendarContext context, IReadOnlyCollection<string>? calendarUris, CancellationToken ct)
    {
        var feeds = Feeds(context).Where(f => calendarUris is null || calendarUris.Contains(f.Uri, StringComparer.OrdinalIgnoreCase)).ToList();
        var calendars = await Task.WhenAll(feeds.Select(f => OpenAsync(context, f, ct)));
        return calendars;
    }

    public async Task<bool> HasCalendarAsync(CalendarContext context, string calendarUri, CancellationToken ct) =>
        await GetCalendarAsync(context, calendarUri, ct) is not null;

    public async Task<ICalendar?> GetCalendarAsync(CalendarContext context, string calendarUri, CancellationToken ct) =>
        Feeds(context).FirstOrDefault(f => f.Uri.Equals(calendarUri, StringComparison.OrdinalIgnoreCase)) is { } feed
            ? await OpenAsync(context, feed, ct)
            : null;

    async Task<ICalendar> OpenAsync(CalendarContext context, FeedDefinition feed, CancellationToken ct) =>
        new IcsSubscriptionCalendar(feed, context.HomeOwner, await source.GetAsync(context.HomeOwner, feed, ct));

    IReadOnlyList<FeedDefinition> Feeds(CalendarContext context)
    {
        if (context.HomeOwner != context.Principal)
            return [];
        try
        {
            return FeedDefinition.ParseAll(context.Configuration);
        }
        catch (FormatException e)
        {
            log.LogWarning("ics subscriptions of {User}: bad configuration ({Error}); no feeds shown", context.HomeOwner, e.Message);
            return [];
        }
    }
}

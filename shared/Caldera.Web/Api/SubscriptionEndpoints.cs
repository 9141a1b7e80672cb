using Caldera.Calendars.Providers.Subscriptions;
using Caldera.Calendars.Registry;
using Caldera.Storage.Registry;

namespace Caldera.Web.Api;

/// <summary>
/// subscriptions: the user's .ics feeds, kept where the ics provider reads them (the registry row of app id "ics"
/// for the user, in <see cref="FeedDefinition"/>'s configuration form); status is the feed calendar's own sentence.
/// </summary>
public sealed class SubscriptionEndpoints(IProviderRegistryStore registryStore, ProviderRegistry registry, CalendarHome home) : IApiEndpoints
{
    public const int MaxFeeds = 50;

    public IEnumerable<ApiRoute> Routes =>
    [
        new("GET", "subscriptions", ListAsync),
        new("POST", "subscriptions", AddAsync),
        new("DELETE", "subscriptions/{}", RemoveAsync),
    ];

    sealed record SubscriptionBody(string? Url, string? Name);

    sealed record SubscriptionView(string Id, string CalendarId, string Name, string Url, string Status);

    async Task ListAsync(ApiContext ctx)
    {
        var (_, feeds) = await ReadAsync(ctx);
        var open = await OpenFeedsAsync(ctx);
        await ApiJson.OkAsync(ctx, feeds.Select(f => View(f, open)).ToList());
    }

    async Task AddAsync(ApiContext ctx)
    {
        var body = await ApiJson.ReadAsync<SubscriptionBody>(ctx);
        if (string.IsNullOrWhiteSpace(body.Url))
            throw ApiError.BadRequest("Give the feed's URL.");
        Uri url;
        try
        {
            url = FeedDefinition.NormalizeUrl(body.Url);
        }
        catch (FormatException e)
        {
            throw ApiError.BadRequest(e.Message);
        }
        var name = body.Name?.Trim();
        if (name is { Length: > 100 } || name?.Any(char.IsControl) == true)
            throw ApiError.BadRequest("The name must be at most 100 characters, without control characters.");
        var (row, feeds) = await ReadAsync(ctx);
        if (feeds.Count >= MaxFeeds)
            throw ApiError.Conflict($"You have {MaxFeeds} subscriptions already.");
        var slug = Slug.From(string.IsNullOrEmpty(name) ? url.Host : name, "feed", asciiOnly: true);
        var id = Enumerable.Range(1, MaxFeeds + 1).Select(n => Slug.Numbered(slug, n))
            .First(candidate => !feeds.Any(f => f.Uri.Equals(candidate, StringComparison.OrdinalIgnoreCase)));
        var feed = new FeedDefinition(id, url, string.IsNullOrEmpty(name) ? null : name, null);
        await WriteAsync(ctx, row, [.. feeds, feed]);
        await ApiJson.CreatedAsync(ctx, View(feed, await OpenFeedsAsync(ctx)));
    }

    async Task RemoveAsync(ApiContext ctx)
    {
        var (row, feeds) = await ReadAsync(ctx);
        var kept = feeds.Where(f => !f.Uri.Equals(ctx.Segments[1], StringComparison.OrdinalIgnoreCase)).ToList();
        if (kept.Count == feeds.Count)
            throw ApiError.NotFound("No such subscription.");
        await WriteAsync(ctx, row, kept);
        ApiJson.NoContent(ctx);
    }

    /// <summary>The user's own registry row for the ics provider (never the row for everyone) and its feeds.</summary>
    async Task<(ProviderRegistration? Row, IReadOnlyList<FeedDefinition> Feeds)> ReadAsync(ApiContext ctx)
    {
        var row = (await registryStore.GetForUserAsync(ctx.User, ctx.Cancellation))
            .FirstOrDefault(r => r.Principal == ctx.User && r.AppId.Equals(IcsSubscriptionProvider.Id, StringComparison.OrdinalIgnoreCase));
        if (row?.Configuration is null)
            return (row, []);
        try
        {
            return (row, FeedDefinition.ParseAll(row.Configuration));
        }
        catch (FormatException e)
        {
            throw ApiError.Conflict($"Your subscriptions are configured in a way this page cannot edit ({e.Message}); ask the administrator.");
        }
    }

    async Task WriteAsync(ApiContext ctx, ProviderRegistration? row, IReadOnlyList<FeedDefinition> feeds)
    {
        await registryStore.UpsertAsync(new ProviderRegistration(ctx.User, row?.AppId ?? IcsSubscriptionProvider.Id, row?.Enabled ?? true,
            FeedDefinition.FormatAll(feeds)), ctx.Cancellation);
        registry.Invalidate();
    }

    /// <summary>The feed calendars the home shows now, by feed uri (one listing: the provider opens its feeds together).</summary>
    async Task<IReadOnlyDictionary<string, HomeCalendar>> OpenFeedsAsync(ApiContext ctx) =>
        (await home.ListAsync(CalendarEndpoints.Context(ctx), p => p.AppId == IcsSubscriptionProvider.Id, ctx.Cancellation))
            .ToDictionary(e => e.Calendar.Uri, StringComparer.OrdinalIgnoreCase);

    static SubscriptionView View(FeedDefinition feed, IReadOnlyDictionary<string, HomeCalendar> open) => new(
        feed.Uri, CalendarHome.SegmentFor(IcsSubscriptionProvider.Id, feed.Uri), feed.Name ?? feed.Uri, feed.Url.AbsoluteUri,
        open.TryGetValue(feed.Uri, out var entry) && entry.Calendar is IFeedStatus status
            ? status.FeedStatus
            : "Not shown: subscriptions are turned off for you, or the feed could not be opened.");
}

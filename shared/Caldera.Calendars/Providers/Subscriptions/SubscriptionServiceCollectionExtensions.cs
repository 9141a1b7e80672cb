using Caldera.Storage;
using Azure.Storage.Blobs;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;

namespace Caldera.Calendars.Providers.Subscriptions;

public static class SubscriptionServiceCollectionExtensions
{
    /// <summary>
    /// Registers the ics subscription provider (app id <c>ics</c>) and its parts. Settings come from
    /// <c>Caldera:Subscriptions</c> when first resolved. Needs AddCalderaStorage and AddCalderaCalendars.
    /// </summary>
    public static IServiceCollection AddIcsSubscriptions(this IServiceCollection services, IConfiguration configuration)
    {
        services.TryAddSingleton(_ => SubscriptionSettings.From(configuration));
        services.TryAddSingleton(sp => new FeedFetcher(sp.GetRequiredService<SubscriptionSettings>()));
        services.TryAddSingleton(sp => new FeedCache(sp.GetRequiredService<BlobServiceClient>(), sp.GetRequiredService<StorageLayout>()));
        services.TryAddSingleton(sp => new FeedSource(sp.GetRequiredService<FeedFetcher>(), sp.GetRequiredService<FeedCache>(),
            sp.GetRequiredService<SubscriptionSettings>(), sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ILogger<FeedSource>>()));
        services.AddCalendarProvider<IcsSubscriptionProvider>();
        return services;
    }
}

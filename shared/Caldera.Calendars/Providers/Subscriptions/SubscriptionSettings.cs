using System.Globalization;
using Microsoft.Extensions.Configuration;

namespace Caldera.Calendars.Providers.Subscriptions;

/// <summary>
/// Limits of the ics subscription provider, from configuration section <c>Caldera:Subscriptions</c>:
/// AllowPrivateAddresses (default false; tests only), MaxFeedBytes (5 MiB), TimeoutSeconds (4), DefaultRefreshMinutes (60).
/// The fetch timeout stays under CalendarHomeOptions.ProviderTimeout (5 s), so a slow feed falls back to its last good
/// copy instead of the whole provider being dropped from the home.
/// </summary>
public sealed record SubscriptionSettings
{
    public bool AllowPrivateAddresses { get; init; }
    public long MaxFeedBytes { get; init; } = 5 * 1024 * 1024;
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(4);
    public TimeSpan DefaultRefresh { get; init; } = TimeSpan.FromHours(1);

    public static SubscriptionSettings From(IConfiguration configuration)
    {
        var s = configuration.GetSection("Caldera:Subscriptions");
        var defaults = new SubscriptionSettings();
        return new SubscriptionSettings
        {
            AllowPrivateAddresses = bool.TryParse(s["AllowPrivateAddresses"], out var allow) && allow,
            MaxFeedBytes = long.TryParse(s["MaxFeedBytes"], NumberStyles.None, CultureInfo.InvariantCulture, out var max) && max > 0 ? max : defaults.MaxFeedBytes,
            Timeout = double.TryParse(s["TimeoutSeconds"], NumberStyles.Float, CultureInfo.InvariantCulture, out var t) && t > 0 ? TimeSpan.FromSeconds(t) : defaults.Timeout,
            DefaultRefresh = double.TryParse(s["DefaultRefreshMinutes"], NumberStyles.Float, CultureInfo.InvariantCulture, out var r) && r >= 0 ? TimeSpan.FromMinutes(r) : defaults.DefaultRefresh,
        };
    }
}

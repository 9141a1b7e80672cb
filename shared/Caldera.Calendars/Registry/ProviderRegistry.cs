using System.Collections.Concurrent;
using Caldera.Calendars.Providers.Sharing;
using Caldera.Calendars.Providers.Store;
using Caldera.Storage.Registry;

namespace Caldera.Calendars.Registry;

/// <summary>
/// Which providers serve a user, resolved per request from the registry table with a short cache:
/// a user's own row overrides the row for everyone; the built-in store and sharing ("shared") are on unless a row turns them off.
/// </summary>
public sealed class ProviderRegistry(IProviderRegistryStore store, TimeProvider time)
{
    /// <summary>A registry change reaches a warm instance within this time.</summary>
    public static readonly TimeSpan CacheLifetime = TimeSpan.FromSeconds(10);

    readonly ConcurrentDictionary<string, (DateTimeOffset Until, IReadOnlyList<ProviderRegistration> Rows)> _cache = new();

    public async Task<IReadOnlyList<ProviderRegistration>> GetEnabledAsync(string userName, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        if (_cache.TryGetValue(userName, out var hit) && hit.Until > now)
            return hit.Rows;
        var rows = await store.GetForUserAsync(userName, ct);
        var effective = rows
            .GroupBy(r => r.AppId, StringComparer.OrdinalIgnoreCase)
            .Select(g => g.FirstOrDefault(r => r.Principal == userName) ?? g.First())
            .ToList();
        if (!effective.Any(r => r.AppId.Equals(StoreCalendarProvider.Id, StringComparison.OrdinalIgnoreCase)))
            effective.Insert(0, new ProviderRegistration(ProviderRegistration.Everyone, StoreCalendarProvider.Id, true, null));
        if (!effective.Any(r => r.AppId.Equals(SharedCalendarProvider.Id, StringComparison.OrdinalIgnoreCase)))
            effective.Insert(1, new ProviderRegistration(ProviderRegistration.Everyone, SharedCalendarProvider.Id, true, null));
        IReadOnlyList<ProviderRegistration> enabled = effective.Where(r => r.Enabled).ToList();
        _cache[userName] = (now + CacheLifetime, enabled);
        return enabled;
    }

    /// <summary>Forgets cached rows so a change made by this instance applies at once.</summary>
    public void Invalidate() => _cache.Clear();
}

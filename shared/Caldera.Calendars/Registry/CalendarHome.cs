using Caldera.Calendars.Providers;
using Caldera.Calendars.Providers.Store;
using Caldera.Storage.Registry;
using Microsoft.Extensions.Logging;

namespace Caldera.Calendars.Registry;

/// <summary>A calendar as it appears in a home: its URI segment there, and who provides it.</summary>
public sealed record HomeCalendar(string Segment, string AppId, ICalendar Calendar);

/// <summary>How long a provider may take to list or open calendars before it is treated as failed.</summary>
public sealed class CalendarHomeOptions
{
    public TimeSpan ProviderTimeout { get; set; } = TimeSpan.FromSeconds(5);
}

/// <summary>A provider threw or timed out while opening one of its calendars (the engine answers 503).</summary>
public sealed class ProviderUnavailableException(string appId, Exception? inner)
    : Exception($"calendar provider {appId} is unavailable", inner)
{
    public string AppId { get; } = appId;
}

/// <summary>
/// A user's calendar home, assembled from every provider the registry enables for the user. The built-in
/// store's calendars keep their names; other providers' appear as <c>app-generated--{appId}--{uri}</c> (the seed's naming).
/// A provider that fails or exceeds <see cref="CalendarHomeOptions.ProviderTimeout"/> is left out of the listing and logged;
/// opening one of its calendars directly throws <see cref="ProviderUnavailableException"/>. The rest of the home still answers.
/// </summary>
public sealed class CalendarHome(ProviderRegistry registry, IEnumerable<ICalendarProvider> providers, ILogger<CalendarHome> log,
    CalendarHomeOptions? options = null)
{
    readonly TimeSpan _timeout = (options ?? new CalendarHomeOptions()).ProviderTimeout;

    public const string AppPrefix = "app-generated--";
    const string Separator = "--";

    readonly Dictionary<string, ICalendarProvider> _providers =
        providers.ToDictionary(p => p.AppId, StringComparer.OrdinalIgnoreCase);

    public Task<IReadOnlyList<HomeCalendar>> ListAsync(CalendarContext context, CancellationToken ct) => ListAsync(context, null, ct);

    /// <summary>The home, with only the providers <paramref name="providerFilter"/> accepts asked for their calendars.</summary>
    public async Task<IReadOnlyList<HomeCalendar>> ListAsync(CalendarContext context, Func<ICalendarProvider, bool>? providerFilter, CancellationToken ct)
    {
        var result = new List<HomeCalendar>();
        foreach (var (registration, provider) in await ResolveAsync(context.HomeOwner, ct))
        {
            if (providerFilter is not null && !providerFilter(provider))
                continue;
            try
            {
                var scoped = context with { Configuration = registration.Configuration };
                foreach (var calendar in await CallAsync(provider, c => provider.GetCalendarsAsync(scoped, null, c), ct))
                    result.Add(new HomeCalendar(SegmentFor(provider.AppId, calendar.Uri), provider.AppId, calendar));
            }
            catch (Exception e) when (!ct.IsCancellationRequested)
            {
                log.LogWarning(e, "Calendar provider {AppId} failed to list the home of {User}; its calendars are left out", provider.AppId, context.HomeOwner);
            }
        }
        return result;
    }

    public async Task<HomeCalendar?> FindAsync(CalendarContext context, string segment, CancellationToken ct)
    {
        var (appId, uri) = Split(segment);
        foreach (var (registration, provider) in await ResolveAsync(context.HomeOwner, ct))
        {
            if (!provider.AppId.Equals(appId, StringComparison.OrdinalIgnoreCase))
                continue;
            var scoped = context with { Configuration = registration.Configuration };
            ICalendar? calendar;
            try
            {
                calendar = await CallAsync(provider, c => provider.GetCalendarAsync(scoped, uri, c), ct);
            }
            catch (Exception e) when (!ct.IsCancellationRequested && provider.AppId != StoreCalendarProvider.Id)
            {
                log.LogWarning(e, "Calendar provider {AppId} failed to open {Calendar} of {User}", provider.AppId, uri, context.HomeOwner);
                throw new ProviderUnavailableException(provider.AppId, e);
            }
            return calendar is null ? null : new HomeCalendar(segment, provider.AppId, calendar);
        }
        return null;
    }

    /// <summary>Runs one provider call, abandoning it (TimeoutException) after the provider timeout; the store is not limited.</summary>
    async Task<T> CallAsync<T>(ICalendarProvider provider, Func<CancellationToken, Task<T>> call, CancellationToken ct)
    {
        if (provider.AppId.Equals(StoreCalendarProvider.Id, StringComparison.OrdinalIgnoreCase))
            return await call(ct);
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(ct);
        limit.CancelAfter(_timeout);
        return await call(limit.Token).WaitAsync(_timeout, ct);
    }

    /// <summary>True if a new calendar may take this name (it must not look like a provider's).</summary>
    public static bool IsCreatableName(string segment) => !segment.StartsWith(AppPrefix, StringComparison.OrdinalIgnoreCase);

    public static string SegmentFor(string appId, string uri) =>
        appId.Equals(StoreCalendarProvider.Id, StringComparison.OrdinalIgnoreCase) ? uri : AppPrefix + appId + Separator + uri;

    static (string AppId, string Uri) Split(string segment)
    {
        if (!segment.StartsWith(AppPrefix, StringComparison.OrdinalIgnoreCase))
            return (StoreCalendarProvider.Id, segment);
        var rest = segment[AppPrefix.Length..];
        var cut = rest.IndexOf(Separator, StringComparison.Ordinal);
        return cut <= 0 ? ("", "") : (rest[..cut], rest[(cut + Separator.Length)..]);
    }

    async Task<List<(ProviderRegistration, ICalendarProvider)>> ResolveAsync(string userName, CancellationToken ct)
    {
        var list = new List<(ProviderRegistration, ICalendarProvider)>();
        foreach (var registration in await registry.GetEnabledAsync(userName, ct))
        {
            if (_providers.TryGetValue(registration.AppId, out var provider))
                list.Add((registration, provider));
            else
                log.LogWarning("Registry names unknown calendar provider {AppId}; skipped", registration.AppId);
        }
        return list;
    }
}

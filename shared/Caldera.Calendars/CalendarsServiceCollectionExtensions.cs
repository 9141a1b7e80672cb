using Azure.Data.Tables;
using Caldera.Calendars.Accounts;
using Caldera.Calendars.Providers;
using Caldera.Calendars.Providers.Sharing;
using Caldera.Calendars.Providers.Store;
using Caldera.Calendars.Registry;
using Caldera.Storage.Registry;
using Caldera.Storage;
using Caldera.Storage.Sharing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Caldera.Calendars;

public static class CalendarsServiceCollectionExtensions
{
    /// <summary>Registers accounts, the provider registry and the built-in providers. Needs AddCalderaStorage.</summary>
    public static IServiceCollection AddCalderaCalendars(this IServiceCollection services)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<IAccountService, AccountService>();
        services.TryAddSingleton<IProviderRegistryStore>(sp => new TableProviderRegistryStore(
            sp.GetRequiredService<TableServiceClient>().GetTableClient(sp.GetRequiredService<StorageLayout>().ProvidersTable)));
        services.TryAddSingleton<ProviderRegistry>();
        services.TryAddSingleton<CalendarHomeOptions>();
        services.TryAddSingleton<Query.TimelineCacheSettings>();
        services.TryAddSingleton<Query.TimelineCache>();
        services.TryAddSingleton<CalendarHome>();
        services.TryAddSingleton<Manager.ICalendarManager, Manager.CalendarManager>();
        services.TryAddSingleton<StoreCalendarProvider>();
        services.AddCalendarProvider<StoreCalendarProvider>();
        services.TryAddSingleton<IShareStore>(sp => new TableShareStore(
            sp.GetRequiredService<TableServiceClient>().GetTableClient(sp.GetRequiredService<StorageLayout>().SharesTable)));
        services.AddCalendarProvider<SharedCalendarProvider>();
        services.TryAddSingleton<ShareGrants>();
        return services;
    }

    /// <summary>Makes a provider available; the registry table decides whom it serves.</summary>
    public static IServiceCollection AddCalendarProvider<T>(this IServiceCollection services) where T : class, ICalendarProvider
    {
        services.TryAddSingleton<T>();
        services.AddSingleton<ICalendarProvider>(sp => sp.GetRequiredService<T>());
        return services;
    }
}

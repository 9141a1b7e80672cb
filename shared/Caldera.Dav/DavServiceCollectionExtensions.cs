using Caldera.Dav.Handlers;
using Caldera.Dav.Nodes;
using Caldera.Dav.Properties;
using Caldera.Dav.Reports;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Caldera.Dav;

public static class DavServiceCollectionExtensions
{
    /// <summary>Registers the protocol engine (<see cref="IDavEngine"/>). Needs AddCalderaCalendars.</summary>
    public static IServiceCollection AddCalderaDav(this IServiceCollection services)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<DavOptions>();
        // calendar-query's timelines (also registered by AddCalderaCalendars; the first registration wins).
        services.TryAddSingleton<Caldera.Calendars.Query.TimelineCacheSettings>();
        services.TryAddSingleton<Caldera.Calendars.Query.TimelineCache>();
        services.TryAddSingleton<PropertyRegistry>();
        services.TryAddSingleton<PropertyReader>();
        services.TryAddSingleton<NodeResolver>();
        services.TryAddSingleton<Caldera.Calendars.Accounts.SignInThrottleOptions>();
        services.TryAddSingleton<Caldera.Calendars.Accounts.SignInThrottle>();
        services.TryAddSingleton<BasicAuthenticator>();
        services.TryAddSingleton<ObjectResponses>();
        services.TryAddSingleton<BusyTime>();
        // Uses IImplicitScheduler when one is registered (before or after this call); without it writes are not scheduled.
        services.TryAddSingleton<Scheduling.SchedulingHooks>();
        services.AddSingleton<IReport, CalendarMultigetReport>();
        services.AddSingleton<IReport, CalendarQueryReport>();
        services.AddSingleton<IReport, SyncCollectionReport>();
        services.AddSingleton<IReport, FreeBusyQueryReport>();
        services.TryAddSingleton<Reports.Principals.PrincipalDirectory>();
        services.AddSingleton<IReport, Reports.Principals.ExpandPropertyReport>();
        services.AddSingleton<IReport, Reports.Principals.PrincipalPropertySearchReport>();
        services.AddSingleton<IReport, Reports.Principals.PrincipalSearchPropertySetReport>();
        services.AddSingleton<IReport, Reports.Principals.PrincipalMatchReport>();
        services.AddSingleton<IMethodHandler, PropfindHandler>();
        services.AddSingleton<IMethodHandler, ProppatchHandler>();
        services.AddSingleton<IMethodHandler, MkcalendarHandler>();
        services.AddSingleton<IMethodHandler, GetHandler>();
        services.TryAddSingleton<PutHandler>();
        services.AddSingleton<IMethodHandler>(sp => sp.GetRequiredService<PutHandler>());
        services.AddSingleton<IMethodHandler, DeleteHandler>();
        services.AddSingleton<IMethodHandler, CopyMoveHandler>();
        services.AddSingleton<IMethodHandler, ReportHandler>();
        services.TryAddSingleton<Scheduling.OutboxPostHandler>();
        services.TryAddSingleton<AddMemberHandler>();
        services.AddSingleton<IMethodHandler, PostHandler>();
        services.TryAddSingleton<IDavEngine, DavEngine>();
        return services;
    }
}

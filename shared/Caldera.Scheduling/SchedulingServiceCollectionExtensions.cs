using Caldera.Calendars.Scheduling;
using Caldera.Scheduling.Delivery;
using Caldera.Scheduling.Planning;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Caldera.Scheduling;

public static class SchedulingServiceCollectionExtensions
{
    /// <summary>
    /// Implicit scheduling (RFC 6638 §3): the DAV engine finds <see cref="IImplicitScheduler"/> and schedules around
    /// its writes. Needs storage, calendars, iMIP (the iTIP engine) and an <c>IOutboundImip</c> for outside recipients.
    /// </summary>
    public static IServiceCollection AddCalderaScheduling(this IServiceCollection services)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<ISchedulingPlanner, SchedulingPlanner>();
        services.TryAddSingleton<ScheduleInbox>();
        services.TryAddSingleton<InternalDelivery>();
        services.TryAddSingleton<SchedulingDispatcher>();
        services.TryAddSingleton<IImplicitScheduler, ImplicitScheduler>();
        return services;
    }
}

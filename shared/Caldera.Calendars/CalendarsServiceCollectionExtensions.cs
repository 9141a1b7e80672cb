using Microsoft.Extensions.DependencyInjection;

namespace Caldera.Calendars;

public static class CalendarsServiceCollectionExtensions
{
    /// <summary>Registers accounts, the provider registry and the built-in providers. Needs AddCalderaStorage.</summary>
    public static IServiceCollection AddCalderaCalendars(this IServiceCollection services)
    {
        return services;
    }
}

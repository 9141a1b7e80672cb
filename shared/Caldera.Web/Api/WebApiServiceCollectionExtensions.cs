using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Caldera.Web.Api;

public static class WebApiServiceCollectionExtensions
{
    /// <summary>The JSON API under /web/api/: sessions, then one endpoint class per resource. Needs storage, calendars and DAV.</summary>
    public static IServiceCollection AddWebApi(this IServiceCollection services, IConfiguration configuration)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<WebSessions>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IApiEndpoints, SessionEndpoints>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IApiEndpoints, CalendarEndpoints>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IApiEndpoints, ExportEndpoint>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IApiEndpoints, EventEndpoints>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IApiEndpoints, PasswordEndpoints>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IApiEndpoints, ShareEndpoints>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IApiEndpoints, SubscriptionEndpoints>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IApiEndpoints, ImipEndpoints>());
        services.TryAddSingleton<ApiRouter>();
        services.TryAddSingleton<IWebApi, WebApi>();
        return services;
    }
}

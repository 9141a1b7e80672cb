using Caldera.Web.Api;
using Caldera.Web.Assets;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Caldera.Web;

public static class WebServiceCollectionExtensions
{
    /// <summary>The web page: its API (sessions, the user's calendars, passwords, shares, feeds, mail) and its assets.</summary>
    public static IServiceCollection AddCalderaWeb(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddWebApi(configuration);
        services.AddWebAssets(configuration);
        return services;
    }
}

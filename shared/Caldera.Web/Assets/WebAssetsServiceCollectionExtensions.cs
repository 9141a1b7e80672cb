using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Caldera.Web.Assets;

public static class WebAssetsServiceCollectionExtensions
{
    public static IServiceCollection AddWebAssets(this IServiceCollection services, IConfiguration configuration)
    {
        services.TryAddSingleton<IWebAssets, WebAssets>();
        return services;
    }
}

using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Caldera.Web.Assets;

public static class WebAssetsServiceCollectionExtensions
{
    /// <summary>The page's files, embedded in Caldera.Web at build time, read once and served from memory.</summary>
    public static IServiceCollection AddWebAssets(this IServiceCollection services, IConfiguration configuration)
    {
        services.TryAddSingleton(_ => WebBundle.LoadEmbedded());
        services.TryAddSingleton<IWebAssets, WebAssets>();
        return services;
    }
}

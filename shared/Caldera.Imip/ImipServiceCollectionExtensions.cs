using Caldera.Imip.Outbound;
using Caldera.Imip.Processing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Caldera.Imip;

public static class ImipServiceCollectionExtensions
{
    /// <summary>
    /// iMIP ingestion. Configuration "Caldera:Imip:TrustedAuthServIds" (comma-separated authserv-ids of the
    /// receiving mail gateway) and "Caldera:Imip:MaxMessageBytes".
    /// </summary>
    public static IServiceCollection AddCalderaImip(this IServiceCollection services, IConfiguration configuration)
    {
        services.TryAddSingleton(_ =>
        {
            var section = configuration.GetSection("Caldera:Imip");
            var options = new ImipOptions
            {
                TrustedAuthServIds = (section["TrustedAuthServIds"] ?? "")
                    .Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries),
            };
            if (long.TryParse(section["MaxMessageBytes"], out var max) && max > 0)
                options.Limits = options.Limits with { MaxMessageBytes = max };
            return options;
        });
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<ItipDelivery>();
        services.TryAddSingleton<ImipProcessor>();
        // Invitations by email the other way: the outbound queue, its sender and the SMTP settings.
        services.AddCalderaOutboundImip(configuration);
        return services;
    }
}

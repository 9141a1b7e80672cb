using Caldera.Storage;
using Caldera.Storage.Imip.Outbound;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Caldera.Imip.Outbound;

public static class OutboundImipServiceCollectionExtensions
{
    /// <summary>
    /// Outbound iMIP: <see cref="IOutboundImip"/>, the sender the ImipSend queue function runs, the resender, and the
    /// SMTP settings from section <c>Caldera:Smtp</c> (Host, Port, Security, UserName, Password, From, SenderDomains, MaxEmailsPerUserPerHour),
    /// read again at every use so a changed configuration applies without a restart. Needs AddCalderaStorage.
    /// </summary>
    public static IServiceCollection AddCalderaOutboundImip(this IServiceCollection services, IConfiguration configuration)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<Func<SmtpSettings>>(_ => () => SmtpSettings.Read(configuration));
        services.TryAddSingleton<SmtpMailTransport>();
        services.TryAddSingleton(sp => new OutboundImipQueue(
            sp.GetRequiredService<OutboundImipOutbox>(), sp.GetRequiredService<OutboundImipStatusStore>(), sp.GetRequiredService<OutboundImipRateCounter>(),
            sp.GetRequiredService<Func<SmtpSettings>>(), sp.GetRequiredService<TimeProvider>(), sp.GetService<ILogger<OutboundImipQueue>>() ?? NullLogger<OutboundImipQueue>.Instance));
        services.TryAddSingleton<IOutboundImip>(sp => sp.GetRequiredService<OutboundImipQueue>());
        services.TryAddSingleton(sp => new OutboundImipSender(
            sp.GetRequiredService<OutboundImipOutbox>(), sp.GetRequiredService<OutboundImipStatusStore>(), sp.GetRequiredService<SmtpMailTransport>(),
            sp.GetRequiredService<Func<SmtpSettings>>(), sp.GetRequiredService<TimeProvider>(),
            sp.GetService<ILogger<OutboundImipSender>>() ?? NullLogger<OutboundImipSender>.Instance));
        services.TryAddSingleton<OutboundImipResender>();
        return services;
    }
}

using Caldera.Calendars;
using Caldera.Calendars.Accounts;
using Caldera.Calendars.Query;
using Caldera.Calendars.Providers.Subscriptions;
using Caldera.Dav;
using Caldera.Imip;
using Caldera.Functions.Configuration;
using Caldera.Functions.Observability;
using Caldera.Samples;
using Caldera.Scheduling;
using Caldera.Storage;
using Caldera.Web;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Caldera.Functions;

/// <summary>
/// The one composition of Caldera's services, used by the Functions app (Program.cs) and by the local host.
/// </summary>
public static class CalderaServices
{
    /// <summary>Configuration section bound to <see cref="DavOptions"/> (e.g. Caldera:Dav:ClientAddressHeader).</summary>
    public const string DavOptionsSection = "Caldera:Dav";

    public static IServiceCollection AddCaldera(IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);

        services.AddCalderaSettings(configuration);
        services.AddCalderaStorage(configuration);
        services.TryAddSingleton(_ => TimelineCacheSettings.From(configuration));
        services.AddCalderaCalendars();
        // Read-only calendars from remote .ics feeds (app id "ics"); the registry row lists each user's feeds.
        services.AddIcsSubscriptions(configuration);
        // Available to every instance; the provider registry (manage/providers) decides whom it serves.
        services.AddCalendarProvider<WeekNumbersProvider>();
        // Abuse limits (README "Limits"); read when first used, so a host may fill configuration in later.
        services.TryAddSingleton(_ => configuration.GetSection(SignInThrottleOptions.Section).Get<SignInThrottleOptions>() ?? new SignInThrottleOptions());
        services.TryAddSingleton(_ =>
        {
            var dav = configuration.GetSection(DavOptionsSection).Get<DavOptions>() ?? new DavOptions();
            // A browser opening the server's address lands on the web page.
            dav.BrowserLandingPath ??= WebRoutes.BasePath;
            return dav;
        });
        services.AddCalderaDav();
        // Invitations by email: the /imip webhook and the ImipProcess queue function.
        services.AddCalderaImip(configuration);
        // Implicit scheduling (RFC 6638): the DAV engine's writes of scheduling objects deliver to Caldera users
        // through the iTIP engine above and queue email for everyone else.
        services.AddCalderaScheduling();
        // The web page (/web/): its JSON API and its static assets.
        services.AddCalderaWeb(configuration);
        // Administrators signed in with Entra ID (App Service Authentication) reach the management API under web/api/admin/.
        services.TryAddSingleton(_ => configuration.GetSection(Caldera.Web.Admin.EntraAdminOptions.Section).Get<Caldera.Web.Admin.EntraAdminOptions>()
            ?? new Caldera.Web.Admin.EntraAdminOptions());
        services.TryAddSingleton<Caldera.Functions.Web.ManagementMirror>();
        services.TryAddSingleton<StorageHealthCheck>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<Caldera.Dav.IBackendOutage, StorageOutageClassifier>());
        services.TryAddSingleton<RequestLogger>();

        // Creates tables, containers and queues once, when the host starts (before it serves requests).
        services.TryAddEnumerable(ServiceDescriptor.Singleton<Microsoft.Extensions.Hosting.IHostedService, StorageStartup>());
        // Pays the parser's and evaluator's first use at start-up instead of in a user's first request.
        services.TryAddEnumerable(ServiceDescriptor.Singleton<Microsoft.Extensions.Hosting.IHostedService, EngineWarmup>());
        return services;
    }
}

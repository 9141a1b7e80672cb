using Caldera.Storage;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Caldera.Functions.Configuration;

/// <summary>Who reads a setting.</summary>
public enum SettingReader
{
    /// <summary>Caldera itself (bound to <see cref="StorageSettings"/> / <see cref="CalderaOptions"/>).</summary>
    App,
    /// <summary>The Azure Functions host (its own storage: keys, leases, deployment bookkeeping).</summary>
    FunctionsHost,
    /// <summary>The worker's Application Insights integration.</summary>
    Telemetry,
}

/// <summary>One configuration setting.</summary>
/// <param name="Key">The configuration key, sections separated by ':' (e.g. <c>Storage:tableServiceUri</c>).</param>
public sealed record AppSetting(string Key, SettingReader Reader, bool RequiredInAzure, string Description)
{
    /// <summary>The name as an Azure app setting / environment variable (':' becomes '__').</summary>
    public string AppSettingName => Key.Replace(":", "__", StringComparison.Ordinal);
}

/// <summary>
/// An identity-based storage connection, the shape the Functions host documents for <c>&lt;prefix&gt;__blobServiceUri</c>,
/// <c>__queueServiceUri</c>, <c>__tableServiceUri</c>, <c>__credential</c>, <c>__clientId</c>; or, locally, a
/// connection string as the section's own value. Bound from section <see cref="Section"/> for Caldera's data, and
/// used to name the host's <c>AzureWebJobsStorage</c> settings, which have the same shape.
/// Caldera.Storage (StorageClients) reads these same keys when it builds its clients.
/// </summary>
public sealed class StorageSettings
{
    public const string Section = "Storage";
    public const string ManagedIdentityCredential = "managedidentity";

    /// <summary>The value of the section itself ("Storage" = a connection string): Azurite, local only.</summary>
    public string? ConnectionString { get; set; }
    public Uri? TableServiceUri { get; set; }
    public Uri? BlobServiceUri { get; set; }
    public Uri? QueueServiceUri { get; set; }
    /// <summary><c>managedidentity</c> in Azure. Caldera.Storage uses DefaultAzureCredential, which includes it.</summary>
    public string? Credential { get; set; }
    /// <summary>Client ID of the user-assigned identity.</summary>
    public string? ClientId { get; set; }

    public bool UsesConnectionString => !string.IsNullOrWhiteSpace(ConnectionString);
}

/// <summary>Caldera's own options, section <see cref="Section"/>.</summary>
public sealed class CalderaOptions
{
    public const string Section = "Caldera";

    /// <summary>Prefix of table and container names (see Caldera.Storage's StorageLayout).</summary>
    public string StoragePrefix { get; set; } = StorageLayout.DefaultPrefix;
}

/// <summary>
/// Every setting Caldera's deployment involves, named from the options classes above: infra/resources.bicep writes
/// them, the app binds them (<see cref="AddCalderaSettings"/>), and tests/Caldera.Infra.Tests checks the compiled
/// template against <see cref="RequiredInAzure"/>.
/// </summary>
public static class CalderaSettings
{
    /// <summary>The Functions host's storage connection (identity-based in Azure).</summary>
    public const string HostStorageSection = "AzureWebJobsStorage";

    public const string ApplicationInsightsConnectionString = "APPLICATIONINSIGHTS_CONNECTION_STRING";
    public const string ApplicationInsightsAuthenticationString = "APPLICATIONINSIGHTS_AUTHENTICATION_STRING";

    public static IReadOnlyList<AppSetting> All { get; } =
    [
        .. IdentityConnection(StorageSettings.Section, SettingReader.App, "Caldera's tables and blobs"),
        new(Key(CalderaOptions.Section, nameof(CalderaOptions.StoragePrefix), camelCase: false), SettingReader.App, false,
            $"prefix of table and container names (default '{StorageLayout.DefaultPrefix}')"),
        new(Caldera.Storage.Snapshots.SnapshotCacheOptions.Setting, SettingReader.App, false,
            "MiB of memory per instance for calendar snapshots (default 256; 0 turns the cache off)"),
        new("Caldera:Query:TimelineCacheMegabytes", SettingReader.App, false,
            "MB of memory per instance for recurring objects' instance timelines (default 32; 0 turns them off)"),
        new("Caldera:SignIn:FailuresPerUserAndAddress", SettingReader.App, false,
            "failed sign-ins one client address may make for one user per window before 429 (default 10)"),
        new("Caldera:SignIn:FailuresPerAddress", SettingReader.App, false,
            "failed sign-ins one client address may make for all users per window before 429 (default 100)"),
        new("Caldera:SignIn:WindowSeconds", SettingReader.App, false, "window the failed sign-ins are counted in (default 300)"),
        new("Caldera:Dav:ClientAddressHeader", SettingReader.App, false,
            "header with the client address set by a trusted front end (last entry used); unset uses the connection's address"),
        new(StorageLayout.ImipQueueSetting, SettingReader.App, true,
            "name of the iMIP queue; the ImipProcess trigger reads it as %CalderaImipQueue%, the /imip webhook writes to it"),
        new(StorageLayout.ImipOutboundQueueSetting, SettingReader.App, true,
            "name of the outbound iMIP queue; the ImipSend trigger reads it as %CalderaImipOutboundQueue%, invitations to outside attendees are queued on it"),
        new("Caldera:Smtp:Host", SettingReader.App, false, "SMTP relay for outbound invitation emails; unset keeps them with status held"),
        new("Caldera:Smtp:Port", SettingReader.App, false, "SMTP port (default 587; 465 with SslOnConnect, 25 with None)"),
        new("Caldera:Smtp:Security", SettingReader.App, false, "None, StartTls (default), SslOnConnect or Auto"),
        new("Caldera:Smtp:UserName", SettingReader.App, false, "SMTP user name (unset: no authentication)"),
        new("Caldera:Smtp:Password", SettingReader.App, false, "SMTP password; in Azure a Key Vault reference to the secret 'smtp-password', never a value"),
        new("Caldera:Smtp:From", SettingReader.App, false, "system sender address: envelope sender, and From (\"Name via Caldera\") when a user's domain may not be sent for"),
        new("Caldera:Smtp:SenderDomains", SettingReader.App, false, "comma-separated domains the relay may send as (default: the system sender's domain)"),
        new(Maintenance.OrphanSweepFunction.ScheduleSetting, SettingReader.App, true,
            $"NCRONTAB schedule of the orphan sweeper; the SweepOrphans trigger reads it as %{Maintenance.OrphanSweepFunction.ScheduleSetting}% (infra: '{Maintenance.OrphanSweepFunction.DefaultSchedule}', hourly)"),
        new(Caldera.Storage.Sweeping.SweepOptions.GraceSetting, SettingReader.App, false,
            "minutes an unreferenced body blob is kept before the sweeper removes it (default 1440, at least 30)"),
        new(Caldera.Storage.Sweeping.SweepOptions.MaxBlobsSetting, SettingReader.App, false,
            "blobs the sweeper lists per run; the next run resumes after them (default 5000)"),
        .. IdentityConnection(HostStorageSection, SettingReader.FunctionsHost, "the Functions host's storage"),
        new(ApplicationInsightsConnectionString, SettingReader.Telemetry, true,
            "which Application Insights resource receives telemetry (names it; not a secret when local auth is disabled)"),
        new(ApplicationInsightsAuthenticationString, SettingReader.Telemetry, true,
            "'ClientId=<identity client ID>;Authorization=AAD': telemetry ingestion with Entra ID"),
    ];

    /// <summary>What a deployment to Azure must set (identity-based; no keys, no storage connection strings).</summary>
    public static IReadOnlyList<AppSetting> RequiredInAzure { get; } = [.. All.Where(s => s.RequiredInAzure)];

    static IEnumerable<AppSetting> IdentityConnection(string section, SettingReader reader, string what) =>
    [
        new(Key(section, nameof(StorageSettings.BlobServiceUri)), reader, true, $"blob endpoint of {what}"),
        new(Key(section, nameof(StorageSettings.QueueServiceUri)), reader, true, $"queue endpoint of {what}"),
        new(Key(section, nameof(StorageSettings.TableServiceUri)), reader, true, $"table endpoint of {what}"),
        new(Key(section, nameof(StorageSettings.Credential)), reader, true, $"'{StorageSettings.ManagedIdentityCredential}' for {what}"),
        new(Key(section, nameof(StorageSettings.ClientId)), reader, true, $"client ID of the user-assigned identity used for {what}"),
    ];

    // Identity-connection properties are spelled camelCase in the Functions docs (blobServiceUri, clientId…).
    static string Key(string section, string property, bool camelCase = true) =>
        $"{section}:{(camelCase ? char.ToLowerInvariant(property[0]) + property[1..] : property)}";

    /// <summary>
    /// Binds <see cref="StorageSettings"/> and <see cref="CalderaOptions"/> (lazily, so a host may fill configuration
    /// in later) and validates them when the host starts: a misconfigured deployment fails at start-up, naming the
    /// missing settings, instead of on its first request.
    /// </summary>
    public static IServiceCollection AddCalderaSettings(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddOptions<StorageSettings>()
            .Configure(o =>
            {
                configuration.GetSection(StorageSettings.Section).Bind(o);
                o.ConnectionString = configuration[StorageSettings.Section];
            })
            .ValidateOnStart();
        services.AddOptions<CalderaOptions>()
            .Bind(configuration.GetSection(CalderaOptions.Section))
            .ValidateOnStart();
        services.AddSingleton<IValidateOptions<StorageSettings>, StorageSettingsValidator>();
        services.AddSingleton<IValidateOptions<CalderaOptions>, CalderaOptionsValidator>();
        return services;
    }

    sealed class StorageSettingsValidator : IValidateOptions<StorageSettings>
    {
        public ValidateOptionsResult Validate(string? name, StorageSettings o)
        {
            if (o.UsesConnectionString)
                return ValidateOptionsResult.Success;
            var failures = new List<string>();
            void Require(Uri? uri, string property)
            {
                if (uri is null || !uri.IsAbsoluteUri)
                    failures.Add($"{Key(StorageSettings.Section, property).Replace(":", "__", StringComparison.Ordinal)} must be an absolute URI");
            }
            Require(o.TableServiceUri, nameof(StorageSettings.TableServiceUri));
            Require(o.BlobServiceUri, nameof(StorageSettings.BlobServiceUri));
            Require(o.QueueServiceUri, nameof(StorageSettings.QueueServiceUri));
            if (o.Credential is { Length: > 0 } c && !string.Equals(c, StorageSettings.ManagedIdentityCredential, StringComparison.OrdinalIgnoreCase))
                failures.Add($"Storage__credential must be '{StorageSettings.ManagedIdentityCredential}' (or unset)");
            return failures.Count == 0
                ? ValidateOptionsResult.Success
                : ValidateOptionsResult.Fail(
                    ["Storage is not configured: set \"Storage\" to a connection string (local), or the identity-based settings (Azure).", .. failures]);
        }
    }

    sealed class CalderaOptionsValidator : IValidateOptions<CalderaOptions>
    {
        public ValidateOptionsResult Validate(string? name, CalderaOptions o) =>
            StorageLayout.IsValidPrefix(o.StoragePrefix)
                ? ValidateOptionsResult.Success
                : ValidateOptionsResult.Fail($"Caldera__StoragePrefix '{o.StoragePrefix}' is invalid: 1-40 lower-case letters and digits, starting with a letter.");
    }
}

using System.Net;
using System.Security.Cryptography;
using Caldera.Calendars.Accounts;
using Caldera.Functions;
using Caldera.Functions.Observability;
using Caldera.LocalHost.Queues;
using Caldera.LocalHost.Timers;
using Caldera.Storage;
using Caldera.Storage.Emulator;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Console;

namespace Caldera.LocalHost;

/// <summary>
/// Starts Caldera in this process: Azurite (unless a connection string is given), the Functions app's services
/// (<see cref="CalderaServices.AddCaldera"/>) and its HTTP functions on Kestrel at 127.0.0.1. Used by the
/// command line (Program.cs) and by the tests.
/// </summary>
public static class CalderaLocalServer
{
    public const string InitialPasswordLabel = "initial";
    public const string CommandLinePasswordLabel = "command-line";

    public static async Task<RunningServer> StartAsync(LocalServerOptions options, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.User is not null && !Names.IsValidUserName(options.User))
            throw new ArgumentException($"Invalid user name '{options.User}': use lower-case letters, digits, '.', '_' or '-'.", nameof(options));

        AzuriteProcess? azurite = null;
        WebApplication? app = null;
        try
        {
            string connectionString;
            string storageDescription;
            if (!string.IsNullOrEmpty(options.Storage))
            {
                connectionString = options.Storage;
                storageDescription = "the given connection string (no Azurite started)";
            }
            else if (options.InMemory)
            {
                azurite = await AzuriteProcess.StartAsync(null, ct);
                connectionString = azurite.ConnectionString;
                storageDescription = $"Azurite in memory (blob {azurite.BlobPort}, queue {azurite.QueuePort}, table {azurite.TablePort})";
            }
            else
            {
                var folder = Path.GetFullPath(options.DataFolder ?? LocalServerOptions.DefaultDataFolder);
                azurite = await AzuriteProcess.StartAsync(folder, ct);
                connectionString = azurite.ConnectionString;
                storageDescription = $"Azurite with data in {folder} (blob {azurite.BlobPort}, queue {azurite.QueuePort}, table {azurite.TablePort})";
            }

            var functionKey = string.IsNullOrEmpty(options.FunctionKey) ? NewKey() : options.FunctionKey;
            var functionsAssembly = typeof(CalderaServices).Assembly;
            var hostJson = Path.Combine(Path.GetDirectoryName(functionsAssembly.Location) ?? AppContext.BaseDirectory, "host.json");
            var routePrefix = FunctionEndpointMapper.ReadRoutePrefix(hostJson);
            var queueSettings = (options.Queues ?? HostJsonQueueSettings.Read(hostJson)).Validate();

            var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions
            {
                ApplicationName = typeof(CalderaLocalServer).Assembly.GetName().Name,
                ContentRootPath = AppContext.BaseDirectory,
                EnvironmentName = Environments.Development,
            });
            builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["Storage"] = connectionString,
                ["Caldera:StoragePrefix"] = options.StoragePrefix,
                // The app setting behind %CalderaImipQueue% in the iMIP queue trigger: the name storage derives from the prefix.
                [StorageLayout.ImipQueueSetting] = StorageLayout.IsValidPrefix(options.StoragePrefix)
                    ? new StorageLayout(options.StoragePrefix).ImipQueue
                    : null,
                // Likewise %CalderaImipOutboundQueue% for the ImipSend trigger.
                [StorageLayout.ImipOutboundQueueSetting] = StorageLayout.IsValidPrefix(options.StoragePrefix)
                    ? new StorageLayout(options.StoragePrefix).ImipOutboundQueue
                    : null,
                // The dequeue limit the pumps below use, where the Functions host's override would put it, so a queue
                // function knows its last delivery (Caldera.Functions.Imip.QueueRetryLimit).
                [Caldera.Functions.Imip.QueueRetryLimit.Setting] = queueSettings.MaxDequeueCount.ToString(System.Globalization.CultureInfo.InvariantCulture),
                // The app setting behind %CalderaSweepSchedule% in the orphan sweeper's timer trigger (hourly, as infra sets it).
                [Caldera.Functions.Maintenance.OrphanSweepFunction.ScheduleSetting] = Caldera.Functions.Maintenance.OrphanSweepFunction.DefaultSchedule,
            });
            if (options.Configuration is { Count: > 0 } extra)
                builder.Configuration.AddInMemoryCollection(extra);
            builder.Logging
                .SetMinimumLevel(options.LogLevel)
                .AddSimpleConsole(o => o.SingleLine = true)
                .AddFilter("Microsoft.AspNetCore", options.LogLevel < LogLevel.Warning ? LogLevel.Warning : options.LogLevel);
            builder.Services.Configure<ConsoleLoggerOptions>(o => o.LogToStandardErrorThreshold = LogLevel.Trace);
            builder.WebHost.UseKestrelCore().ConfigureKestrel(k => k.Listen(IPAddress.Loopback, options.Port));
            builder.Services.AddRouting();
            builder.Services.AddMvcCore(); // IActionResult executors (JsonResult, ObjectResult, …) as in the worker
            if (!options.HandleConsoleSignals)
                builder.Services.AddSingleton<IHostLifetime, NoSignalLifetime>();

            CalderaServices.AddCaldera(builder.Services, builder.Configuration);
            options.ConfigureServices?.Invoke(builder.Services);
            builder.Services.AddSingleton(sp => new FunctionEndpointMapper(
                functionsAssembly,
                routePrefix,
                functionKey,
                sp.GetRequiredService<IInlineConstraintResolver>(),
                sp.GetRequiredService<ILogger<FunctionEndpointMapper>>()));
            // Queue-triggered functions, found from their attributes like the HTTP ones; unresolvable ones fail the start.
            var queueFunctions = options.QueueFunctionTypes is { } queueTypes
                ? QueueFunctionDiscovery.Discover(queueTypes, builder.Configuration)
                : QueueFunctionDiscovery.Discover(functionsAssembly, builder.Configuration);
            builder.Services.AddQueueFunctionPumps(queueFunctions, queueSettings);
            // Timer-triggered functions, likewise: each runs on its NCRONTAB schedule.
            var timerFunctions = TimerFunctionDiscovery.Discover(functionsAssembly, builder.Configuration);
            foreach (var timer in timerFunctions)
                builder.Services.AddSingleton<IHostedService>(sp => new TimerFunctionRunner(timer, sp,
                    sp.GetService<TimeProvider>() ?? TimeProvider.System, sp.GetRequiredService<ILogger<TimerFunctionRunner>>()));

            if (azurite is not null && options.RestartAzurite)
            {
                var supervised = azurite;
                builder.Services.AddSingleton<IHostedService>(sp => new AzuriteSupervisor(supervised, sp.GetRequiredService<ILogger<AzuriteSupervisor>>()));
            }

            app = builder.Build();
            var mapper = app.Services.GetRequiredService<FunctionEndpointMapper>();
            app.UseCalderaRequestLogging(); // one structured entry per request, as the worker middleware logs in Azure
            app.Run(mapper.HandleAsync);
            await app.StartAsync(ct);

            var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses.FirstOrDefault()
                ?? throw new InvalidOperationException("Kestrel reported no address.");
            var port = new Uri(address).Port;
            var baseUri = new Uri($"http://127.0.0.1:{port}/");

            UserSetup? user = null;
            if (options.User is not null)
                user = await EnsureUserAsync(app.Services, options.User, options.Password, ct);

            return new RunningServer(app, azurite, baseUri, functionKey, storageDescription, connectionString, user, mapper.Functions, queueFunctions, timerFunctions);
        }
        catch
        {
            if (app is not null)
            {
                try { await app.StopAsync(CancellationToken.None); } catch (Exception) { /* already failing */ }
                await app.DisposeAsync();
            }
            if (azurite is not null)
                await azurite.DisposeAsync();
            throw;
        }
    }

    /// <summary>First run creates the user and an app password; a given password missing on an existing user is added.</summary>
    static async Task<UserSetup> EnsureUserAsync(IServiceProvider services, string userName, string? password, CancellationToken ct)
    {
        var accounts = services.GetRequiredService<IAccountService>();
        if (await accounts.GetUserAsync(userName, ct) is null)
        {
            var status = await accounts.CreateUserAsync(userName, null, null, ct);
            if (status == CreateUserStatus.InvalidName)
                throw new InvalidOperationException($"The account service refused the user name '{userName}'.");
            var created = await accounts.CreateAppPasswordAsync(userName, InitialPasswordLabel, password, ct)
                ?? throw new InvalidOperationException($"User '{userName}' vanished while its first app password was made.");
            return new UserSetup(userName, UserCreated: status == CreateUserStatus.Created, created.Password, created.Label);
        }
        // A data folder from before the address index: the start user becomes reachable by iMIP again.
        await accounts.IndexAddressAsync(userName, ct);
        if (password is null)
            return new UserSetup(userName, false, null, null);
        if (await accounts.VerifyAsync(userName, password, ct))
            return new UserSetup(userName, false, password, null);
        var added = await accounts.CreateAppPasswordAsync(userName, CommandLinePasswordLabel, password, ct)
            ?? throw new InvalidOperationException($"User '{userName}' vanished while an app password was added.");
        return new UserSetup(userName, false, added.Password, added.Label);
    }

    static string NewKey() =>
        Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    /// <summary>For in-process use: the host does not take over Ctrl+C / SIGTERM.</summary>
    sealed class NoSignalLifetime : IHostLifetime
    {
        public Task WaitForStartAsync(CancellationToken cancellationToken) => Task.CompletedTask;
        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}

/// <summary>What start-up did about the initial user.</summary>
/// <param name="Password">The clear-text app password when it was created or given this run; otherwise null.</param>
/// <param name="PasswordLabel">The label of the app password added this run, if any.</param>
public sealed record UserSetup(string UserName, bool UserCreated, string? Password, string? PasswordLabel);

using Caldera.Functions.Observability;
using Caldera.LocalHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Caldera.Infra.Tests;

/// <summary>A local host (in-memory Azurite, a free port) whose request log is captured.</summary>
public sealed class LocalServerFixture : IAsyncLifetime
{
    public const string User = "zoe-infra";
    public const string Password = "infra-app-password-1";

    public CapturingLoggerProvider Logs { get; } = new();
    public RunningServer Server { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        Server = await CalderaLocalServer.StartAsync(new LocalServerOptions
        {
            Port = 0,
            InMemory = true,
            User = User,
            Password = Password,
            StoragePrefix = "infratest",
            ConfigureServices = services => AddCapture(services, Logs),
        }, timeout.Token);
    }

    /// <summary>Captures Caldera's request log (Information) whatever the console's level.</summary>
    public static void AddCapture(IServiceCollection services, CapturingLoggerProvider provider)
    {
        services.AddSingleton<ILoggerProvider>(provider);
        services.Configure<LoggerFilterOptions>(o =>
        {
            o.Rules.Add(new LoggerFilterRule(typeof(CapturingLoggerProvider).FullName, typeof(RequestLogger).Namespace, LogLevel.Information, null));
            o.Rules.Add(new LoggerFilterRule(typeof(CapturingLoggerProvider).FullName, "Caldera.Functions.StorageHealthCheck", LogLevel.Information, null));
        });
    }

    public HttpClient CreateClient() => new() { BaseAddress = Server.BaseUri, Timeout = TimeSpan.FromSeconds(60) };

    public async Task DisposeAsync()
    {
        if (Server is not null)
            await Server.DisposeAsync();
    }
}

using Caldera.LocalHost.Queues;
using Caldera.Storage.Emulator;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Hosting;

namespace Caldera.LocalHost;

/// <summary>A started local server; disposing it stops Kestrel and the Azurite it started.</summary>
public sealed class RunningServer : IAsyncDisposable
{
    readonly WebApplication _app;
    readonly AzuriteProcess? _azurite;
    int _disposed;

    internal RunningServer(WebApplication app, AzuriteProcess? azurite, Uri baseUri, string functionKey,
        string storageDescription, string storageConnectionString, UserSetup? user, IReadOnlyList<HttpFunction> functions,
        IReadOnlyList<QueueFunction> queueFunctions, IReadOnlyList<Timers.TimerFunction> timerFunctions)
    {
        _app = app;
        _azurite = azurite;
        BaseUri = baseUri;
        FunctionKey = functionKey;
        StorageDescription = storageDescription;
        StorageConnectionString = storageConnectionString;
        User = user;
        Functions = functions;
        QueueFunctions = queueFunctions;
        TimerFunctions = timerFunctions;
        // Backstop: never leave Azurite (a node process) running when this process goes away without disposing.
        AppDomain.CurrentDomain.ProcessExit += OnProcessExit;
    }

    /// <summary>http://127.0.0.1:{port}/</summary>
    public Uri BaseUri { get; }

    /// <summary>The key that non-anonymous (management) functions require.</summary>
    public string FunctionKey { get; }

    public string StorageDescription { get; }

    public string StorageConnectionString { get; }

    /// <summary>The initial user, when one was ensured.</summary>
    public UserSetup? User { get; }

    /// <summary>The HTTP functions served, in the order they are tried.</summary>
    public IReadOnlyList<HttpFunction> Functions { get; }

    /// <summary>The queue-triggered functions whose queues are polled (one hosted pump each).</summary>
    public IReadOnlyList<QueueFunction> QueueFunctions { get; }

    /// <summary>The timer-triggered functions run on their schedules (one hosted runner each).</summary>
    public IReadOnlyList<Timers.TimerFunction> TimerFunctions { get; }

    public IServiceProvider Services => _app.Services;

    /// <summary>Where outbound invitation emails go, from the current Caldera:Smtp settings (never the password).</summary>
    public string OutboundMail =>
        Microsoft.Extensions.DependencyInjection.ServiceProviderServiceExtensions
            .GetRequiredService<Func<Caldera.Imip.Outbound.SmtpSettings>>(Services)().Describe();

    /// <summary>The Azurite this host started, or null when it was given a connection string.</summary>
    public AzuriteProcess? Azurite => _azurite;

    /// <summary>Completes when the host is asked to stop (Ctrl+C / SIGTERM when signals are handled).</summary>
    public Task WaitForShutdownAsync(CancellationToken ct = default) => _app.WaitForShutdownAsync(ct);

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
            return;
        AppDomain.CurrentDomain.ProcessExit -= OnProcessExit;
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            await _app.StopAsync(timeout.Token);
        }
        finally
        {
            await _app.DisposeAsync();
            if (_azurite is not null)
                await _azurite.DisposeAsync();
        }
    }

    void OnProcessExit(object? sender, EventArgs e)
    {
        if (_azurite is not null && Interlocked.Exchange(ref _disposed, 1) == 0)
            _azurite.DisposeAsync().AsTask().GetAwaiter().GetResult();
    }
}

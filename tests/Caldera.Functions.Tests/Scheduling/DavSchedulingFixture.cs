using System.Net.Http.Headers;
using System.Text;
using Caldera.Calendars.Accounts;
using Caldera.Calendars.Scheduling;
using Caldera.LocalHost;
using Microsoft.Extensions.DependencyInjection;

namespace Caldera.Functions.Tests.Scheduling;

/// <summary>
/// The local host over in-memory Azurite with <see cref="DavRecordingScheduler"/> as the implicit scheduler, and users
/// alice, bob and dora (dora@example.com) with known app passwords: the DAV side of scheduling, end to end over HTTP.
/// </summary>
public sealed class DavSchedulingFixture : IAsyncLifetime
{
    public static readonly IReadOnlyDictionary<string, string> Passwords = new Dictionary<string, string>
    {
        ["alice"] = "alice-sched-password-1",
        ["bob"] = "bob-sched-password-22",
        ["dora"] = "dora-sched-password-333",
    };

    RunningServer? _server;
    readonly SocketsHttpHandler _handler = new() { PooledConnectionLifetime = TimeSpan.FromMinutes(1) };

    public DavRecordingScheduler Scheduler { get; } = new();

    public RunningServer Server => _server ?? throw new InvalidOperationException("the server is not started");

    public Uri BaseUri => Server.BaseUri;

    public IServiceProvider Services => Server.Services;

    public async Task InitializeAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        _server = await CalderaLocalServer.StartAsync(new LocalServerOptions
        {
            Port = 0,
            InMemory = true,
            User = null,
            Configuration = new Dictionary<string, string?> { ["Caldera:Quota:MaxCalendars"] = "100000" },
            // Registered after Caldera's own services, so this scheduler is the one the engine gets.
            ConfigureServices = services => services.AddSingleton<IImplicitScheduler>(Scheduler),
        }, timeout.Token);
        var accounts = Services.GetRequiredService<IAccountService>();
        foreach (var (user, password) in Passwords)
        {
            var status = await accounts.CreateUserAsync(user, user, $"{user}@example.com", timeout.Token);
            if (status != CreateUserStatus.Created)
                throw new InvalidOperationException($"could not create {user}: {status}");
            _ = await accounts.CreateAppPasswordAsync(user, "tests", password, timeout.Token)
                ?? throw new InvalidOperationException($"could not make an app password for {user}");
        }
    }

    public HttpClient CreateClient(string user)
    {
        var client = new HttpClient(_handler, disposeHandler: false) { BaseAddress = BaseUri, Timeout = TimeSpan.FromSeconds(60) };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue(
            "Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{user}:{Passwords[user]}")));
        return client;
    }

    public async Task DisposeAsync()
    {
        _handler.Dispose();
        if (_server is not null)
            await _server.DisposeAsync();
    }
}

[CollectionDefinition(Name)]
public sealed class DavSchedulingCollection : ICollectionFixture<DavSchedulingFixture>
{
    public const string Name = "DAV scheduling";
}

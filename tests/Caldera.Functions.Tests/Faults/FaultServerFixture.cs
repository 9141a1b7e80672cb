using System.Collections.Concurrent;
using System.Net.Http.Headers;
using System.Text;
using Azure.Core;
using Caldera.Calendars.Accounts;
using Caldera.LocalHost;
using Caldera.Storage;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;

namespace Caldera.Functions.Tests.Faults;

/// <summary>
/// A local host of its own (in-memory Azurite) whose storage clients carry a <see cref="FaultInjectionPolicy"/>. A request
/// sent with <see cref="PlanHeader"/> is armed with that plan for its whole flow; <see cref="PlanOf"/> then tells how
/// many storage calls it made and how many faults it met. The SDK's retry delays are cut to milliseconds so an
/// outage costs its retries, not seconds (their number is unchanged).
/// </summary>
public sealed class FaultServerFixture : IAsyncLifetime
{
    public const string User = "faulty";
    public const string Password = "faulty-app-password-1";
    public const string Invitee = "invitee";
    public const string InviteeAddress = "invitee@example.com";
    const string PlanHeader = "X-Test-Fault-Plan";
    const string IdHeader = "X-Test-Fault-Id";

    RunningServer? _server;
    readonly SocketsHttpHandler _handler = new();
    readonly ConcurrentDictionary<string, FaultPlan> _plans = new();

    public FaultInjectionPolicy Policy { get; } = new();
    public RunningServer Server => _server ?? throw new InvalidOperationException("not started");
    public IServiceProvider Services => Server.Services;

    public async Task InitializeAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        _server = await CalderaLocalServer.StartAsync(new LocalServerOptions
        {
            Port = 0,
            InMemory = true,
            User = null,
            // Every injected outage is logged (a warning with its stack); the test output keeps the figures instead.
            LogLevel = Microsoft.Extensions.Logging.LogLevel.Error,
            // Every case makes fresh calendars for one user: hundreds, far past the default calendar quota.
            Configuration = new Dictionary<string, string?> { ["Caldera:Quota:MaxCalendars"] = "100000" },
            ConfigureServices = services =>
            {
                services.AddSingleton(new StorageClientHook(options =>
                {
                    options.AddPolicy(Policy, HttpPipelinePosition.PerRetry);
                    options.Retry.Delay = TimeSpan.FromMilliseconds(1);
                    options.Retry.MaxDelay = TimeSpan.FromMilliseconds(5);
                }));
                services.AddSingleton<IStartupFilter>(new ArmingFilter(this));
            },
        }, timeout.Token);
        var accounts = Services.GetRequiredService<IAccountService>();
        // The invitee of the iMIP matrix is apart: iMIP apply reads every calendar of its user, and the other tests make many.
        foreach (var (user, address) in new[] { (User, "faulty@example.com"), (Invitee, InviteeAddress) })
        {
            Assert.Equal(CreateUserStatus.Created, await accounts.CreateUserAsync(user, null, address, timeout.Token));
            await accounts.CreateAppPasswordAsync(user, "tests", Password, timeout.Token);
        }
    }

    public async Task DisposeAsync()
    {
        _handler.Dispose();
        if (_server is not null)
            await _server.DisposeAsync();
    }

    public HttpClient Client(string user = User)
    {
        var client = new HttpClient(_handler, disposeHandler: false) { BaseAddress = Server.BaseUri, Timeout = TimeSpan.FromSeconds(60) };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{user}:{Password}")));
        return client;
    }

    /// <summary>Marks <paramref name="request"/> to run under <paramref name="plan"/>; returns the id <see cref="PlanOf"/> takes.</summary>
    public string Arm(HttpRequestMessage request, FaultPlan plan)
    {
        var id = Guid.NewGuid().ToString("N");
        _plans[id] = plan;
        request.Headers.Add(PlanHeader, "armed");
        request.Headers.Add(IdHeader, id);
        return id;
    }

    public FaultPlan PlanOf(string id) => _plans[id];

    /// <summary>Arms the request's flow before anything else of the app runs (so the authentication's reads count too).</summary>
    sealed class ArmingFilter(FaultServerFixture fixture) : IStartupFilter
    {
        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            app.Use(async (context, proceed) =>
            {
                if (context.Request.Headers.TryGetValue(IdHeader, out var id) && fixture._plans.TryGetValue(id.ToString(), out var plan))
                {
                    using (fixture.Policy.Arm(plan))
                        await proceed(context);
                    return;
                }
                await proceed(context);
            });
            next(app);
        };
    }
}

[CollectionDefinition(Name)]
public sealed class FaultServerCollection : ICollectionFixture<FaultServerFixture>
{
    public const string Name = "Caldera fault server";
}

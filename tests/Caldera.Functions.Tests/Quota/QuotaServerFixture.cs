using System.Net.Http.Headers;
using System.Text;
using Caldera.Calendars.Accounts;
using Caldera.LocalHost;
using Microsoft.Extensions.DependencyInjection;

namespace Caldera.Functions.Tests.Quota;

/// <summary>
/// A local host of its own (Azurite in memory) with small quotas, so a test reaches them in a few writes. Each test makes
/// its own users (<see cref="NewUserAsync"/>), so their usage starts at the default calendar, empty.
/// </summary>
public sealed class QuotaServerFixture : IAsyncLifetime
{
    public const long MaxCalendars = 3, MaxObjects = 4, MaxBytes = 2000;
    const string Password = "quota-test-password-1";

    RunningServer? _server;
    readonly SocketsHttpHandler _handler = new();

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
            Configuration = new Dictionary<string, string?>
            {
                ["Caldera:Quota:MaxCalendars"] = MaxCalendars.ToString(System.Globalization.CultureInfo.InvariantCulture),
                ["Caldera:Quota:MaxObjects"] = MaxObjects.ToString(System.Globalization.CultureInfo.InvariantCulture),
                ["Caldera:Quota:MaxBytes"] = MaxBytes.ToString(System.Globalization.CultureInfo.InvariantCulture),
            },
        }, timeout.Token);
    }

    /// <summary>A new user (with the default calendar) and its address user@example.com.</summary>
    public async Task<string> NewUserAsync(string prefix = "q")
    {
        var user = prefix + Guid.NewGuid().ToString("N")[..10];
        var accounts = Services.GetRequiredService<IAccountService>();
        Assert.Equal(CreateUserStatus.Created, await accounts.CreateUserAsync(user, user, $"{user}@example.com", CancellationToken.None));
        Assert.NotNull(await accounts.CreateAppPasswordAsync(user, "tests", Password, CancellationToken.None));
        return user;
    }

    public HttpClient CreateClient(string user)
    {
        var client = new HttpClient(_handler, disposeHandler: false) { BaseAddress = Server.BaseUri, Timeout = TimeSpan.FromSeconds(60) };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{user}:{Password}")));
        return client;
    }

    public HttpClient CreateManagementClient()
    {
        var client = new HttpClient(_handler, disposeHandler: false) { BaseAddress = Server.BaseUri, Timeout = TimeSpan.FromSeconds(60) };
        client.DefaultRequestHeaders.Add("x-functions-key", Server.FunctionKey);
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
public sealed class QuotaServerCollection : ICollectionFixture<QuotaServerFixture>
{
    public const string Name = "Quota server";
}

using System.Net.Http.Headers;
using System.Text;
using Caldera.Calendars.Accounts;
using Caldera.LocalHost;
using Microsoft.Extensions.DependencyInjection;

namespace Caldera.Functions.Tests;

/// <summary>
/// One in-process Caldera (the local host on 127.0.0.1, a free port, in-memory Azurite) shared by the tests of
/// <see cref="CalderaServerCollection"/>, with two users <c>alice</c> and <c>bob</c> whose app passwords are known.
/// Use it from end-to-end tests with <c>[Collection(CalderaServerCollection.Name)]</c> and a constructor parameter.
/// </summary>
public sealed class CalderaServerFixture : IAsyncLifetime
{
    public const string Alice = "alice";
    public const string Bob = "bob";

    /// <summary>Known app passwords (chosen passwords need at least 12 characters).</summary>
    public static readonly IReadOnlyDictionary<string, string> Passwords = new Dictionary<string, string>
    {
        [Alice] = "alice-app-password-1",
        [Bob] = "bob-app-password-22",
    };

    RunningServer? _server;
    readonly SocketsHttpHandler _handler = new() { PooledConnectionLifetime = TimeSpan.FromMinutes(1) };

    public RunningServer Server => _server ?? throw new InvalidOperationException("the server is not started");

    /// <summary>http://127.0.0.1:{port}/</summary>
    public Uri BaseUri => Server.BaseUri;

    public string FunctionKey => Server.FunctionKey;

    public IServiceProvider Services => Server.Services;

    public async Task InitializeAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        _server = await CalderaLocalServer.StartAsync(new LocalServerOptions
        {
            Port = 0,
            InMemory = true,
            User = null, // the users below are made here, with known passwords
            // Most tests make a calendar of their own for alice: together far more than the default quota of 100.
            Configuration = new Dictionary<string, string?> { ["Caldera:Quota:MaxCalendars"] = "100000" },
        }, timeout.Token);

        var accounts = Services.GetRequiredService<IAccountService>();
        foreach (var (user, password) in Passwords)
        {
            var status = await accounts.CreateUserAsync(user, user[..1].ToUpperInvariant() + user[1..], $"{user}@example.com", timeout.Token);
            if (status != CreateUserStatus.Created)
                throw new InvalidOperationException($"could not create {user}: {status}");
            _ = await accounts.CreateAppPasswordAsync(user, "tests", password, timeout.Token)
                ?? throw new InvalidOperationException($"could not make an app password for {user}");
        }
    }

    public string PasswordOf(string user) => Passwords[user];

    /// <summary>A client for <paramref name="user"/> (Basic auth with its app password), based at <see cref="BaseUri"/>.</summary>
    public HttpClient CreateClient(string user) => CreateClient(user, PasswordOf(user));

    public HttpClient CreateClient(string user, string password)
    {
        var client = CreateAnonymousClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue(
            "Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{user}:{password}")));
        return client;
    }

    /// <summary>A client without credentials.</summary>
    public HttpClient CreateAnonymousClient() =>
        new(_handler, disposeHandler: false) { BaseAddress = BaseUri, Timeout = TimeSpan.FromSeconds(60) };

    /// <summary>A client that sends the function key (for the manage/ API).</summary>
    public HttpClient CreateManagementClient()
    {
        var client = CreateAnonymousClient();
        client.DefaultRequestHeaders.Add("x-functions-key", FunctionKey);
        return client;
    }

    public async Task DisposeAsync()
    {
        _handler.Dispose();
        if (_server is not null)
            await _server.DisposeAsync();
    }
}

/// <summary>The tests that share one <see cref="CalderaServerFixture"/> (they run one after another).</summary>
[CollectionDefinition(Name)]
public sealed class CalderaServerCollection : ICollectionFixture<CalderaServerFixture>
{
    public const string Name = "Caldera server";
}

using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Caldera.Calendars.Accounts;
using Caldera.Functions;
using Caldera.LocalHost;
using Caldera.LocalHost.Queues;
using Microsoft.Extensions.DependencyInjection;

namespace Caldera.Web.Tests;

/// <summary>
/// One in-process Caldera (the local host on 127.0.0.1, a free port, in-memory Azurite) for the web tests, with users
/// whose first app passwords are known. Feeds may come from loopback here (a test serves its own .ics).
/// Each test makes what it needs under names of its own, so tests in the collection do not depend on one another.
/// </summary>
public sealed class WebServerFixture : IAsyncLifetime
{
    public const string Alice = "alice";
    public const string Bob = "bob";
    public const string Carol = "carol";

    /// <summary>Known app passwords (chosen passwords need at least 12 characters).</summary>
    public static readonly IReadOnlyDictionary<string, string> Passwords = new Dictionary<string, string>
    {
        [Alice] = "alice-web-password-1",
        [Bob] = "bob-web-password-22",
        [Carol] = "carol-web-password-333",
    };

    RunningServer? _server;

    public RunningServer Server => _server ?? throw new InvalidOperationException("the server is not started");

    /// <summary>http://127.0.0.1:{port}/</summary>
    public Uri BaseUri => Server.BaseUri;

    /// <summary>http://127.0.0.1:{port}/web/</summary>
    public Uri WebUri => new(BaseUri, WebRoutes.BasePath);

    public string FunctionKey => Server.FunctionKey;

    public IServiceProvider Services => Server.Services;

    public async Task InitializeAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        _server = await CalderaLocalServer.StartAsync(new LocalServerOptions
        {
            Port = 0,
            InMemory = true,
            User = null,
            // host.json's queue settings, but an idle queue is polled at least every 250 ms (not every minute), so a
            // test's iMIP email is processed at once.
            Queues = HostJsonQueueSettings.Read(Path.Combine(Path.GetDirectoryName(typeof(CalderaServices).Assembly.Location)!, "host.json"))
                with { MaxPollingInterval = TimeSpan.FromMilliseconds(250) },
            Configuration = new Dictionary<string, string?>
            {
                ["Caldera:Subscriptions:AllowPrivateAddresses"] = "true",
                ["Caldera:Quota:MaxCalendars"] = "10000",
            },
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

    /// <summary>A CalDAV client for <paramref name="user"/> (Basic auth), based at <see cref="BaseUri"/>.</summary>
    public HttpClient CreateDavClient(string user, string? password = null)
    {
        var client = new HttpClient { BaseAddress = BaseUri, Timeout = TimeSpan.FromSeconds(60) };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue(
            "Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{user}:{password ?? PasswordOf(user)}")));
        return client;
    }

    /// <summary>A client with its own cookie jar and no credentials (a browser-like client of /web/api/).</summary>
    public HttpClient CreateWebClient(CookieContainer? cookies = null) =>
        new(new HttpClientHandler { CookieContainer = cookies ?? new CookieContainer(), UseCookies = true, AllowAutoRedirect = false })
        {
            BaseAddress = BaseUri,
            Timeout = TimeSpan.FromSeconds(60),
        };

    /// <summary>A client that sends the function key (for the manage/ API).</summary>
    public HttpClient CreateManagementClient()
    {
        var client = new HttpClient { BaseAddress = BaseUri, Timeout = TimeSpan.FromSeconds(60) };
        client.DefaultRequestHeaders.Add("x-functions-key", FunctionKey);
        return client;
    }

    public async Task DisposeAsync()
    {
        if (_server is not null)
            await _server.DisposeAsync();
    }
}

/// <summary>The tests that share one <see cref="WebServerFixture"/> (they run one after another).</summary>
[CollectionDefinition(Name)]
public sealed class WebServerCollection : ICollectionFixture<WebServerFixture>
{
    public const string Name = "Web server";
}

using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using Caldera.Calendars;
using Caldera.Calendars.Accounts;
using Caldera.Calendars.Registry;
using Caldera.Calendars.Scheduling;
using Caldera.Functions.Tests.Imip;
using Caldera.LocalHost;
using Caldera.LocalHost.Queues;
using Caldera.Storage;
using Caldera.Storage.Registry;
using Microsoft.Extensions.DependencyInjection;

namespace Caldera.Functions.Tests.Scheduling;

/// <summary>
/// A local host of its own for implicit scheduling (RFC 6638) on in-memory Azurite, with the queue pump's waits
/// shortened, and users: alice and bob (the usual organizer and attendee), dave (a sharee of alice's calendars),
/// handled (whose iMIP goes to a provider calendar) and poisoned (whose iMIP provider always fails).
/// </summary>
public sealed class SchedulingServerFixture : IAsyncLifetime
{
    public static readonly IReadOnlyDictionary<string, string> Users = new Dictionary<string, string>
    {
        ["alice"] = "alice@example.com",
        ["bob"] = "bob@example.com",
        ["dave"] = "dave@example.com",
        ["handled"] = "handled@example.com",
        ["poisoned"] = "poisoned@example.com",
    };
    const string Password = "scheduling-test-password-1";

    RunningServer? _server;
    readonly SocketsHttpHandler _handler = new();

    public RunningServer Server => _server ?? throw new InvalidOperationException("not started");
    public IServiceProvider Services => Server.Services;
    public ICalendarStore Store => Services.GetRequiredService<ICalendarStore>();

    public async Task InitializeAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        var hostJson = Path.Combine(Path.GetDirectoryName(typeof(CalderaServices).Assembly.Location)!, "host.json");
        var queues = HostJsonQueueSettings.Read(hostJson) with
        {
            MaxPollingInterval = TimeSpan.FromMilliseconds(200),
            VisibilityTimeout = TimeSpan.FromMilliseconds(200),
        };
        _server = await CalderaLocalServer.StartAsync(new LocalServerOptions
        {
            Port = 0,
            InMemory = true,
            User = null,
            Queues = queues,
            Configuration = new Dictionary<string, string?> { ["Caldera:Quota:MaxCalendars"] = "100000" },
            ConfigureServices = services =>
            {
                services.AddCalendarProvider<ImipSinkProvider>();
                services.AddCalendarProvider<ExplodingImipProvider>();
            },
        }, timeout.Token);
        var accounts = Services.GetRequiredService<IAccountService>();
        foreach (var (user, email) in Users)
        {
            Assert.Equal(CreateUserStatus.Created, await accounts.CreateUserAsync(user, null, email, timeout.Token));
            await accounts.CreateAppPasswordAsync(user, "tests", Password, timeout.Token);
        }
        var registry = Services.GetRequiredService<IProviderRegistryStore>();
        await registry.UpsertAsync(new ProviderRegistration("handled", ImipSinkProvider.Id, true, null), timeout.Token);
        await registry.UpsertAsync(new ProviderRegistration("poisoned", ExplodingImipProvider.Id, true, null), timeout.Token);
        Services.GetRequiredService<ProviderRegistry>().Invalidate();
    }

    public async Task DisposeAsync()
    {
        _handler.Dispose();
        if (_server is not null)
            await _server.DisposeAsync();
    }

    public HttpClient Anonymous() => new(_handler, disposeHandler: false) { BaseAddress = Server.BaseUri, Timeout = TimeSpan.FromSeconds(60) };

    public HttpClient Management()
    {
        var client = Anonymous();
        client.DefaultRequestHeaders.Add("x-functions-key", Server.FunctionKey);
        return client;
    }

    public HttpClient Dav(string user)
    {
        var client = Anonymous();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{user}:{Password}")));
        return client;
    }

    /// <summary>Shares <paramref name="owner"/>'s calendar with <paramref name="sharee"/> (manage API).</summary>
    public async Task ShareAsync(string owner, string calendar, string sharee, string access)
    {
        using var manage = Management();
        using var r = await manage.PutAsJsonAsync($"manage/users/{owner}/calendars/{calendar}/shares/{sharee}", new { access });
        Assert.Equal(System.Net.HttpStatusCode.OK, r.StatusCode);
    }

    /// <summary>The name of the object holding <paramref name="uid"/> in a stored calendar of <paramref name="user"/>, or null.</summary>
    public async Task<string?> FindAsync(string user, string calendar, string uid)
    {
        var record = await Store.GetCalendarAsync(user, calendar, default);
        return record is null ? null : await Store.FindNameByUidAsync(record, uid, default);
    }

    /// <summary>The bodies of the messages in <paramref name="user"/>'s scheduling inbox that name <paramref name="uid"/>.</summary>
    public async Task<IReadOnlyList<string>> InboxAsync(string user, string uid)
    {
        if (await Store.GetCalendarAsync(user, ScheduleCollections.Inbox, default) is not { } inbox)
            return [];
        var bodies = new List<string>();
        foreach (var o in await Store.ListObjectsAsync(inbox, default))
            if (await Store.ReadBodyAsync(o, default) is { } body && Encoding.UTF8.GetString(body).Contains($"UID:{uid}\r\n", StringComparison.Ordinal))
                bodies.Add(Encoding.UTF8.GetString(body));
        return bodies;
    }
}

[CollectionDefinition(Name)]
public sealed class SchedulingServerCollection : ICollectionFixture<SchedulingServerFixture>
{
    public const string Name = "Caldera scheduling server";
}

using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Caldera.Calendars;
using Caldera.Calendars.Accounts;
using Caldera.Calendars.Registry;
using Caldera.LocalHost;
using Caldera.LocalHost.Queues;
using Caldera.Storage.Registry;
using Microsoft.Extensions.DependencyInjection;

namespace Caldera.Functions.Tests.Imip;

/// <summary>
/// A local host of its own for iMIP (the queue function runs through the local host's queue pump on Azurite),
/// with host.json's queue settings but short polling and retry intervals, the two test providers, and users:
/// alice (an invitee), bob, olga (the organizer, organizer@example.com), handled (iMIP goes to a provider
/// calendar), poisoned (whose iMIP provider always fails) and flaky (whose provider fails once per message).
/// </summary>
public sealed class ImipServerFixture : IAsyncLifetime
{
    public const long MaxMessageBytes = 8 * 1024 * 1024;
    /// <summary>The invitee and the organizer most tests use.</summary>
    public const string Alice = "alice@example.com";
    public const string Organizer = "organizer@example.com";

    /// <summary>The .eml fixtures of Caldera.Imip.Tests, linked into this project's output.</summary>
    public static string FixturePath(string name) => Path.Combine(AppContext.BaseDirectory, "Imip", "Fixtures", name);

    public static readonly IReadOnlyDictionary<string, string> Users = new Dictionary<string, string>
    {
        ["alice"] = "alice@example.com",
        ["bob"] = "bob@example.org",
        ["olga"] = "Organizer@Example.com", // compared case-insensitively
        ["handled"] = "handled@example.com",
        ["poisoned"] = "poisoned@example.com",
        ["flaky"] = "flaky@example.com",
        ["caldera"] = "caldera@localhost", // the local host's start user, as README's example addresses it
    };
    const string Password = "imip-test-password-1";

    RunningServer? _server;
    readonly SocketsHttpHandler _handler = new();

    public RunningServer Server => _server ?? throw new InvalidOperationException("not started");
    public IServiceProvider Services => Server.Services;
    public QueueSettings Queues { get; private set; } = QueueSettings.Default;

    public async Task InitializeAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        var hostJson = Path.Combine(Path.GetDirectoryName(typeof(CalderaServices).Assembly.Location)!, "host.json");
        // host.json's dequeue limit and batch size; only the waits are shortened so retries take milliseconds.
        Queues = HostJsonQueueSettings.Read(hostJson) with
        {
            MaxPollingInterval = TimeSpan.FromMilliseconds(200),
            VisibilityTimeout = TimeSpan.FromMilliseconds(200),
        };
        _server = await CalderaLocalServer.StartAsync(new LocalServerOptions
        {
            Port = 0,
            InMemory = true,
            User = null,
            Queues = Queues,
            Configuration = new Dictionary<string, string?> { ["Caldera:Imip:MaxMessageBytes"] = MaxMessageBytes.ToString() },
            ConfigureServices = services =>
            {
                services.AddCalendarProvider<ImipSinkProvider>();
                services.AddCalendarProvider<ExplodingImipProvider>();
                services.AddCalendarProvider<FlakyImipProvider>();
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
        await registry.UpsertAsync(new ProviderRegistration("flaky", FlakyImipProvider.Id, true, null), timeout.Token);
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

    /// <summary>POST /imip as an inbound mail service would; returns the receipt id.</summary>
    public async Task<string> PostAsync(byte[] raw, string recipient)
    {
        using var client = Management();
        using var content = new ByteArrayContent(raw);
        content.Headers.ContentType = new MediaTypeHeaderValue("message/rfc822");
        using var request = new HttpRequestMessage(HttpMethod.Post, "imip") { Content = content };
        request.Headers.Add("X-Caldera-Recipient", recipient);
        using var response = await client.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.Accepted, $"POST /imip: {(int)response.StatusCode} {text}");
        return JsonDocument.Parse(text).RootElement.GetProperty("id").GetString()!;
    }

    /// <summary>Waits for the status row of <paramref name="id"/> to end (or, with <paramref name="until"/>, to satisfy it).</summary>
    public async Task<ImipRow> WaitAsync(string? user, string id, Func<ImipRow, bool>? until = null)
    {
        until ??= r => r.Status != "failed";
        using var client = Management();
        var path = user is null ? "manage/imip/unknown?limit=1000" : $"manage/users/{user}/imip?limit=1000";
        var deadline = DateTime.UtcNow.AddSeconds(60);
        ImipRow? last = null;
        while (DateTime.UtcNow < deadline)
        {
            var rows = JsonSerializer.Deserialize<List<ImipRow>>(await client.GetStringAsync(path), JsonOptions)!;
            last = rows.FirstOrDefault(r => r.Id == id);
            if (last is not null && until(last))
                return last;
            await Task.Delay(100);
        }
        throw new Xunit.Sdk.XunitException($"status of {id} for {user ?? "unknown recipients"} did not end: {last}");
    }

    public async Task<ImipRow> DeliverAsync(byte[] raw, string recipient, string? user) =>
        await WaitAsync(user, await PostAsync(raw, recipient));

    static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerDefaults.Web);
}

/// <summary>A status row as the management API lists it.</summary>
public sealed record ImipRow(string Id, string Recipient, string Status, string? Code, string? Reason, string? Method, string? Uid,
    string? MessageId, string? From, string? Blob, string? Calendar, string? ObjectName, long Attempts);

[CollectionDefinition(Name)]
public sealed class ImipServerCollection : ICollectionFixture<ImipServerFixture>
{
    public const string Name = "Caldera iMIP server";
}

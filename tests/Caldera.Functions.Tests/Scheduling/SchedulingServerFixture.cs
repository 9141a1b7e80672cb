using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using Caldera.Calendars;
using Caldera.Calendars.Accounts;
using Caldera.Calendars.Registry;
using Caldera.Calendars.Scheduling;
using Caldera.Functions.Tests.Imip;
using Caldera.Functions.Tests.Outbound;
using Caldera.LocalHost;
using Caldera.LocalHost.Queues;
using Caldera.Storage;
using Caldera.Storage.Registry;
using Microsoft.Extensions.DependencyInjection;

namespace Caldera.Functions.Tests.Scheduling;

/// <summary>
/// A local host of its own for implicit scheduling (RFC 6638) on in-memory Azurite, with the queue pump's waits
/// shortened, and users: alice and bob (the usual organizer and attendee), dave (a sharee of alice's calendars),
/// handled (whose iMIP goes to a provider calendar) and poisoned (whose iMIP provider always fails); outside
/// addresses are mailed through a real SMTP server in process (<see cref="Smtp"/>).
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
    public const string Password = "scheduling-test-password-1";

    RunningServer? _server;
    CapturingSmtpServer? _smtp;
    readonly SocketsHttpHandler _handler = new();

    /// <summary>The SMTP server outbound invitations go to.</summary>
    public CapturingSmtpServer Smtp => _smtp ?? throw new InvalidOperationException("not started");

    public RunningServer Server => _server ?? throw new InvalidOperationException("not started");
    public IServiceProvider Services => Server.Services;
    public ICalendarStore Store => Services.GetRequiredService<ICalendarStore>();

    public async Task InitializeAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        _smtp = await CapturingSmtpServer.StartAsync();
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
            Configuration = new Dictionary<string, string?>
            {
                ["Caldera:Quota:MaxCalendars"] = "100000",
                ["Caldera:Smtp:Host"] = "127.0.0.1",
                ["Caldera:Smtp:Port"] = _smtp.Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
                ["Caldera:Smtp:Security"] = "None",
                ["Caldera:Smtp:From"] = "Caldera <caldera@example.com>",
            },
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
        if (_smtp is not null)
            await _smtp.DisposeAsync();
    }

    /// <summary>POSTs a raw email to /imip for <paramref name="recipient"/> and waits for its status row to end.</summary>
    public async Task<ImipRow> PostImipAsync(byte[] raw, string recipient, string user)
    {
        using var client = Management();
        using var content = new ByteArrayContent(raw);
        content.Headers.ContentType = new MediaTypeHeaderValue("message/rfc822");
        using var request = new HttpRequestMessage(HttpMethod.Post, "imip") { Content = content };
        request.Headers.Add("X-Caldera-Recipient", recipient);
        using var response = await client.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == System.Net.HttpStatusCode.Accepted, $"POST /imip: {(int)response.StatusCode} {text}");
        var id = System.Text.Json.JsonDocument.Parse(text).RootElement.GetProperty("id").GetString()!;
        var deadline = DateTime.UtcNow.AddSeconds(60);
        ImipRow? last = null;
        while (DateTime.UtcNow < deadline)
        {
            last = (await client.GetFromJsonAsync<List<ImipRow>>($"manage/users/{user}/imip?limit=1000", OutboundServerFixture.Json))!.FirstOrDefault(r => r.Id == id);
            if (last is not null && last.Status != "failed")
                return last;
            await Task.Delay(100);
        }
        throw new Xunit.Sdk.XunitException($"iMIP message {id} for {user} did not end: {last}");
    }

    /// <summary>The outbound email rows of <paramref name="user"/> (management API), newest first.</summary>
    public async Task<IReadOnlyList<OutboundRow>> OutboundAsync(string user)
    {
        using var client = Management();
        return (await client.GetFromJsonAsync<List<OutboundRow>>($"manage/users/{user}/imip/outbound?limit=1000", OutboundServerFixture.Json))!;
    }

    /// <summary>Waits for the email to <paramref name="to"/> about <paramref name="uid"/> to be sent, and returns its row and the mail the SMTP server got.</summary>
    public async Task<(OutboundRow Row, CapturedMail Mail)> SentAsync(string user, string to, string uid, string method)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        OutboundRow? row = null;
        while (DateTime.UtcNow < deadline)
        {
            row = (await OutboundAsync(user)).FirstOrDefault(r => r.To == to && r.Uid == uid && r.Method == method);
            if (row is { Status: "sent" })
                return (row, await OutboundServerFixture.ReceivedAsync(Smtp, row.MessageId));
            await Task.Delay(100);
        }
        throw new Xunit.Sdk.XunitException($"no {method} for {uid} to {to} was sent for {user}: {row}");
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

using System.Net.Http.Json;
using System.Text.Json;
using Caldera.Calendars.Accounts;
using Caldera.Imip.Outbound;
using Caldera.LocalHost;
using Caldera.LocalHost.Queues;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Caldera.Functions.Tests.Outbound;

/// <summary>
/// A local host of its own for outbound iMIP: the ImipSend queue function runs through the local host's queue pump
/// on Azurite with host.json's dequeue limit but short waits; user alice (alice@example.com). No SMTP relay at start:
/// each test points <c>Caldera:Smtp</c> where it wants with <see cref="UseSmtp"/> (the settings are read at every
/// send, as in the app), and enqueues through the app's own <see cref="IOutboundImip"/>.
/// </summary>
public sealed class OutboundServerFixture : IAsyncLifetime
{
    public const string User = "alice";
    public const string SystemFrom = "caldera@example.com";

    RunningServer? _server;
    readonly SocketsHttpHandler _handler = new();

    public RunningServer Server => _server ?? throw new InvalidOperationException("not started");
    public IServiceProvider Services => Server.Services;
    public QueueSettings Queues { get; private set; } = QueueSettings.Default;
    public IOutboundImip Outbound => Services.GetRequiredService<IOutboundImip>();

    public async Task InitializeAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        var hostJson = Path.Combine(Path.GetDirectoryName(typeof(CalderaServices).Assembly.Location)!, "host.json");
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
            Configuration = new Dictionary<string, string?> { ["Caldera:Smtp:From"] = $"Caldera <{SystemFrom}>" },
        }, timeout.Token);
        var accounts = Services.GetRequiredService<IAccountService>();
        Assert.Equal(CreateUserStatus.Created, await accounts.CreateUserAsync(User, "Alice", "alice@example.com", timeout.Token));
    }

    public async Task DisposeAsync()
    {
        _handler.Dispose();
        if (_server is not null)
            await _server.DisposeAsync();
    }

    /// <summary>Points Caldera:Smtp at a plain SMTP server on loopback <paramref name="port"/>, or at nothing (null).</summary>
    public void UseSmtp(int? port)
    {
        var configuration = Services.GetRequiredService<IConfiguration>();
        configuration["Caldera:Smtp:Host"] = port is null ? "" : "127.0.0.1";
        configuration["Caldera:Smtp:Port"] = port?.ToString() ?? "";
        configuration["Caldera:Smtp:Security"] = "None";
    }

    public HttpClient Management()
    {
        var client = new HttpClient(_handler, disposeHandler: false) { BaseAddress = Server.BaseUri, Timeout = TimeSpan.FromSeconds(60) };
        client.DefaultRequestHeaders.Add("x-functions-key", Server.FunctionKey);
        return client;
    }

    public async Task<(int Code, string Output)> AdminAsync(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var env = new Dictionary<string, string?> { ["CALDERA_URL"] = Server.BaseUri.ToString(), ["CALDERA_FUNCTION_KEY"] = Server.FunctionKey };
        var code = await Caldera.Admin.AdminCommand.RunAsync(args, output, error, n => env.GetValueOrDefault(n), CancellationToken.None);
        return (code, output.ToString() + error);
    }

    public async Task<IReadOnlyList<OutboundRow>> ListAsync(string? status = null)
    {
        using var client = Management();
        var query = status is null ? "?limit=1000" : $"?limit=1000&status={status}";
        return (await client.GetFromJsonAsync<List<OutboundRow>>($"manage/users/{User}/imip/outbound{query}", Json))!;
    }

    /// <summary>Waits (up to a minute) until the row of <paramref name="id"/> satisfies <paramref name="until"/>.</summary>
    public async Task<OutboundRow> WaitAsync(string id, Func<OutboundRow, bool> until)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        OutboundRow? last = null;
        while (DateTime.UtcNow < deadline)
        {
            last = (await ListAsync()).FirstOrDefault(r => r.Id == id);
            if (last is not null && until(last))
                return last;
            await Task.Delay(100);
        }
        throw new Xunit.Sdk.XunitException($"outbound email {id} did not get there: {last}");
    }

    /// <summary>Waits until <paramref name="smtp"/> has received an email with <paramref name="messageId"/>.</summary>
    public static async Task<CapturedMail> ReceivedAsync(CapturingSmtpServer smtp, string messageId)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (DateTime.UtcNow < deadline)
        {
            var found = smtp.Received.FirstOrDefault(m => System.Text.Encoding.ASCII.GetString(m.Raw).Contains($"Message-Id: {messageId}", StringComparison.OrdinalIgnoreCase));
            if (found is not null)
                return found;
            await Task.Delay(100);
        }
        throw new Xunit.Sdk.XunitException($"no email {messageId} reached the SMTP server ({smtp.Received.Count} others did)");
    }

    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
}

/// <summary>A status row as the management API lists it.</summary>
public sealed record OutboundRow(string User, string Id, string Status, string From, string To, string Method, string? Uid, string MessageId,
    string Blob, string? Code, string? Reason, long Attempts, DateTimeOffset Created, DateTimeOffset? Sent);

[CollectionDefinition(Name)]
public sealed class OutboundServerCollection : ICollectionFixture<OutboundServerFixture>
{
    public const string Name = "Caldera outbound iMIP server";
}

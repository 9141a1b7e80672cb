using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Text;
using Caldera.Calendars.Accounts;
using Caldera.LocalHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace Caldera.Functions.Tests.Dav;

/// <summary>
/// Failed Basic sign-ins throttled end to end: a server of its own with small limits, clients on different loopback
/// addresses (127.0.0.x, each test its own), a counter around the real account service to show that a throttled
/// attempt verifies nothing, and a fake clock for the throttle's window.
/// </summary>
public sealed class SignInThrottleHttpTests : IAsyncLifetime
{
    const string User = "carol";
    const string Password = "carol-chosen-password"; // chosen, so verifying it runs PBKDF2
    const int PerUser = 3, PerAddress = 6, Window = 3600;

    // On a window boundary, so Retry-After is the whole window.
    readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 11, 30, 10, 0, 0, TimeSpan.Zero));
    RunningServer? _server;
    CountingAccountService Accounts => (CountingAccountService)_server!.Services.GetRequiredService<IAccountService>();

    public async Task InitializeAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        _server = await CalderaLocalServer.StartAsync(new LocalServerOptions
        {
            Port = 0,
            InMemory = true,
            User = User,
            Password = Password,
            Configuration = new Dictionary<string, string?>
            {
                ["Caldera:SignIn:FailuresPerUserAndAddress"] = PerUser.ToString(),
                ["Caldera:SignIn:FailuresPerAddress"] = PerAddress.ToString(),
                ["Caldera:SignIn:WindowSeconds"] = Window.ToString(),
            },
            ConfigureServices = services =>
            {
                services.AddSingleton<AccountService>();
                services.AddSingleton<CountingAccountService>();
                services.AddSingleton<IAccountService>(sp => sp.GetRequiredService<CountingAccountService>());
                services.AddSingleton(sp => new SignInThrottle(sp.GetRequiredService<SignInThrottleOptions>(), _clock));
            },
        }, timeout.Token);
    }

    public async Task DisposeAsync()
    {
        if (_server is not null)
            await _server.DisposeAsync();
    }

    [Fact]
    public async Task A_guesser_gets_429_with_Retry_After_and_no_password_is_verified_while_throttled()
    {
        using var guesser = ClientFrom("127.0.0.2", User, "wrong-guess-000000");
        for (var i = 0; i < PerUser; i++)
            Assert.Equal(HttpStatusCode.Unauthorized, (await PropfindAsync(guesser)).StatusCode);

        var before = Accounts.Verifications;
        for (var i = 0; i < 5; i++)
        {
            using var refused = await PropfindAsync(guesser);
            Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
            Assert.Equal(TimeSpan.FromSeconds(Window), refused.Headers.RetryAfter?.Delta);
            Assert.Contains("too many failed sign-ins", await refused.Content.ReadAsStringAsync());
        }
        // Even the right password is not looked at from that address until the window ends.
        using var right = ClientFrom("127.0.0.2", User, Password);
        Assert.Equal(HttpStatusCode.TooManyRequests, (await PropfindAsync(right)).StatusCode);
        Assert.Equal(before, Accounts.Verifications);
    }

    [Fact]
    public async Task The_real_user_on_another_address_still_gets_in()
    {
        using var guesser = ClientFrom("127.0.0.3", User, "wrong-guess-000000");
        for (var i = 0; i < PerUser; i++)
            await PropfindAsync(guesser);
        Assert.Equal(HttpStatusCode.TooManyRequests, (await PropfindAsync(guesser)).StatusCode);

        using var phone = ClientFrom("127.0.0.4", User, Password);
        Assert.Equal(HttpStatusCode.MultiStatus, (await PropfindAsync(phone)).StatusCode);
    }

    [Fact]
    public async Task Spraying_one_password_across_users_from_one_address_is_throttled()
    {
        for (var i = 0; i < PerAddress; i++)
        {
            using var attempt = ClientFrom("127.0.0.5", $"victim{i}", "Summer2026!Summer");
            Assert.Equal(HttpStatusCode.Unauthorized, (await PropfindAsync(attempt)).StatusCode);
        }
        var before = Accounts.Verifications;
        using var next = ClientFrom("127.0.0.5", "victim-next", "Summer2026!Summer");
        Assert.Equal(HttpStatusCode.TooManyRequests, (await PropfindAsync(next)).StatusCode);
        Assert.Equal(before, Accounts.Verifications);
    }

    [Fact]
    public async Task When_the_window_ends_the_address_may_try_again()
    {
        using var guesser = ClientFrom("127.0.0.6", User, "wrong-guess-000000");
        for (var i = 0; i < PerUser; i++)
            await PropfindAsync(guesser);
        using var right = ClientFrom("127.0.0.6", User, Password);
        Assert.Equal(HttpStatusCode.TooManyRequests, (await PropfindAsync(right)).StatusCode);

        _clock.Advance(TimeSpan.FromSeconds(Window));
        Assert.Equal(HttpStatusCode.MultiStatus, (await PropfindAsync(right)).StatusCode);
    }

    static Task<HttpResponseMessage> PropfindAsync(HttpClient client)
    {
        var request = new HttpRequestMessage(new HttpMethod("PROPFIND"), "/principals/" + User + "/");
        request.Headers.Add("Depth", "0");
        return client.SendAsync(request);
    }

    /// <summary>A client whose connections come from <paramref name="localAddress"/> (any 127.0.0.0/8 address reaches the server).</summary>
    HttpClient ClientFrom(string localAddress, string user, string password)
    {
        var handler = new SocketsHttpHandler
        {
            ConnectCallback = async (context, ct) =>
            {
                var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
                try
                {
                    socket.Bind(new IPEndPoint(IPAddress.Parse(localAddress), 0));
                    await socket.ConnectAsync(context.DnsEndPoint, ct);
                    return new NetworkStream(socket, ownsSocket: true);
                }
                catch
                {
                    socket.Dispose();
                    throw;
                }
            },
        };
        var client = new HttpClient(handler) { BaseAddress = _server!.BaseUri, Timeout = TimeSpan.FromSeconds(60) };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{user}:{password}")));
        return client;
    }
}

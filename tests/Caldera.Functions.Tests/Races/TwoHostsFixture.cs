using System.Net.Http.Headers;
using System.Text;
using Caldera.LocalHost;
using Caldera.Storage;
using Microsoft.Extensions.DependencyInjection;

namespace Caldera.Functions.Tests.Races;

/// <summary>
/// Two local hosts on one Azurite: two instances of the app, as Azure Functions scales out. Writers of one calendar on
/// one instance wait for each other (its write gate); writers on the two instances race through the table's ETags.
/// </summary>
public sealed class TwoHostsFixture : IAsyncLifetime
{
    public const string User = "racer";
    const string Password = "race-password-12345";
    RunningServer? _a, _b;

    public RunningServer A => _a ?? throw new InvalidOperationException("not started");
    public RunningServer B => _b ?? throw new InvalidOperationException("not started");

    public async Task InitializeAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        _a = await CalderaLocalServer.StartAsync(new LocalServerOptions { Port = 0, InMemory = true, User = User, Password = Password }, timeout.Token);
        _b = await CalderaLocalServer.StartAsync(new LocalServerOptions { Port = 0, Storage = _a.StorageConnectionString, User = null }, timeout.Token);
    }

    /// <summary>A client of host A (even <paramref name="index"/>) or B (odd), with its own connections.</summary>
    public HttpClient Client(int index)
    {
        var server = index % 2 == 0 ? A : B;
        // The watchdog: a request that hangs fails the test instead of holding it.
        var client = new HttpClient { BaseAddress = server.BaseUri, Timeout = TimeSpan.FromMinutes(2) };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic",
            Convert.ToBase64String(Encoding.UTF8.GetBytes($"{User}:{Password}")));
        return client;
    }

    /// <summary>Write attempts that met a concurrent write and were tried again, on both instances since they started.</summary>
    public long WriteRetries => RetriesOf(A) + RetriesOf(B);

    public static long RetriesOf(RunningServer server) => server.Services.GetRequiredService<StorageCallCounter>().WriteRetries;

    public async Task DisposeAsync()
    {
        if (_b is not null)
            await _b.DisposeAsync();
        if (_a is not null)
            await _a.DisposeAsync();
    }
}

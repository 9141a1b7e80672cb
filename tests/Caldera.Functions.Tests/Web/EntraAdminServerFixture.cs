using Caldera.LocalHost;

namespace Caldera.Functions.Tests.Web;

/// <summary>A local host of its own (Azurite in memory) with Entra ID administrator sign-in turned on.</summary>
public sealed class EntraAdminServerFixture : IAsyncLifetime
{
    RunningServer? _server;

    public RunningServer Server => _server ?? throw new InvalidOperationException("not started");

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
                ["Caldera:Web:EntraAdmin:Enabled"] = "true",
                ["Caldera:Web:EntraAdmin:Role"] = "Caldera.Admin",
            },
        }, timeout.Token);
    }

    public HttpClient CreateClient() => new(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = Server.BaseUri, Timeout = TimeSpan.FromSeconds(60) };

    public HttpClient CreateManagementClient()
    {
        var client = CreateClient();
        client.DefaultRequestHeaders.Add("x-functions-key", Server.FunctionKey);
        return client;
    }

    public async Task DisposeAsync()
    {
        if (_server is not null)
            await _server.DisposeAsync();
    }
}

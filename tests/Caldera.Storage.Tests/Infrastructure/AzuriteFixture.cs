using Caldera.Storage.Emulator;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Caldera.Storage.Tests.Infrastructure;

[CollectionDefinition(Name)]
public sealed class AzuriteCollection : ICollectionFixture<AzuriteFixture>
{
    public const string Name = "azurite";
}

/// <summary>One in-memory Azurite for the whole test assembly; each test gets its own table/container prefix.</summary>
public sealed class AzuriteFixture : IAsyncLifetime
{
    AzuriteProcess? _azurite;

    public string ConnectionString => _azurite!.ConnectionString;

    public async Task InitializeAsync() => _azurite = await AzuriteProcess.StartAsync();

    public async Task DisposeAsync()
    {
        if (_azurite is not null)
            await _azurite.DisposeAsync();
    }

    /// <summary>Storage wired exactly as the hosts wire it (AddCalderaStorage), under a fresh prefix.</summary>
    public async Task<TestStorage> CreateStorageAsync(string? prefix = null, IDictionary<string, string?>? settings = null)
    {
        prefix ??= "t" + Guid.NewGuid().ToString("N")[..12];
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Storage"] = ConnectionString,
            ["Caldera:StoragePrefix"] = prefix,
        }.Concat(settings ?? new Dictionary<string, string?>())).Build();
        var provider = new ServiceCollection().AddCalderaStorage(configuration).BuildServiceProvider();
        await provider.GetRequiredService<IStorageInitializer>().EnsureCreatedAsync(CancellationToken.None);
        return new TestStorage(provider, prefix);
    }
}

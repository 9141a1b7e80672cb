using Azure.Data.Tables;
using Azure.Storage.Blobs;
using Azure.Storage.Queues;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Caldera.Storage.Tests;

public class DependencyInjectionTests
{
    static ServiceProvider Build(Dictionary<string, string?> settings) => new ServiceCollection()
        .AddCalderaStorage(new ConfigurationBuilder().AddInMemoryCollection(settings).Build())
        .BuildServiceProvider();

    [Fact]
    public void Service_uris_use_the_configured_endpoints_and_singletons()
    {
        using var provider = Build(new()
        {
            ["Storage:tableServiceUri"] = "https://acct.table.core.windows.net/",
            ["Storage:blobServiceUri"] = "https://acct.blob.core.windows.net/",
            ["Storage:queueServiceUri"] = "https://acct.queue.core.windows.net/",
            ["Storage:clientId"] = "00000000-0000-0000-0000-000000000001",
            ["Caldera:StoragePrefix"] = "prod1",
        });
        Assert.Equal("acct", provider.GetRequiredService<TableServiceClient>().AccountName);
        Assert.Equal("https://acct.blob.core.windows.net/", provider.GetRequiredService<BlobServiceClient>().Uri.ToString());
        Assert.Equal("https://acct.queue.core.windows.net/", provider.GetRequiredService<QueueServiceClient>().Uri.ToString());
        Assert.Equal("prod1calendars", provider.GetRequiredService<StorageLayout>().CalendarsTable);
        Assert.Same(provider.GetRequiredService<ICalendarStore>(), provider.GetRequiredService<ICalendarStore>());
        Assert.NotNull(provider.GetRequiredService<IUserStore>());
        Assert.NotNull(provider.GetRequiredService<IStorageInitializer>());
        Assert.NotNull(provider.GetRequiredService<StorageCallCounter>());
    }

    [Fact]
    public void The_default_prefix_is_caldera()
    {
        using var provider = Build(new() { ["Storage"] = "UseDevelopmentStorage=true" });
        var layout = provider.GetRequiredService<StorageLayout>();
        Assert.Equal(("calderausers", "calderacalendars", "calderaobjects"), (layout.UsersTable, layout.CalendarsTable, layout.ObjectsContainer));
    }

    [Theory]
    [InlineData("Caldera")]
    [InlineData("1abc")]
    [InlineData("with-dash")]
    [InlineData("")]
    public void Invalid_prefixes_are_refused(string prefix)
    {
        using var provider = Build(new() { ["Storage"] = "UseDevelopmentStorage=true", ["Caldera:StoragePrefix"] = prefix });
        Assert.Throws<ArgumentException>(() => provider.GetRequiredService<StorageLayout>());
    }

    [Fact]
    public void Missing_storage_configuration_says_what_to_set()
    {
        using var provider = Build(new());
        var e = Assert.Throws<InvalidOperationException>(() => provider.GetRequiredService<TableServiceClient>());
        Assert.Contains("Storage:tableServiceUri", e.Message);
    }
}

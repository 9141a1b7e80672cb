using Azure.Data.Tables;
using Azure.Storage.Blobs;
using Azure.Storage.Queues;
using Caldera.Functions;
using Caldera.Functions.Configuration;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Caldera.Infra.Tests;

/// <summary>The settings the template writes are the settings the app binds, and they reach the storage clients.</summary>
public sealed class SettingsBindingTests(BicepFixture bicep) : IClassFixture<BicepFixture>
{
    const string ClientId = "00000000-0000-0000-0000-00000000c1d0";

    /// <summary>The template's app settings as the worker sees them: ARM expressions replaced by what Azure would put there.</summary>
    IConfiguration AzureConfiguration()
    {
        var values = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        foreach (var (name, value) in bicep.Compiled.AppSettings)
        {
            var resolved = value;
            if (value.StartsWith('['))
            {
                resolved = name switch
                {
                    _ when value.EndsWith(".primaryEndpoints.blob]", StringComparison.Ordinal) => "https://stcalderaexample.blob.core.windows.net/",
                    _ when value.EndsWith(".primaryEndpoints.queue]", StringComparison.Ordinal) => "https://stcalderaexample.queue.core.windows.net/",
                    _ when value.EndsWith(".primaryEndpoints.table]", StringComparison.Ordinal) => "https://stcalderaexample.table.core.windows.net/",
                    _ when value.EndsWith(".clientId]", StringComparison.Ordinal) => ClientId,
                    _ when value == "[parameters('storagePrefix')]" => "caldera",
                    _ => "resolved-by-arm",
                };
            }
            // App settings arrive as environment variables; the configuration provider turns "__" into ":".
            values[name.Replace("__", ":", StringComparison.Ordinal)] = resolved;
        }
        return new ConfigurationBuilder().AddInMemoryCollection(values).Build();
    }

    static ServiceProvider Compose(IConfiguration configuration)
    {
        var services = new ServiceCollection();
        services.AddLogging();
        CalderaServices.AddCaldera(services, configuration);
        return services.BuildServiceProvider();
    }

    [Fact]
    public void Template_settings_bind_to_the_options_and_reach_the_storage_clients()
    {
        using var sp = Compose(AzureConfiguration());
        var storage = sp.GetRequiredService<IOptions<StorageSettings>>().Value; // validates
        Assert.False(storage.UsesConnectionString);
        Assert.Equal(StorageSettings.ManagedIdentityCredential, storage.Credential);
        Assert.Equal(ClientId, storage.ClientId);
        Assert.Equal(new Uri("https://stcalderaexample.table.core.windows.net/"), storage.TableServiceUri);
        Assert.Equal("caldera", sp.GetRequiredService<IOptions<CalderaOptions>>().Value.StoragePrefix);

        // Caldera.Storage reads the same keys: its clients point at the endpoints the template names.
        Assert.Equal(storage.TableServiceUri!.Host, sp.GetRequiredService<TableServiceClient>().Uri.Host);
        Assert.Equal(storage.BlobServiceUri!.Host, sp.GetRequiredService<BlobServiceClient>().Uri.Host);
        Assert.Equal(storage.QueueServiceUri!.Host, sp.GetRequiredService<QueueServiceClient>().Uri.Host);
    }

    [Fact]
    public void Missing_identity_settings_fail_validation_naming_them()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Storage:clientId"] = ClientId,
            ["Storage:blobServiceUri"] = "https://stcalderaexample.blob.core.windows.net/",
        }).Build();
        using var sp = Compose(configuration);
        var e = Assert.Throws<OptionsValidationException>(() => sp.GetRequiredService<IOptions<StorageSettings>>().Value);
        Assert.Contains("Storage__tableServiceUri", e.Message);
        Assert.Contains("Storage__queueServiceUri", e.Message);
        Assert.DoesNotContain("Storage__blobServiceUri", e.Message);
    }

    [Fact]
    public void An_invalid_storage_prefix_fails_validation()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Storage"] = "UseDevelopmentStorage=true",
            ["Caldera:StoragePrefix"] = "Not-Valid",
        }).Build();
        using var sp = Compose(configuration);
        Assert.Throws<OptionsValidationException>(() => sp.GetRequiredService<IOptions<CalderaOptions>>().Value);
        Assert.True(sp.GetRequiredService<IOptions<StorageSettings>>().Value.UsesConnectionString);
    }

    [Fact]
    public void The_settings_model_names_each_setting_once_in_app_setting_form()
    {
        Assert.Equal(CalderaSettings.All.Count, CalderaSettings.All.Select(s => s.AppSettingName).Distinct(StringComparer.OrdinalIgnoreCase).Count());
        Assert.Contains(CalderaSettings.RequiredInAzure, s => s.AppSettingName == "Storage__tableServiceUri");
        Assert.Contains(CalderaSettings.RequiredInAzure, s => s.AppSettingName == "AzureWebJobsStorage__clientId");
        Assert.DoesNotContain(CalderaSettings.RequiredInAzure, s => s.AppSettingName == "Caldera__StoragePrefix"); // has a default
    }
}

using Azure.Core;
using Azure.Data.Tables;
using Azure.Identity;
using Azure.Storage.Blobs;
using Azure.Storage.Queues;
using Microsoft.Extensions.Configuration;

namespace Caldera.Storage;

/// <summary>
/// Builds the Azure clients from configuration: "Storage" as a connection string, or service URIs with
/// DefaultAzureCredential (optionally a user-assigned identity). Every client counts its calls; registered
/// <see cref="StorageClientHook"/>s (tests only) then adjust the options.
/// </summary>
sealed class StorageClients(IConfiguration configuration, StorageCallCounter counter, IEnumerable<StorageClientHook>? hooks = null)
{
    readonly Lazy<TokenCredential> _credential = new(() => new DefaultAzureCredential(new DefaultAzureCredentialOptions
    {
        ManagedIdentityClientId = string.IsNullOrWhiteSpace(configuration["Storage:clientId"]) ? null : configuration["Storage:clientId"],
    }));

    string? ConnectionString => string.IsNullOrWhiteSpace(configuration["Storage"]) ? null : configuration["Storage"];

    /// <summary>
    /// Retries stay the SDK's (3, exponential) but shorter: a refused connection (storage restarting) fails after about
    /// 4 s instead of 6-60 s, so a request answers 503 promptly; one try may take 30 s (the SDK's 100 s would hold a
    /// request far past the client's patience; every Caldera call moves at most a few MB).
    /// </summary>
    static T Tuned<T>(T options) where T : ClientOptions
    {
        options.Retry.MaxRetries = 3;
        options.Retry.Mode = RetryMode.Exponential;
        options.Retry.Delay = TimeSpan.FromMilliseconds(500);
        options.Retry.MaxDelay = TimeSpan.FromSeconds(4);
        options.Retry.NetworkTimeout = TimeSpan.FromSeconds(30);
        return options;
    }

    public TableServiceClient CreateTables()
    {
        var options = Tuned(new TableClientOptions());
        options.AddPolicy(counter.CreatePolicy(StorageService.Table), Azure.Core.HttpPipelinePosition.PerRetry);
        ApplyHooks(options);
        return ConnectionString is { } cs
            ? new TableServiceClient(cs, options)
            : new TableServiceClient(ServiceUri("tableServiceUri"), _credential.Value, options);
    }

    public BlobServiceClient CreateBlobs()
    {
        var options = Tuned(new BlobClientOptions());
        options.AddPolicy(counter.CreatePolicy(StorageService.Blob), Azure.Core.HttpPipelinePosition.PerRetry);
        ApplyHooks(options);
        return ConnectionString is { } cs
            ? new BlobServiceClient(cs, options)
            : new BlobServiceClient(ServiceUri("blobServiceUri"), _credential.Value, options);
    }

    public QueueServiceClient CreateQueues()
    {
        // The Functions host reads queue messages as base64 (host.json "messageEncoding"), so every client writes base64.
        var options = Tuned(new QueueClientOptions { MessageEncoding = QueueMessageEncoding.Base64 });
        options.AddPolicy(counter.CreatePolicy(StorageService.Queue), Azure.Core.HttpPipelinePosition.PerRetry);
        ApplyHooks(options);
        return ConnectionString is { } cs
            ? new QueueServiceClient(cs, options)
            : new QueueServiceClient(ServiceUri("queueServiceUri"), _credential.Value, options);
    }

    void ApplyHooks(ClientOptions options)
    {
        foreach (var hook in hooks ?? [])
            hook.Apply(options);
    }

    Uri ServiceUri(string key)
    {
        var value = configuration[$"Storage:{key}"];
        if (string.IsNullOrWhiteSpace(value) || !Uri.TryCreate(value, UriKind.Absolute, out var uri))
            throw new InvalidOperationException(
                $"Storage is not configured: set \"Storage\" to a connection string, or \"Storage:{key}\" to an absolute URI.");
        return uri;
    }
}

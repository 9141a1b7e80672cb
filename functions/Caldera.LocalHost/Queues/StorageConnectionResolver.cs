namespace Caldera.LocalHost.Queues;

/// <summary>
/// Finds the connection string a trigger's <c>Connection</c> names, in the host's order: <c>AzureWebJobs{name}</c>
/// first (connection strings section, then settings), then <c>{name}</c>; an empty name means "Storage", i.e.
/// <c>AzureWebJobsStorage</c>. The local host only serves connection strings, not identity-based connections.
/// </summary>
public static class StorageConnectionResolver
{
    public const string DefaultConnection = "Storage";

    public static string Resolve(string? connection, IConfiguration configuration, string functionName)
    {
        var name = string.IsNullOrWhiteSpace(connection) ? DefaultConnection : connection;
        foreach (var candidate in new[] { "AzureWebJobs" + name, name })
        {
            var section = configuration.GetSection("ConnectionStrings").GetSection(candidate);
            if (!section.Exists())
                section = configuration.GetSection(candidate);
            if (!section.Exists())
                continue;
            if (!string.IsNullOrWhiteSpace(section.Value))
                return section.Value;
            throw new InvalidOperationException(
                $"Function {functionName}: the connection '{candidate}' is identity-based (no connection string); " +
                "the local host needs a connection string.");
        }
        throw new InvalidOperationException(
            $"Function {functionName}: the storage connection 'AzureWebJobs{name}' / '{name}' is not set.");
    }
}

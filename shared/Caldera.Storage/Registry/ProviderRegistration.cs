namespace Caldera.Storage.Registry;

/// <summary>
/// One row of the provider registry: provider <see cref="AppId"/> serves <see cref="Principal"/>
/// (a user name, or <see cref="Everyone"/>), enabled or not, with its own configuration text.
/// </summary>
public sealed record ProviderRegistration(string Principal, string AppId, bool Enabled, string? Configuration)
{
    public const string Everyone = "*";
}

/// <summary>Where registrations are kept (an Azure Table in production).</summary>
public interface IProviderRegistryStore
{
    /// <summary>The rows for this user and for <see cref="ProviderRegistration.Everyone"/>.</summary>
    Task<IReadOnlyList<ProviderRegistration>> GetForUserAsync(string userName, CancellationToken ct);
    Task UpsertAsync(ProviderRegistration registration, CancellationToken ct);
    Task<bool> DeleteAsync(string principal, string appId, CancellationToken ct);
}

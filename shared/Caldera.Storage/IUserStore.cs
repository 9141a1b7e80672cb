namespace Caldera.Storage;

/// <summary>Users and their app-password hashes (Azure Tables).</summary>
public interface IUserStore
{
    Task<UserRecord?> GetUserAsync(string userName, CancellationToken ct);
    /// <summary>Creates the user; false if the name is taken.</summary>
    Task<bool> CreateUserAsync(UserRecord user, CancellationToken ct);
    Task<IReadOnlyList<UserRecord>> ListUsersAsync(CancellationToken ct);
    /// <summary>Users whose email address is <paramref name="address"/> (compared case-insensitively), one point query.</summary>
    Task<IReadOnlyList<string>> FindUsersByAddressAsync(string address, CancellationToken ct);
    /// <summary>Writes the user's address row (idempotent): users made before the index existed get one this way.</summary>
    Task IndexAddressAsync(UserRecord user, CancellationToken ct);
    /// <summary>Deletes the user and all its passwords; false if absent.</summary>
    Task<bool> DeleteUserAsync(string userName, CancellationToken ct);
    Task<AppPasswordRecord?> GetPasswordAsync(string userName, string id, CancellationToken ct);
    Task AddPasswordAsync(AppPasswordRecord password, CancellationToken ct);
    Task<IReadOnlyList<AppPasswordRecord>> ListPasswordsAsync(string userName, CancellationToken ct);
    Task<bool> DeletePasswordAsync(string userName, string id, CancellationToken ct);
}

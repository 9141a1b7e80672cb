using Caldera.Storage;

namespace Caldera.Calendars.Accounts;

public enum CreateUserStatus { Created, AlreadyExists, InvalidName }

/// <summary>A freshly made app password: the only moment its clear text exists.</summary>
public sealed record NewAppPassword(string Id, string Label, string Password);

/// <summary>Users, their default calendar and their per-device app passwords.</summary>
public interface IAccountService
{
    Task<UserRecord?> GetUserAsync(string userName, CancellationToken ct);
    /// <summary>Makes the user findable by email address for iMIP (idempotent); false if the user does not exist.</summary>
    Task<bool> IndexAddressAsync(string userName, CancellationToken ct);
    Task<IReadOnlyList<UserRecord>> ListUsersAsync(CancellationToken ct);
    /// <summary>Creates a user and its default calendar.</summary>
    Task<CreateUserStatus> CreateUserAsync(string userName, string? displayName, string? email, CancellationToken ct);
    /// <summary>Deletes the user, its calendars and passwords; false if absent.</summary>
    Task<bool> DeleteUserAsync(string userName, CancellationToken ct);
    /// <summary>
    /// Makes an app password; <paramref name="chosenPassword"/> (for unattended scripts) must be at least
    /// <see cref="AccountService.MinimumChosenPasswordLength"/> characters. Null if the user does not exist.
    /// </summary>
    Task<NewAppPassword?> CreateAppPasswordAsync(string userName, string label, string? chosenPassword, CancellationToken ct);
    Task<IReadOnlyList<AppPasswordRecord>> ListAppPasswordsAsync(string userName, CancellationToken ct);
    Task<bool> RevokeAppPasswordAsync(string userName, string id, CancellationToken ct);
    /// <summary>Constant-time check of a user's password against its stored hashes.</summary>
    Task<bool> VerifyAsync(string userName, string password, CancellationToken ct);
    /// <summary>
    /// The same constant-time check as <see cref="VerifyAsync"/>, uncached, telling which app password matched (its id),
    /// or null: the web page's session lasts only while that password exists.
    /// </summary>
    Task<string?> FindMatchingPasswordAsync(string userName, string password, CancellationToken ct);
}

using Caldera.Calendars.Accounts;
using Caldera.Storage;

namespace Caldera.Functions.Tests.Dav;

/// <summary>The real account service (on Azurite), counting how often a password is verified.</summary>
public sealed class CountingAccountService(AccountService inner) : IAccountService
{
    int _verifications;

    public int Verifications => Volatile.Read(ref _verifications);

    public Task<bool> VerifyAsync(string userName, string password, CancellationToken ct)
    {
        Interlocked.Increment(ref _verifications);
        return inner.VerifyAsync(userName, password, ct);
    }

    public Task<UserRecord?> GetUserAsync(string userName, CancellationToken ct) => inner.GetUserAsync(userName, ct);
    public Task<bool> IndexAddressAsync(string userName, CancellationToken ct) => inner.IndexAddressAsync(userName, ct);
    public Task<IReadOnlyList<UserRecord>> ListUsersAsync(CancellationToken ct) => inner.ListUsersAsync(ct);
    public Task<CreateUserStatus> CreateUserAsync(string userName, string? displayName, string? email, CancellationToken ct) => inner.CreateUserAsync(userName, displayName, email, ct);
    public Task<bool> DeleteUserAsync(string userName, CancellationToken ct) => inner.DeleteUserAsync(userName, ct);
    public Task<NewAppPassword?> CreateAppPasswordAsync(string userName, string label, string? chosenPassword, CancellationToken ct) => inner.CreateAppPasswordAsync(userName, label, chosenPassword, ct);
    public Task<IReadOnlyList<AppPasswordRecord>> ListAppPasswordsAsync(string userName, CancellationToken ct) => inner.ListAppPasswordsAsync(userName, ct);
    public Task<bool> RevokeAppPasswordAsync(string userName, string id, CancellationToken ct) => inner.RevokeAppPasswordAsync(userName, id, ct);
    public Task<string?> FindMatchingPasswordAsync(string userName, string password, CancellationToken ct) =>
        inner.FindMatchingPasswordAsync(userName, password, ct);
}

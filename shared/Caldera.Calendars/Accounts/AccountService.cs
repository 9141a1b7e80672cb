using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using Caldera.Storage;

namespace Caldera.Calendars.Accounts;

public sealed class AccountService(IUserStore users, ICalendarStore calendars, TimeProvider time) : IAccountService
{
    public const int MinimumChosenPasswordLength = 12;
    public const string DefaultCalendarName = "default";

    /// <summary>
    /// A verified password is trusted for this long without another storage read (or another PBKDF2 for a chosen
    /// one), so a busy client costs one table call per half minute instead of one per request. A password revoked
    /// through another instance keeps working on a warm instance for up to this long (on the instance that revoked
    /// it, the cache is cleared at once).
    /// </summary>
    public static readonly TimeSpan VerifiedCacheLifetime = TimeSpan.FromSeconds(30);

    readonly ConcurrentDictionary<string, DateTimeOffset> _verified = new();

    public Task<UserRecord?> GetUserAsync(string userName, CancellationToken ct) =>
        Names.IsValidUserName(userName) ? users.GetUserAsync(userName, ct) : Task.FromResult<UserRecord?>(null);

    public Task<IReadOnlyList<UserRecord>> ListUsersAsync(CancellationToken ct) => users.ListUsersAsync(ct);

    public async Task<bool> IndexAddressAsync(string userName, CancellationToken ct)
    {
        if (await GetUserAsync(userName, ct) is not { } user)
            return false;
        await users.IndexAddressAsync(user, ct);
        return true;
    }

    public async Task<CreateUserStatus> CreateUserAsync(string userName, string? displayName, string? email, CancellationToken ct)
    {
        if (!Names.IsValidUserName(userName))
            return CreateUserStatus.InvalidName;
        var now = time.GetUtcNow();
        var record = new UserRecord(userName, displayName ?? userName, email ?? $"{userName}@localhost", now);
        if (!await users.CreateUserAsync(record, ct))
            return CreateUserStatus.AlreadyExists;
        await calendars.CreateCalendarAsync(new CalendarRecord
        {
            Owner = userName,
            Name = DefaultCalendarName,
            Id = Guid.NewGuid().ToString("N"),
            DisplayName = "Calendar",
            Components = ["VEVENT", "VTODO"],
            Created = now,
            Modified = now,
        }, ct);
        return CreateUserStatus.Created;
    }

    public async Task<bool> DeleteUserAsync(string userName, CancellationToken ct)
    {
        if (!Names.IsValidUserName(userName) || await users.GetUserAsync(userName, ct) is null)
            return false;
        foreach (var calendar in await calendars.ListCalendarsAsync(userName, ct))
            await calendars.DeleteCalendarAsync(userName, calendar.Name, ct);
        _verified.Clear();
        return await users.DeleteUserAsync(userName, ct);
    }

    public async Task<NewAppPassword?> CreateAppPasswordAsync(string userName, string label, string? chosenPassword, CancellationToken ct)
    {
        if (chosenPassword is not null && chosenPassword.Length < MinimumChosenPasswordLength)
            throw new ArgumentException($"a chosen password needs at least {MinimumChosenPasswordLength} characters", nameof(chosenPassword));
        if (await GetUserAsync(userName, ct) is null)
            return null;
        var password = chosenPassword ?? AppPasswords.Generate();
        var id = AppPasswords.NewId();
        var cleanLabel = string.IsNullOrWhiteSpace(label) ? "app password" : label.Trim()[..Math.Min(label.Trim().Length, 100)];
        var hash = chosenPassword is null ? AppPasswords.Hash(password) : AppPasswords.HashChosen(password);
        await users.AddPasswordAsync(new AppPasswordRecord(userName, id, cleanLabel, hash, time.GetUtcNow()), ct);
        return new NewAppPassword(id, cleanLabel, password);
    }

    public Task<IReadOnlyList<AppPasswordRecord>> ListAppPasswordsAsync(string userName, CancellationToken ct) =>
        users.ListPasswordsAsync(userName, ct);

    public async Task<bool> RevokeAppPasswordAsync(string userName, string id, CancellationToken ct)
    {
        _verified.Clear();
        return await users.DeletePasswordAsync(userName, id, ct);
    }

    public async Task<bool> VerifyAsync(string userName, string password, CancellationToken ct)
    {
        if (!Names.IsValidUserName(userName) || string.IsNullOrEmpty(password) || password.Length > 1024)
            return false;
        var key = CacheKey(userName, password);
        var now = time.GetUtcNow();
        if (_verified.TryGetValue(key, out var until) && until > now)
            return true;
        var ok = Match(await users.ListPasswordsAsync(userName, ct), password) is not null;
        if (ok)
            _verified[key] = now + VerifiedCacheLifetime;
        return ok;
    }

    public async Task<string?> FindMatchingPasswordAsync(string userName, string password, CancellationToken ct)
    {
        if (!Names.IsValidUserName(userName) || string.IsNullOrEmpty(password) || password.Length > 1024)
            return null;
        return Match(await users.ListPasswordsAsync(userName, ct), password);
    }

    /// <summary>The id of the first stored password that matches, or null.</summary>
    static string? Match(IReadOnlyList<AppPasswordRecord> stored, string password)
    {
        // Compare against every hash so the time taken does not tell which one matched.
        string? matched = null;
        foreach (var record in stored)
            if (AppPasswords.Matches(password, record.Hash))
                matched ??= record.Id;
        return matched;
    }

    static string CacheKey(string userName, string password) =>
        Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(userName + "\0" + password)));
}

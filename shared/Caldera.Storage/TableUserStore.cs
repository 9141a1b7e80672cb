using Azure;
using Azure.Data.Tables;

namespace Caldera.Storage;

/// <summary>
/// Users table: one partition per user; RowKey "profile" is the user, "pw|{encoded id}" its app passwords.
/// Address rows ("@{encoded lower-case email}", RowKey "u|{user}") find a user by email for iMIP; user names start
/// with a letter or digit, so these partitions never collide with a user's.
/// </summary>
public sealed class TableUserStore(TableServiceClient service, StorageLayout layout) : IUserStore
{
    const string ProfileKey = "profile";
    const string PasswordPrefix = "pw|";
    // Not "profile", so a user named "profile" never shows up as a user in an address partition.
    const string AddressUserPrefix = "u|";
    readonly TableClient _table = service.GetTableClient(layout.UsersTable);

    public async Task<UserRecord?> GetUserAsync(string userName, CancellationToken ct)
    {
        Guard.UserName(userName);
        var row = await TableOps.ReadAsync(_table, userName, ProfileKey, ct);
        return row is null ? null : ToUser(row);
    }

    public async Task<bool> CreateUserAsync(UserRecord user, CancellationToken ct)
    {
        Guard.UserName(user.UserName);
        var row = new TableEntity(user.UserName, ProfileKey)
        {
            ["DisplayName"] = user.DisplayName,
            ["Email"] = user.Email,
            ["Created"] = user.Created,
        };
        try
        {
            await _table.AddEntityAsync(row, ct);
        }
        catch (RequestFailedException e) when (e.Status == 409)
        {
            return false;
        }
        await IndexAddressAsync(user, ct);
        return true;
    }

    public async Task IndexAddressAsync(UserRecord user, CancellationToken ct)
    {
        Guard.UserName(user.UserName);
        if (!string.IsNullOrEmpty(user.Email))
            await _table.UpsertEntityAsync(new TableEntity(AddressPartition(user.Email), AddressUserPrefix + user.UserName), TableUpdateMode.Replace, ct);
    }

    public async Task<IReadOnlyList<string>> FindUsersByAddressAsync(string address, CancellationToken ct)
    {
        var users = new List<string>();
        if (string.IsNullOrWhiteSpace(address) || address.Length > 320)
            return users;
        await foreach (var row in _table.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {AddressPartition(address)}"),
                           select: ["RowKey"], cancellationToken: ct))
            if (row.RowKey.StartsWith(AddressUserPrefix, StringComparison.Ordinal))
                users.Add(row.RowKey[AddressUserPrefix.Length..]);
        return users;
    }

    static string AddressPartition(string address) => "@" + KeyEncoder.EncodeKey(address.Trim().ToLowerInvariant());

    public async Task<IReadOnlyList<UserRecord>> ListUsersAsync(CancellationToken ct)
    {
        var users = new List<UserRecord>();
        await foreach (var row in _table.QueryAsync<TableEntity>($"RowKey eq '{ProfileKey}'", cancellationToken: ct))
            users.Add(ToUser(row));
        return users;
    }

    public async Task<bool> DeleteUserAsync(string userName, CancellationToken ct)
    {
        Guard.UserName(userName);
        var keys = new List<string>();
        await foreach (var row in _table.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {userName}"),
                           select: ["RowKey"], cancellationToken: ct))
            keys.Add(row.RowKey);
        if (!keys.Remove(ProfileKey))
            return false;
        // The address row first, passwords next, the profile last: a crash half-way leaves a user that is harder to
        // reach, never orphan rows that point to no user.
        if (await GetUserAsync(userName, ct) is { Email.Length: > 0 } profile)
            await _table.DeleteEntityAsync(AddressPartition(profile.Email), AddressUserPrefix + userName, ETag.All, ct);
        keys.Add(ProfileKey);
        await TableOps.DeleteRowsAsync(_table, userName, keys, ct);
        return true;
    }

    public async Task<AppPasswordRecord?> GetPasswordAsync(string userName, string id, CancellationToken ct)
    {
        Guard.UserName(userName);
        var row = await TableOps.ReadAsync(_table, userName, PasswordKey(id), ct);
        return row is null ? null : ToPassword(row);
    }

    public async Task AddPasswordAsync(AppPasswordRecord password, CancellationToken ct)
    {
        Guard.UserName(password.UserName);
        await _table.AddEntityAsync(new TableEntity(password.UserName, PasswordKey(password.Id))
        {
            ["Id"] = password.Id,
            ["Label"] = password.Label,
            ["Hash"] = password.Hash,
            ["Created"] = password.Created,
        }, ct);
    }

    public async Task<IReadOnlyList<AppPasswordRecord>> ListPasswordsAsync(string userName, CancellationToken ct)
    {
        Guard.UserName(userName);
        var result = new List<AppPasswordRecord>();
        await foreach (var row in _table.QueryAsync<TableEntity>(TableOps.RangeFilter(userName, "pw"), cancellationToken: ct))
            result.Add(ToPassword(row));
        return result;
    }

    public async Task<bool> DeletePasswordAsync(string userName, string id, CancellationToken ct)
    {
        Guard.UserName(userName);
        var response = await _table.DeleteEntityAsync(userName, PasswordKey(id), ETag.All, ct);
        return response.Status != 404;
    }

    static string PasswordKey(string id) => PasswordPrefix + KeyEncoder.EncodeKey(id);

    static UserRecord ToUser(TableEntity row) => new(row.PartitionKey, row.GetString("DisplayName") ?? "",
        row.GetString("Email") ?? "", row.GetDateTimeOffset("Created") ?? default);

    static AppPasswordRecord ToPassword(TableEntity row) => new(row.PartitionKey, row.GetString("Id") ?? "",
        row.GetString("Label") ?? "", row.GetBinary("Hash") ?? [], row.GetDateTimeOffset("Created") ?? default);
}

using Azure;
using Azure.Data.Tables;

namespace Caldera.Storage.Web;

/// <summary>
/// One signed-in web page session. Only the SHA-256 of the session token is kept (<see cref="TokenHash"/>), so a
/// copy of the table signs nobody in. <see cref="PasswordId"/> is the app password used to sign in: the session
/// lasts only while that password exists.
/// </summary>
public sealed record WebSessionRecord(string User, string TokenHash, string Csrf, string PasswordId, DateTimeOffset Created, DateTimeOffset Expires);

/// <summary>The web page's sessions (an Azure Table: PartitionKey user, RowKey token hash; one point read per request).</summary>
public interface IWebSessionStore
{
    Task AddAsync(WebSessionRecord session, CancellationToken ct);
    Task<WebSessionRecord?> GetAsync(string user, string tokenHash, CancellationToken ct);
    Task DeleteAsync(string user, string tokenHash, CancellationToken ct);
    /// <summary>Removes the user's sessions that ended before <paramref name="now"/> (one query; done at sign-in, so rows never pile up).</summary>
    Task DeleteExpiredAsync(string user, DateTimeOffset now, CancellationToken ct);
}

/// <summary>The sessions table (<see cref="StorageLayout.WebSessionsTable"/>), made at start-up by <see cref="IStorageInitializer"/>.</summary>
public sealed class TableWebSessionStore(TableServiceClient service, StorageLayout layout) : IWebSessionStore
{
    readonly TableClient _table = service.GetTableClient(layout.WebSessionsTable);

    public Task AddAsync(WebSessionRecord session, CancellationToken ct)
    {
        Guard.UserName(session.User);
        return _table.AddEntityAsync(new TableEntity(session.User, session.TokenHash)
        {
            ["Csrf"] = session.Csrf,
            ["PasswordId"] = session.PasswordId,
            ["Created"] = session.Created,
            ["Expires"] = session.Expires,
        }, ct);
    }

    public async Task<WebSessionRecord?> GetAsync(string user, string tokenHash, CancellationToken ct)
    {
        Guard.UserName(user);
        if (!IsHash(tokenHash))
            return null;
        var row = await TableOps.ReadAsync(_table, user, tokenHash, ct);
        return row is null ? null : new WebSessionRecord(user, tokenHash, row.GetString("Csrf") ?? "", row.GetString("PasswordId") ?? "",
            row.GetDateTimeOffset("Created") ?? default, row.GetDateTimeOffset("Expires") ?? default);
    }

    public async Task DeleteAsync(string user, string tokenHash, CancellationToken ct)
    {
        Guard.UserName(user);
        if (!IsHash(tokenHash))
            return;
        try
        {
            await _table.DeleteEntityAsync(user, tokenHash, ETag.All, ct);
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            // Already gone (signed out twice, or elsewhere).
        }
    }

    public async Task DeleteExpiredAsync(string user, DateTimeOffset now, CancellationToken ct)
    {
        Guard.UserName(user);
        var expired = new List<string>();
        await foreach (var row in _table.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {user} and Expires lt {now}"),
                           select: ["RowKey"], cancellationToken: ct))
            expired.Add(row.RowKey);
        if (expired.Count > 0)
            await TableOps.DeleteRowsAsync(_table, user, expired, ct);
    }

    /// <summary>Row keys are lower-case hex SHA-256; anything else never reaches the table.</summary>
    static bool IsHash(string value) => value.Length == 64 && value.All(c => char.IsAsciiDigit(c) || c is >= 'a' and <= 'f');
}

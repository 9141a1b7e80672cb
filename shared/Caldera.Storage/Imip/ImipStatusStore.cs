using Azure.Data.Tables;

namespace Caldera.Storage.Imip;

/// <summary>
/// Status rows of inbound iMIP messages, one partition per recipient user (unknown recipients share one), newest
/// first; and idempotency rows that remember which (Message-ID, iTIP content) pairs a user has already had.
/// </summary>
public sealed class ImipStatusStore(TableServiceClient service, StorageLayout layout)
{
    /// <summary>User names start with a letter or digit, so this partition never collides with one.</summary>
    public const string UnknownPartition = "@unknown";
    const string StatusKind = "s";
    const string DedupeKind = "d";
    public const int MaxList = 1000;

    readonly TableClient _table = service.GetTableClient(layout.ImipStatusTable);

    public async Task UpsertAsync(ImipStatusRecord record, CancellationToken ct)
    {
        var row = new TableEntity(Partition(record.User), StatusKey(record.Received, record.Id))
        {
            ["Id"] = record.Id,
            ["Received"] = record.Received,
            ["Recipient"] = record.Recipient,
            ["Status"] = record.Status,
            ["Code"] = record.Code,
            ["Reason"] = Clip(record.Reason, 2000),
            ["Method"] = record.Method,
            ["Uid"] = Clip(record.Uid, 1000),
            ["MessageId"] = Clip(record.MessageId, 1000),
            ["From"] = Clip(record.From, 320),
            ["Subject"] = Clip(record.Subject, 500),
            ["Blob"] = record.Blob,
            ["Calendar"] = record.Calendar,
            ["ObjectName"] = record.ObjectName,
            ["Attempts"] = record.Attempts,
            ["Updated"] = record.Updated,
        };
        await _table.UpsertEntityAsync(row, TableUpdateMode.Replace, ct);
    }

    public async Task<ImipStatusRecord?> GetAsync(string? user, DateTimeOffset received, string id, CancellationToken ct)
    {
        var row = await TableOps.ReadAsync(_table, Partition(user), StatusKey(received, id), ct);
        return row is null ? null : ToRecord(row, user);
    }

    /// <summary>Newest first; null user lists unknown recipients.</summary>
    public async Task<IReadOnlyList<ImipStatusRecord>> ListAsync(string? user, int limit, CancellationToken ct)
    {
        limit = Math.Clamp(limit, 1, MaxList);
        var result = new List<ImipStatusRecord>();
        await foreach (var row in _table.QueryAsync<TableEntity>(TableOps.RangeFilter(Partition(user), StatusKind), maxPerPage: limit, cancellationToken: ct))
        {
            result.Add(ToRecord(row, user));
            if (result.Count >= limit)
                break;
        }
        return result;
    }

    /// <summary>The receipt id that first carried this content to this user, or null.</summary>
    public async Task<string?> GetFirstDeliveryAsync(string user, string contentKey, CancellationToken ct) =>
        (await TableOps.ReadAsync(_table, Partition(user), DedupeKey(contentKey), ct))?.GetString("Id");

    /// <summary>Remembers the first delivery; the first writer wins and later ones keep its id.</summary>
    public async Task RememberDeliveryAsync(string user, string contentKey, string id, CancellationToken ct)
    {
        try
        {
            await _table.AddEntityAsync(new TableEntity(Partition(user), DedupeKey(contentKey)) { ["Id"] = id }, ct);
        }
        catch (Azure.RequestFailedException e) when (e.Status == 409)
        {
            // Already remembered (a retry of the same message, or a duplicate that raced it).
        }
    }

    static string Partition(string? user)
    {
        if (user is null)
            return UnknownPartition;
        Guard.UserName(user);
        return user;
    }

    // Inverted ticks put the newest first in the table's key order.
    static string StatusKey(DateTimeOffset received, string id) =>
        $"{StatusKind}|{DateTimeOffset.MaxValue.UtcTicks - received.UtcTicks:D19}|{KeyEncoder.EncodeKey(id)}";

    static string DedupeKey(string contentKey) => $"{DedupeKind}|{KeyEncoder.Hash(contentKey)}";

    static string? Clip(string? value, int max) => value is { Length: var n } && n > max ? value[..max] : value;

    static ImipStatusRecord ToRecord(TableEntity row, string? user) => new()
    {
        User = user,
        Id = row.GetString("Id") ?? "",
        Received = row.GetDateTimeOffset("Received") ?? default,
        Recipient = row.GetString("Recipient") ?? "",
        Status = row.GetString("Status") ?? "",
        Code = row.GetString("Code"),
        Reason = row.GetString("Reason"),
        Method = row.GetString("Method"),
        Uid = row.GetString("Uid"),
        MessageId = row.GetString("MessageId"),
        From = row.GetString("From"),
        Subject = row.GetString("Subject"),
        Blob = row.GetString("Blob"),
        Calendar = row.GetString("Calendar"),
        ObjectName = row.GetString("ObjectName"),
        Attempts = row.GetInt64("Attempts") ?? 0,
        Updated = row.GetDateTimeOffset("Updated") ?? default,
    };
}

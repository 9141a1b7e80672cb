using Azure.Data.Tables;

namespace Caldera.Storage.Imip.Outbound;

/// <summary>Status rows of outbound iMIP emails: one partition per user, row key the outbound id (newest first).</summary>
public sealed class OutboundImipStatusStore(TableServiceClient service, StorageLayout layout)
{
    public const int MaxList = 1000;

    readonly TableClient _table = service.GetTableClient(layout.ImipOutboundTable);

    public async Task UpsertAsync(OutboundImipStatusRecord record, CancellationToken ct)
    {
        Guard.UserName(record.User);
        if (!OutboundImipIds.IsValid(record.Id))
            throw new ArgumentException("not an outbound id", nameof(record));
        await _table.UpsertEntityAsync(ToEntity(record), TableUpdateMode.Replace, ct);
    }

    public async Task<OutboundImipStatusRecord?> GetAsync(string user, string id, CancellationToken ct)
    {
        Guard.UserName(user);
        if (!OutboundImipIds.IsValid(id))
            return null;
        var row = await TableOps.ReadAsync(_table, user, id, ct);
        return row is null ? null : ToRecord(row);
    }

    /// <summary>Newest first, at most <paramref name="limit"/> rows; with <paramref name="status"/> only those in it.</summary>
    public async Task<IReadOnlyList<OutboundImipStatusRecord>> ListAsync(string user, int limit, CancellationToken ct, string? status = null)
    {
        Guard.UserName(user);
        limit = Math.Clamp(limit, 1, MaxList);
        var filter = status is null
            ? TableClient.CreateQueryFilter($"PartitionKey eq {user}")
            : TableClient.CreateQueryFilter($"PartitionKey eq {user} and Status eq {status}");
        var result = new List<OutboundImipStatusRecord>();
        await foreach (var row in _table.QueryAsync<TableEntity>(filter, maxPerPage: limit, cancellationToken: ct))
        {
            result.Add(ToRecord(row));
            if (result.Count >= limit)
                break;
        }
        return result;
    }

    static TableEntity ToEntity(OutboundImipStatusRecord r) => new(r.User, r.Id)
    {
        ["Status"] = r.Status,
        ["From"] = r.From,
        ["FromName"] = r.FromName,
        ["To"] = r.To,
        ["Method"] = r.Method,
        ["Uid"] = Clip(r.Uid, 1000),
        ["MessageId"] = r.MessageId,
        ["Blob"] = r.Blob,
        ["Code"] = r.Code,
        ["Reason"] = Clip(r.Reason, 2000),
        ["Attempts"] = r.Attempts,
        ["Created"] = r.Created,
        ["Updated"] = r.Updated,
        ["Sent"] = r.Sent,
    };

    static string? Clip(string? value, int max) => value is { Length: var n } && n > max ? value[..max] : value;

    static OutboundImipStatusRecord ToRecord(TableEntity row) => new()
    {
        User = row.PartitionKey,
        Id = row.RowKey,
        Status = row.GetString("Status") ?? "",
        From = row.GetString("From") ?? "",
        FromName = row.GetString("FromName") ?? "",
        To = row.GetString("To") ?? "",
        Method = row.GetString("Method") ?? "",
        Uid = row.GetString("Uid"),
        MessageId = row.GetString("MessageId") ?? "",
        Blob = row.GetString("Blob") ?? "",
        Code = row.GetString("Code"),
        Reason = row.GetString("Reason"),
        Attempts = row.GetInt64("Attempts") ?? 0,
        Created = row.GetDateTimeOffset("Created") ?? default,
        Updated = row.GetDateTimeOffset("Updated") ?? default,
        Sent = row.GetDateTimeOffset("Sent"),
    };
}

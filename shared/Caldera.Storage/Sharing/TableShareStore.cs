using Azure;
using Azure.Data.Tables;

namespace Caldera.Storage.Sharing;

/// <summary>Access a sharee has to a shared calendar.</summary>
public enum ShareAccess { Read, ReadWrite }

/// <summary>
/// One share: <see cref="Owner"/>'s stored calendar <see cref="Calendar"/> is visible to <see cref="Sharee"/>.
/// <see cref="CalendarId"/> is the calendar's incarnation id when shared, so a share never carries over to a new
/// calendar that later takes the same name.
/// </summary>
public sealed record CalendarShare(string Owner, string Calendar, string Sharee, ShareAccess Access, string? CalendarId = null)
{
    public static string Format(ShareAccess access) => access == ShareAccess.ReadWrite ? "read-write" : "read";

    public static bool TryParse(string? text, out ShareAccess access)
    {
        switch (text?.Trim().ToLowerInvariant())
        {
            case "read" or "read-only": access = ShareAccess.Read; return true;
            case "read-write": access = ShareAccess.ReadWrite; return true;
            default: access = ShareAccess.Read; return false;
        }
    }
}

/// <summary>Where shares are kept (an Azure Table in production).</summary>
public interface IShareStore
{
    /// <summary>Calendars shared with <paramref name="sharee"/>.</summary>
    Task<IReadOnlyList<CalendarShare>> GetForShareeAsync(string sharee, CancellationToken ct);
    /// <summary>Shares <paramref name="owner"/> has granted.</summary>
    Task<IReadOnlyList<CalendarShare>> GetForOwnerAsync(string owner, CancellationToken ct);
    Task UpsertAsync(CalendarShare share, CancellationToken ct);
    Task<bool> DeleteAsync(string owner, string calendar, string sharee, CancellationToken ct);
}

/// <summary>
/// The shares table (<c>StorageLayout.SharesTable</c>). Forward row: PartitionKey = encoded sharee,
/// RowKey = encoded owner + "|" + encoded calendar, Access = read | read-write (one query lists a sharee's shares).
/// Reverse row for the owner's listing: PartitionKey = "owner|" + encoded owner, RowKey = encoded calendar + "|" + encoded sharee.
/// '|' never survives <see cref="KeyEncoder.Encode"/>, so the two kinds of partitions never collide.
/// </summary>
public sealed class TableShareStore(TableClient table) : IShareStore
{
    const string OwnerPrefix = "owner|";

    public async Task<IReadOnlyList<CalendarShare>> GetForShareeAsync(string sharee, CancellationToken ct) =>
        await QueryAsync(KeyEncoder.Encode(sharee), ct);

    public async Task<IReadOnlyList<CalendarShare>> GetForOwnerAsync(string owner, CancellationToken ct) =>
        await QueryAsync(OwnerPrefix + KeyEncoder.Encode(owner), ct);

    async Task<IReadOnlyList<CalendarShare>> QueryAsync(string partition, CancellationToken ct)
    {
        var rows = new List<CalendarShare>();
        await foreach (var e in table.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {partition}"), cancellationToken: ct))
        {
            CalendarShare.TryParse(e.GetString("Access"), out var access);
            rows.Add(new CalendarShare(e.GetString("Owner") ?? "", e.GetString("Calendar") ?? "", e.GetString("Sharee") ?? "", access,
                e.GetString("CalendarId")));
        }
        return rows;
    }

    public async Task UpsertAsync(CalendarShare share, CancellationToken ct)
    {
        var (fp, fr, rp, rr) = Keys(share.Owner, share.Calendar, share.Sharee);
        // Reverse row first: a share the owner cannot list is worse than a listed one the sharee does not see yet.
        await table.UpsertEntityAsync(Entity(rp, rr, share), TableUpdateMode.Replace, ct);
        await table.UpsertEntityAsync(Entity(fp, fr, share), TableUpdateMode.Replace, ct);
    }

    public async Task<bool> DeleteAsync(string owner, string calendar, string sharee, CancellationToken ct)
    {
        var (fp, fr, rp, rr) = Keys(owner, calendar, sharee);
        // Forward row first, so access ends with the first delete.
        var deleted = await DeleteRowAsync(fp, fr, ct);
        deleted |= await DeleteRowAsync(rp, rr, ct);
        return deleted;
    }

    async Task<bool> DeleteRowAsync(string pk, string rk, CancellationToken ct)
    {
        try
        {
            var response = await table.DeleteEntityAsync(pk, rk, ETag.All, ct);
            return response.Status != 404;
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            return false;
        }
    }

    static (string, string, string, string) Keys(string owner, string calendar, string sharee)
    {
        var o = KeyEncoder.Encode(owner);
        var c = KeyEncoder.Encode(calendar);
        var s = KeyEncoder.Encode(sharee);
        return (s, o + "|" + c, OwnerPrefix + o, c + "|" + s);
    }

    static TableEntity Entity(string pk, string rk, CalendarShare share) => new(pk, rk)
    {
        ["Owner"] = share.Owner,
        ["Calendar"] = share.Calendar,
        ["Sharee"] = share.Sharee,
        ["Access"] = CalendarShare.Format(share.Access),
        ["CalendarId"] = share.CalendarId,
    };
}

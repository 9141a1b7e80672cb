using Azure.Data.Tables;

namespace Caldera.Storage.Quota;

/// <summary>
/// The usage counters of a calendar row: its objects and their body bytes. They change in the same conditional (ETag)
/// transaction that changes the index, so they cannot drift from it. Rows made before counters have none (counted once).
/// </summary>
static class UsageColumns
{
    public const string Objects = "UsedObjects", Bytes = "UsedBytes";

    public static bool IsCounted(TableEntity row) => row.GetInt64(Objects) is not null && row.GetInt64(Bytes) is not null;

    public static (long Objects, long Bytes) Of(TableEntity row) => (row.GetInt64(Objects) ?? 0, row.GetInt64(Bytes) ?? 0);

    public static void Set(TableEntity row, long objects, long bytes)
    {
        row[Objects] = objects;
        row[Bytes] = bytes;
    }

    public static void Add(TableEntity row, long objects, long bytes)
    {
        var (o, b) = Of(row);
        Set(row, o + objects, b + bytes);
    }
}

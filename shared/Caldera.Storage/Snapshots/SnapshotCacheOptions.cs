namespace Caldera.Storage.Snapshots;

/// <summary>How much memory an instance spends on calendar snapshots (setting <c>Caldera:SnapshotCacheMiB</c>).</summary>
public sealed class SnapshotCacheOptions
{
    public const string Setting = "Caldera:SnapshotCacheMiB";

    /// <summary>
    /// 256 MiB by default: a 10,000-event calendar with its bodies takes about 15 MiB, so this keeps the calendars of
    /// a busy instance warm and leaves most of a 2 GiB Flex Consumption instance (or a small machine) to the rest. 0 turns caching off.
    /// </summary>
    public long BudgetBytes { get; set; } = 256L * 1024 * 1024;

    /// <summary>After a cold request, load the whole calendar in the background so the next one is warm.</summary>
    public bool LoadInBackground { get; set; } = true;

    /// <summary>
    /// How long a background load waits before it starts, so the cold request that asked for it (and the few a client
    /// sends right after) are not slowed by a whole-calendar read competing for the same storage and CPU.
    /// </summary>
    public TimeSpan BackgroundLoadDelay { get; set; } = TimeSpan.FromSeconds(1);
}

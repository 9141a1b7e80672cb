using System.Globalization;
using Microsoft.Extensions.Configuration;

namespace Caldera.Storage.Quota;

/// <summary>
/// Per-user limits on what one user stores ("Caldera:Quota:MaxCalendars", "MaxObjects", "MaxBytes"). Bytes are the stored
/// calendar bodies; dead properties do not count (the engine bounds them per resource, so the object limit bounds them too).
/// </summary>
public sealed class QuotaOptions
{
    public const string Section = "Caldera:Quota";

    /// <summary>A heavy user keeps a few dozen calendars; 100 also keeps summing a user's calendar rows one short page.</summary>
    public long MaxCalendars { get; set; } = 100;
    /// <summary>Ten years of a busy work calendar is about 30,000 events; 100,000 leaves room for several such users' worth.</summary>
    public long MaxObjects { get; set; } = 100_000;
    /// <summary>1 GiB: 100,000 objects of 10 KiB (a typical event with attendees is 1–3 KiB).</summary>
    public long MaxBytes { get; set; } = 1L << 30;

    /// <summary>Reads the section; a missing setting keeps its default, an invalid one fails at start-up.</summary>
    public static QuotaOptions From(IConfiguration configuration)
    {
        var options = new QuotaOptions();
        options.MaxCalendars = Read(configuration, nameof(MaxCalendars), options.MaxCalendars);
        options.MaxObjects = Read(configuration, nameof(MaxObjects), options.MaxObjects);
        options.MaxBytes = Read(configuration, nameof(MaxBytes), options.MaxBytes);
        return options;
    }

    static long Read(IConfiguration configuration, string name, long fallback)
    {
        var key = $"{Section}:{name}";
        if (configuration[key] is not { Length: > 0 } text)
            return fallback;
        if (!long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value))
            throw new InvalidOperationException($"{key} must be a whole number, not '{text}'.");
        return value;
    }

    /// <summary>
    /// Whether a write that changes the user's usage by (<paramref name="objects"/>, <paramref name="bytes"/>) passes a limit.
    /// Only growth is refused: a write that shrinks usage passes even over a lowered limit, so a user can always clean up.
    /// </summary>
    public bool Exceeded(UserUsage before, long objects, long bytes) =>
        objects > 0 && before.Objects + objects > MaxObjects ||
        bytes > 0 && before.Bytes + bytes > MaxBytes;

    /// <summary>Bytes the user may still store (RFC 4331 DAV:quota-available-bytes), never negative.</summary>
    public long AvailableBytes(UserUsage usage) => Math.Max(0, MaxBytes - usage.Bytes);
}

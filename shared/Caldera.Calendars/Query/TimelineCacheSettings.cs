using System.Globalization;
using Microsoft.Extensions.Configuration;

namespace Caldera.Calendars.Query;

/// <summary>
/// Memory for <see cref="TimelineCache"/>, from configuration <c>Caldera:Query:TimelineCacheMegabytes</c>
/// (default 32; 0 turns timelines off, so every non-exact candidate is evaluated from its body). A timeline takes
/// about 16 bytes per instance: a 10,000-event calendar with a tenth of it recurring needs a few MiB.
/// </summary>
public sealed record TimelineCacheSettings
{
    public const long DefaultMegabytes = 32;

    public long MaxBytes { get; init; } = DefaultMegabytes * 1024 * 1024;

    public static TimelineCacheSettings From(IConfiguration configuration) =>
        long.TryParse(configuration["Caldera:Query:TimelineCacheMegabytes"], NumberStyles.None, CultureInfo.InvariantCulture, out var mb)
            ? new TimelineCacheSettings { MaxBytes = Math.Min(mb, long.MaxValue >> 20) << 20 }
            : new TimelineCacheSettings();
}

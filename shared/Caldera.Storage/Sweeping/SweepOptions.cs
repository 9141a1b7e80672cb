using System.Globalization;
using Microsoft.Extensions.Configuration;

namespace Caldera.Storage.Sweeping;

/// <summary>How the orphan sweeper works: how old an unreferenced body must be, and how much one run looks at.</summary>
public sealed record SweepOptions
{
    public const string GraceSetting = "Caldera:Sweep:GraceMinutes";
    public const string MaxBlobsSetting = "Caldera:Sweep:MaxBlobsPerRun";

    /// <summary>
    /// A write uploads its body before it commits the index row, and gives up within its request (HTTP functions end
    /// at 230 s, queue functions at the host's functionTimeout, 10 min at most on Consumption); a day is far beyond
    /// any of them, and an orphan costs only its bytes meanwhile.
    /// </summary>
    public static readonly TimeSpan DefaultGrace = TimeSpan.FromDays(1);
    /// <summary>The smallest grace configuration accepts: still longer than the longest write.</summary>
    public static readonly TimeSpan MinimumGrace = TimeSpan.FromMinutes(30);
    public const int DefaultMaxBlobsPerRun = 5000;

    public TimeSpan Grace { get; init; } = DefaultGrace;
    /// <summary>Blobs listed per run (whole pages); the next run resumes after them.</summary>
    public int MaxBlobsPerRun { get; init; } = DefaultMaxBlobsPerRun;
    /// <summary>Blobs per listing page (the service's maximum is 5000).</summary>
    public int PageSize { get; init; } = 1000;

    /// <summary>Reads the settings; an invalid or too-short value fails at start-up, naming the setting.</summary>
    public static SweepOptions FromConfiguration(IConfiguration configuration)
    {
        var options = new SweepOptions();
        if (configuration[GraceSetting] is { Length: > 0 } grace)
        {
            if (!int.TryParse(grace, NumberStyles.None, CultureInfo.InvariantCulture, out var minutes) || TimeSpan.FromMinutes(minutes) < MinimumGrace)
                throw new InvalidOperationException($"{GraceSetting} must be a whole number of minutes, at least {MinimumGrace.TotalMinutes:0}, not '{grace}'.");
            options = options with { Grace = TimeSpan.FromMinutes(minutes) };
        }
        if (configuration[MaxBlobsSetting] is { Length: > 0 } max)
        {
            if (!int.TryParse(max, NumberStyles.None, CultureInfo.InvariantCulture, out var count) || count < 1)
                throw new InvalidOperationException($"{MaxBlobsSetting} must be a positive whole number, not '{max}'.");
            options = options with { MaxBlobsPerRun = count };
        }
        return options;
    }
}

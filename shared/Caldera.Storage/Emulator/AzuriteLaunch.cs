namespace Caldera.Storage.Emulator;

/// <summary>How <see cref="AzuriteProcess"/> starts node; the defaults are what the hosts use, tests change them.</summary>
internal sealed record AzuriteLaunch
{
    public static readonly AzuriteLaunch Default = new();

    /// <summary>Starts tried when node exits before listening (a crash at start-up, a port taken by another process).</summary>
    public int MaxAttempts { get; init; } = 3;

    /// <summary>
    /// How long one start may take to listen. Generous: node needs about 2 s of CPU to load Azurite, and on a busy
    /// 2-core machine many start at once (16 at once took 130 s here); a slow start is not retried, it is waited for.
    /// </summary>
    public TimeSpan ReadyTimeout { get; init; } = TimeSpan.FromMinutes(4);

    /// <summary>The ports asked for on attempt 1, 2, …; tests hand Azurite a taken port this way.</summary>
    public Func<int, AzuritePorts> PortsFor { get; init; } = _ => AzuritePorts.Any;
}

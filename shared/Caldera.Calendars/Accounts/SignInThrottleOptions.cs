namespace Caldera.Calendars.Accounts;

/// <summary>Limits of <see cref="SignInThrottle"/> (configuration section <see cref="Section"/>).</summary>
public sealed class SignInThrottleOptions
{
    public const string Section = "Caldera:SignIn";

    /// <summary>Failed sign-ins one client address may make for one user per window (a guesser).</summary>
    public int FailuresPerUserAndAddress { get; set; } = 10;

    /// <summary>Failed sign-ins one client address may make for all users together per window (password spraying).</summary>
    public int FailuresPerAddress { get; set; } = 100;

    /// <summary>Length of the fixed window the failures are counted in.</summary>
    public int WindowSeconds { get; set; } = 300;

    /// <summary>
    /// Most counters kept at once (each about 300 bytes). Past it, new keys go uncounted until the window ends: an
    /// attacker with many addresses cannot grow memory, and real users are never refused for want of room.
    /// </summary>
    public int MaxTrackedKeys { get; set; } = 50_000;
}

namespace Caldera.Functions.Tests.Faults;

/// <summary>What the injected storage call does instead of succeeding.</summary>
public enum FaultKind
{
    /// <summary>The connection drops before the call reaches storage (nothing happens there).</summary>
    Reset,
    /// <summary>The call reaches storage and takes effect, but its answer never comes back (the client times out).</summary>
    Timeout,
    /// <summary>Storage answers this status without doing anything.</summary>
    Status409,
    Status412,
    Status500,
    Status503,
}

/// <summary>Once: only the Nth call fails (the SDK's retries may absorb it). FromNOn: an outage from the Nth call on.</summary>
public enum FaultMode { Once, FromNOn }

/// <summary>
/// One armed flow (a request, or a direct call in a test): counts its storage calls (each SDK attempt is one) and
/// fails the ones the plan names. N is 1-based; N = 0 only counts.
/// </summary>
public sealed class FaultPlan(int n, FaultKind kind, FaultMode mode)
{
    int _calls, _injected;

    public int N { get; } = n;
    public FaultKind Kind { get; } = kind;
    public FaultMode Mode { get; } = mode;
    public int Calls => Volatile.Read(ref _calls);
    public int Injected => Volatile.Read(ref _injected);

    public static FaultPlan CountOnly() => new(0, FaultKind.Reset, FaultMode.Once);

    /// <summary>Counts a call; true when it is to fail.</summary>
    internal bool NextFails()
    {
        var call = Interlocked.Increment(ref _calls);
        var fails = N > 0 && (Mode == FaultMode.Once ? call == N : call >= N);
        if (fails)
            Interlocked.Increment(ref _injected);
        return fails;
    }

    public override string ToString() => $"N={N} {Kind} {Mode}";
}

namespace Caldera.Storage;

/// <summary>
/// Async mutual exclusion per key with bounded memory: keys hash onto a fixed set of gates, so two keys rarely
/// share one (and then only wait for each other, never deadlock: several keys are taken in gate order).
/// </summary>
sealed class StripedGates(int stripes = 256)
{
    readonly SemaphoreSlim[] _gates = Enumerable.Range(0, stripes).Select(_ => new SemaphoreSlim(1, 1)).ToArray();

    /// <summary>Holds the gates of all <paramref name="keys"/> until the result is disposed.</summary>
    public async Task<IDisposable> EnterAsync(CancellationToken ct, params string[] keys)
    {
        var indexes = keys.Select(k => (int)((uint)StringComparer.Ordinal.GetHashCode(k) % (uint)_gates.Length)).Distinct().Order().ToArray();
        var taken = 0;
        try
        {
            for (; taken < indexes.Length; taken++)
                await _gates[indexes[taken]].WaitAsync(ct);
        }
        catch
        {
            for (var i = 0; i < taken; i++)
                _gates[indexes[i]].Release();
            throw;
        }
        return new Held(_gates, indexes);
    }

    sealed class Held(SemaphoreSlim[] gates, int[] indexes) : IDisposable
    {
        int _released;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _released, 1) != 0)
                return;
            foreach (var i in indexes)
                gates[i].Release();
        }
    }
}

namespace Caldera.Fuzz.Tests.Harness;

/// <summary>
/// Runs one input through a target under a watchdog (a hang fails, it is not a timing assertion: the limit is
/// generous) and an allocation bound, and says what went wrong, if anything.
/// </summary>
public static class InputRunner
{
    /// <summary>Long enough for any honest input on a loaded 2-core machine; only a hang reaches it.</summary>
    public static readonly TimeSpan Watchdog = TimeSpan.FromSeconds(60);

    /// <summary>Bytes an input may make the target allocate: a constant for the parsers' fixed costs plus a multiple of its size.</summary>
    public static long AllocationBound(int inputLength) => 256L * 1024 * 1024 + 4096L * inputLength;

    /// <returns>null when the target accepted or properly refused the input; otherwise what went wrong.</returns>
    public static string? Run(IFuzzTarget target, byte[] input)
    {
        long allocated = 0;
        var work = Task.Factory.StartNew(() =>
        {
            var before = GC.GetAllocatedBytesForCurrentThread();
            try
            {
                target.Check(input);
            }
            finally
            {
                allocated = GC.GetAllocatedBytesForCurrentThread() - before;
            }
        }, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
        try
        {
            if (!work.Wait(Watchdog))
                return $"hang: no answer within {Watchdog.TotalSeconds} s";
        }
        catch (AggregateException e)
        {
            var inner = e.InnerException!;
            return $"{inner.GetType().Name}: {inner.Message}\n{inner.StackTrace}";
        }
        var bound = AllocationBound(input.Length);
        return allocated > bound ? $"memory: allocated {allocated:N0} bytes for a {input.Length:N0}-byte input (bound {bound:N0})" : null;
    }
}

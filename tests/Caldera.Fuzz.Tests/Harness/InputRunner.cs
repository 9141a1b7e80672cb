namespace Caldera.Fuzz.Tests.Harness;

/// <summary>
/// Runs one input through a target under a watchdog (a hang fails, it is not a timing assertion: the limit is
/// generous) and an allocation bound, and says what went wrong, if anything.
/// </summary>
public static class InputRunner
{
    /// <summary>Long enough for any honest input on a loaded 2-core machine; only a hang reaches it.</summary>
    public static readonly TimeSpan Watchdog = TimeSpan.FromSeconds(60);

    /// <summary>
    /// Bytes an input may make the target allocate: a constant for the parsers' fixed costs plus a multiple of the
    /// sizes of the input and of the answer made from it (cost may grow with the answer, never beyond it).
    /// </summary>
    public static long AllocationBound(long inputAndAnswer) => 256L * 1024 * 1024 + 4096L * inputAndAnswer;

    /// <returns>null when the target accepted or properly refused the input; otherwise what went wrong.</returns>
    public static string? Run(IFuzzTarget target, byte[] input)
    {
        long allocated = 0, answer = 0;
        var work = Task.Factory.StartNew(() =>
        {
            var before = GC.GetAllocatedBytesForCurrentThread();
            try
            {
                answer = target.Check(input);
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
        var bound = AllocationBound(input.Length + answer);
        return allocated > bound ? $"memory: allocated {allocated:N0} bytes for a {input.Length:N0}-byte input and a {answer:N0}-byte answer (bound {bound:N0})" : null;
    }
}

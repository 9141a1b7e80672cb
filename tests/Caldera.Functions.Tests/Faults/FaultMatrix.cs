using System.Diagnostics;
using System.Net;
using Caldera.Functions.Tests.Dav;
using Xunit.Abstractions;

namespace Caldera.Functions.Tests.Faults;

/// <summary>
/// Runs one write path's fault matrix: a clean run counts its storage calls k, then every (N in 1..k, kind, mode) is
/// a real run against a fresh state. Failures are gathered (so one run shows them all) and fail the test at the end;
/// the figures (cases, faults injected, orphan blobs, answers) go to the test output.
/// </summary>
internal sealed class FaultMatrix(ITestOutputHelper output)
{
    /// <summary>
    /// The kinds CI runs by default; CALDERA_FAULT_KINDS=all (tests/bench/faults.sh) runs every kind. Timeout is the most
    /// telling (the call takes effect, its answer is lost); 503 is an outage the SDK retries; 409 an answer it does not.
    /// </summary>
    public static IReadOnlyList<FaultKind> Kinds =>
        Environment.GetEnvironmentVariable("CALDERA_FAULT_KINDS") == "all"
            ? Enum.GetValues<FaultKind>()
            : [FaultKind.Timeout, FaultKind.Reset, FaultKind.Status409, FaultKind.Status503];

    /// <param name="run">Sets up a fresh state, sends the write under the plan, checks with faults off; returns the plan as it ran and the orphan blobs left.</param>
    public async Task RunAsync(string path, Func<FaultPlan, Task<(FaultPlan Ran, int Orphans)>> run)
    {
        var clean = await run(FaultPlan.CountOnly()).WaitAsync(TimeSpan.FromSeconds(90));
        var k = clean.Ran.Calls;
        Assert.True(k > 0, $"{path}: the clean run made no storage call");
        var failures = new List<string>();
        var statuses = new SortedDictionary<string, int>();
        int cases = 0, injected = 0, orphans = clean.Orphans, orphanCases = 0;
        var watch = Stopwatch.StartNew();
        foreach (var mode in Enum.GetValues<FaultMode>())
            foreach (var kind in Kinds)
                for (var n = 1; n <= k; n++)
                {
                    var plan = new FaultPlan(n, kind, mode);
                    cases++;
                    try
                    {
                        // A generous watchdog: a case that hangs fails (and the matrix goes on) instead of stalling the run.
                        var (ran, left) = await run(plan).WaitAsync(TimeSpan.FromSeconds(90));
                        injected += ran.Injected;
                        orphans += left;
                        if (left > 0)
                            orphanCases++;
                    }
                    catch (Exception e)
                    {
                        failures.Add($"{path} {plan}: {e.Message}");
                    }
                }
        output.WriteLine($"{path}: k = {k} storage calls; {cases} cases ({string.Join("/", Kinds)} x once/from-N-on), " +
                         $"{injected} faults injected, {orphans} orphan blobs left in {orphanCases} cases, {failures.Count} failures, {watch.Elapsed.TotalSeconds:F1} s");
        foreach (var failure in failures)
            output.WriteLine(failure);
        Assert.True(failures.Count == 0, $"{failures.Count} of {cases} cases failed:\n{string.Join("\n", failures.Take(30))}");
    }

    /// <summary>An error a client can act on: a 503 with Retry-After (storage failed), never a 500 or a hang.</summary>
    public static void AssertCleanError(DavResponse response) =>
        Assert.True(response.Status == HttpStatusCode.ServiceUnavailable && response.Headers.RetryAfter is not null,
            $"expected a success or 503 + Retry-After, got {response}");
}

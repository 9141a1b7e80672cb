using FsCheck;
using FsCheck.Fluent;

namespace Caldera.Fuzz.Tests.Harness;

/// <summary>
/// Generates inputs for a target from its corpus with FsCheck and runs each. CI runs a modest count with a fixed
/// seed; tests/bench/fuzz.sh sets FUZZ_CASES, FUZZ_SEED and FUZZ_SAVE=1 (failing inputs written to the corpus).
/// </summary>
public static class Campaign
{
    public sealed record Result(string Target, int Tried, ulong Seed, IReadOnlyList<(byte[] Input, string Failure, string? SavedAs)> Failures)
    {
        public string Summary() =>
            $"fuzz {Target}: {Tried} inputs tried (seed {Seed}), {Failures.Count} failures"
            + string.Concat(Failures.Take(5).Select(f => $"\n--- {f.SavedAs ?? "(not saved)"}\n{f.Failure}"));
    }

    public static int Cases(int ciDefault) =>
        int.TryParse(Environment.GetEnvironmentVariable("FUZZ_CASES"), out var n) && n > 0 ? n : ciDefault;

    public static ulong Seed => ulong.TryParse(Environment.GetEnvironmentVariable("FUZZ_SEED"), out var s) ? s : 20261130UL;

    static bool SaveFailures => Environment.GetEnvironmentVariable("FUZZ_SAVE") == "1";

    public static Result Run(IFuzzTarget target, int ciCases)
    {
        var cases = Cases(ciCases);
        var seed = Seed;
        var gen = target.Inputs(Corpus.Seeds(target.Name));
        var failures = new List<(byte[], string, string?)>();
        // In batches: each batch its own seed derived from the run's, so memory stays flat for long campaigns.
        const int Batch = 200;
        for (var done = 0; done < cases; done += Batch)
        {
            var inputs = gen.Sample(size: 50, seed: new Rnd(seed + (ulong)done), numberOfSamples: Math.Min(Batch, cases - done));
            foreach (var input in inputs)
            {
                if (InputRunner.Run(target, input) is not { } failure)
                    continue;
                failures.Add((input, failure, SaveFailures ? Corpus.Save(target.Name, input, target.Extension) : null));
            }
        }
        var result = new Result(target.Name, cases, seed, failures);
        Console.WriteLine(result.Summary());
        return result;
    }
}

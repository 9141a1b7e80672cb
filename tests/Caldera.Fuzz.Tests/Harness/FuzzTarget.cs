namespace Caldera.Fuzz.Tests.Harness;

/// <summary>
/// One thing fuzzed: its corpus folder, how inputs are made from the seeds, and the check of one input, which
/// returns normally for an accepted or a properly refused input (with the size of the answer it made, which the
/// allocation bound allows for) and throws for anything else.
/// </summary>
public interface IFuzzTarget
{
    /// <summary>The corpus folder name (tests/fuzz/corpus/&lt;Name&gt;).</summary>
    string Name { get; }

    /// <summary>The file extension a saved failing input gets.</summary>
    string Extension { get; }

    FsCheck.Gen<byte[]> Inputs(IReadOnlyList<byte[]> seeds);

    /// <returns>The bytes of the answer made from the input (an expanded calendar-data), 0 when none.</returns>
    long Check(byte[] input);
}

namespace Caldera.Fuzz.Tests.Harness;

/// <summary>
/// One thing fuzzed: its corpus folder, how inputs are made from the seeds, and the check of one input, which
/// returns normally for an accepted or a properly refused input and throws for anything else.
/// </summary>
public interface IFuzzTarget
{
    /// <summary>The corpus folder name (tests/fuzz/corpus/&lt;Name&gt;).</summary>
    string Name { get; }

    /// <summary>The file extension a saved failing input gets.</summary>
    string Extension { get; }

    FsCheck.Gen<byte[]> Inputs(IReadOnlyList<byte[]> seeds);

    void Check(byte[] input);
}

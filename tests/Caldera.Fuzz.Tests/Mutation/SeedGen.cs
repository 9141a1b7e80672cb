using FsCheck;
using FsCheck.Fluent;

namespace Caldera.Fuzz.Tests.Mutation;

/// <summary>An FsCheck generator of inputs: a seed from the corpus, a number of mutation steps and the randomness they use.</summary>
public static class SeedGen
{
    public delegate byte[] Mutator(byte[] seed, Random random, int steps);

    public static Gen<byte[]> From(IReadOnlyList<byte[]> seeds, Mutator mutate) =>
        from index in Gen.Choose(0, seeds.Count - 1)
        from steps in Gen.Frequency((6, Gen.Choose(1, 3)), (1, Gen.Choose(4, 12)))
        from randomness in Gen.Choose(0, int.MaxValue - 1)
        select mutate(seeds[index], new Random(randomness), steps);
}

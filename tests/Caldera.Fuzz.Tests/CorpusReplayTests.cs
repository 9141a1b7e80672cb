using Caldera.Fuzz.Tests.Harness;
using Caldera.Fuzz.Tests.Targets;

namespace Caldera.Fuzz.Tests;

/// <summary>Every committed corpus file, seeds and the inputs that once found a defect, replayed through its target each run.</summary>
public sealed class CorpusReplayTests
{
    static readonly IReadOnlyDictionary<string, IFuzzTarget> Targets = new IFuzzTarget[]
        { new XmlBodyTarget(), new FilterTarget(), new ICalendarTarget(), new MimeTarget() }.ToDictionary(t => t.Name);

    public static TheoryData<string, string> Files()
    {
        var data = new TheoryData<string, string>();
        foreach (var target in Targets.Keys)
            foreach (var file in Corpus.Files(target))
                data.Add(target, Path.GetFileName(file));
        return data;
    }

    [Fact]
    public void Every_target_has_seeds() =>
        Assert.All(Targets.Keys, t => Assert.Contains(Corpus.Files(t), f => Path.GetFileName(f).StartsWith("seed-", StringComparison.Ordinal)));

    [Theory]
    [MemberData(nameof(Files))]
    public void Corpus_input_is_accepted_or_properly_refused(string target, string file)
    {
        var input = File.ReadAllBytes(Path.Combine(Corpus.Folder(target), file));
        Assert.Null(InputRunner.Run(Targets[target], input));
    }
}

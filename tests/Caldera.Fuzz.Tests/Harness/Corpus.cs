using System.Security.Cryptography;

namespace Caldera.Fuzz.Tests.Harness;

/// <summary>
/// The committed corpus, tests/fuzz/corpus/&lt;target&gt;/: seeds (seed-*) that mutation starts from, and every input
/// that ever found a defect (named by what it found). CI replays all of it; a campaign adds what fails.
/// </summary>
public static class Corpus
{
    /// <summary>The folder holding Caldera.slnx, found upwards from the test binaries.</summary>
    public static string Root { get; } = FindRoot();

    public static string Folder(string target) => Path.Combine(Root, "tests", "fuzz", "corpus", target);

    /// <summary>Every file of the target's corpus, sorted so that runs are repeatable.</summary>
    public static IReadOnlyList<string> Files(string target) =>
        Directory.GetFiles(Folder(target)).Order(StringComparer.Ordinal).ToList();

    public static IReadOnlyList<byte[]> Seeds(string target) =>
        Files(target).Select(File.ReadAllBytes).ToList();

    /// <summary>Writes a failing input as found-&lt;hash&gt;.&lt;ext&gt; (the hash keeps one file per input); returns its path.</summary>
    public static string Save(string target, byte[] input, string extension)
    {
        var hash = Convert.ToHexStringLower(SHA256.HashData(input))[..12];
        var path = Path.Combine(Folder(target), $"found-{hash}.{extension}");
        File.WriteAllBytes(path, input);
        return path;
    }

    static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Caldera.slnx")))
                return dir.FullName;
        throw new InvalidOperationException($"Caldera.slnx not found above {AppContext.BaseDirectory}");
    }
}

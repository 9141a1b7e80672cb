using System.Reflection;

namespace Caldera.Functions.Tests;

/// <summary>Where things are in the repository and in the build output of this test run.</summary>
public static class RepoPaths
{
    static string Metadata(string key) =>
        typeof(RepoPaths).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == key).Value
        ?? throw new InvalidOperationException($"assembly metadata {key} is missing");

    /// <summary>The build configuration of this test assembly (Debug, Release).</summary>
    public static string Configuration => Metadata("Configuration");

    public static string TargetFramework => Metadata("TargetFramework");

    /// <summary>The folder holding Caldera.slnx, found upwards from the test binaries.</summary>
    public static string Root { get; } = FindRoot();

    /// <summary>functions/Caldera.Functions/bin/&lt;Configuration&gt;/&lt;tfm&gt;/functions.metadata</summary>
    public static string FunctionsMetadataFile =>
        Path.Combine(Root, "functions", "Caldera.Functions", "bin", Configuration, TargetFramework, "functions.metadata");

    static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Caldera.slnx")))
                return dir.FullName;
        }
        throw new InvalidOperationException($"Caldera.slnx not found above {AppContext.BaseDirectory}");
    }
}

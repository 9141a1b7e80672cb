using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Caldera.Infra.Tests;

/// <summary>Builds and lints infra/main.bicep once (offline, with the Bicep CLI restored from NuGet).</summary>
public sealed partial class BicepFixture : IDisposable
{
    readonly string _dir = Directory.CreateTempSubdirectory("caldera-bicep-").FullName;

    public BicepFixture()
    {
        var bicep = Repo.BicepPath;
        var outFile = Path.Combine(_dir, "main.json");
        Build = Repo.Run(bicep, ["build", Repo.MainBicep, "--outfile", outFile], TimeSpan.FromMinutes(3));
        Lint = Repo.Run(bicep, ["lint", Repo.MainBicep], TimeSpan.FromMinutes(3));
        if (Build.ExitCode == 0 && File.Exists(outFile))
        {
            var text = File.ReadAllText(outFile);
            Template = new ArmTemplate(JsonNode.Parse(text)!, text);
        }
    }

    public Repo.ProcessResult Build { get; }
    public Repo.ProcessResult Lint { get; }
    public ArmTemplate? Template { get; }

    public ArmTemplate Compiled => Template ?? throw new InvalidOperationException($"bicep build failed:\n{Build.Output}");

    /// <summary>Diagnostic lines (bicep prints "path(line,col) : Warning rule: text" / ": Error BCPnnn: text").</summary>
    public static IEnumerable<string> Diagnostics(Repo.ProcessResult result) => result.Lines.Where(l => DiagnosticLine().IsMatch(l));

    [GeneratedRegex(@"\b(Warning|Error)\b")]
    private static partial Regex DiagnosticLine();

    public void Dispose()
    {
        try { Directory.Delete(_dir, recursive: true); } catch (IOException) { }
    }
}

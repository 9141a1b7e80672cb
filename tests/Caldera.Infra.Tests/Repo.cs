using System.Diagnostics;
using System.Reflection;
using System.Runtime.Versioning;
using System.Text;

namespace Caldera.Infra.Tests;

/// <summary>Where things are, and a small process runner.</summary>
public static class Repo
{
    public static string Root { get; } = FindRoot();

    public static string MainBicep => Path.Combine(Root, "infra", "main.bicep");

    public static string FunctionsProject => Path.Combine(Root, "functions", "Caldera.Functions", "Caldera.Functions.csproj");

    /// <summary>"10.0" for net10.0: the runtime version the project targets (Directory.Build.props, shared by this assembly).</summary>
    public static string DotnetVersion
    {
        get
        {
            var name = typeof(Repo).Assembly.GetCustomAttribute<TargetFrameworkAttribute>()!.FrameworkName; // .NETCoreApp,Version=v10.0
            return name[(name.IndexOf("Version=v", StringComparison.Ordinal) + "Version=v".Length)..];
        }
    }

    static string Metadata(string key) =>
        typeof(Repo).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().SingleOrDefault(a => a.Key == key)?.Value ?? "";

    /// <summary>
    /// The Bicep CLI restored by this project's PackageDownload: under $NUGET_PACKAGES when set, else the packages folder
    /// restore used (MSBuild's NuGetPackageRoot), else ~/.nuget/packages.
    /// </summary>
    public static string BicepPath
    {
        get
        {
            var version = Metadata("BicepCliVersion");
            var roots = new[]
            {
                Environment.GetEnvironmentVariable("NUGET_PACKAGES"),
                Metadata("NuGetPackageRoot"),
                Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages"),
            };
            var candidates = roots
                .Where(r => !string.IsNullOrWhiteSpace(r))
                .Select(r => Path.Combine(r!, "azure.bicep.commandline.linux-x64", version, "tools", "bicep"))
                .ToList();
            return candidates.FirstOrDefault(File.Exists)
                ?? throw new FileNotFoundException(
                    $"Bicep CLI {version} not found (looked at {string.Join(", ", candidates)}); run `dotnet restore tests/Caldera.Infra.Tests`.");
        }
    }

    static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Caldera.slnx")))
                return dir.FullName;
        }
        throw new InvalidOperationException($"Caldera.slnx not found above {AppContext.BaseDirectory}");
    }

    public sealed record ProcessResult(int ExitCode, string Output, TimeSpan Duration)
    {
        public IEnumerable<string> Lines => Output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
    }

    /// <summary>Runs a program to completion (stdout and stderr interleaved into <see cref="ProcessResult.Output"/>).</summary>
    public static ProcessResult Run(string fileName, IEnumerable<string> args, TimeSpan timeout, string? workingDirectory = null)
    {
        var psi = new ProcessStartInfo(fileName)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory ?? Root,
        };
        foreach (var a in args)
            psi.ArgumentList.Add(a);
        var output = new StringBuilder();
        var watch = Stopwatch.StartNew();
        using var process = new Process { StartInfo = psi };
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) lock (output) output.AppendLine(e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (output) output.AppendLine(e.Data); };
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        if (!process.WaitForExit(timeout))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{fileName} {string.Join(' ', args)} did not finish within {timeout}:\n{output}");
        }
        process.WaitForExit(); // drain the output
        lock (output)
            return new ProcessResult(process.ExitCode, output.ToString(), watch.Elapsed);
    }
}

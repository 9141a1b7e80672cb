namespace Caldera.Infra.Tests;

/// <summary>
/// <c>dotnet publish functions/Caldera.Functions -c Release</c> once, into a temporary folder: the package azd zips
/// and deploys. (azure.yaml names that project: functions/ holds three projects, so publishing the folder would
/// not pick one.)
/// </summary>
public sealed class PublishFixture : IDisposable
{
    public PublishFixture()
    {
        Output = Directory.CreateTempSubdirectory("caldera-publish-").FullName;
        Publish = Repo.Run("dotnet",
            ["publish", Repo.FunctionsProject, "-c", "Release", "-o", Output, "--nologo", "-nodeReuse:false", "-v", "minimal"],
            TimeSpan.FromMinutes(10));
    }

    public string Output { get; }
    public Repo.ProcessResult Publish { get; }

    public string File(string name)
    {
        Assert.True(Publish.ExitCode == 0, Publish.Output);
        var path = Path.Combine(Output, name);
        Assert.True(System.IO.File.Exists(path), $"{name} is not in the publish output");
        return path;
    }

    public void Dispose()
    {
        try { Directory.Delete(Output, recursive: true); } catch (IOException) { }
    }
}

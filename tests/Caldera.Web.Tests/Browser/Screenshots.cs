using Microsoft.Playwright;

namespace Caldera.Web.Tests.Browser;

/// <summary>
/// Full-page screenshots saved as test artifacts in tests/Caldera.Web.Tests/artifacts/ (git-ignored), named
/// "{page}-{desktop|phone}.png"; the README shows two of them.
/// </summary>
public static class Screenshots
{
    /// <summary>tests/Caldera.Web.Tests/artifacts/ of the checkout the tests were built from (made on demand).</summary>
    public static string Folder
    {
        get
        {
            var folder = Path.Combine(RepoRoot(), "tests", "Caldera.Web.Tests", "artifacts");
            Directory.CreateDirectory(folder);
            return folder;
        }
    }

    public static string PathOf(string page, Viewport viewport) => Path.Combine(Folder, $"{page}-{viewport.Name}.png");

    /// <summary>Saves the whole page (not only the viewport) and returns the file's path.</summary>
    public static async Task<string> SaveAsync(IPage page, string name, Viewport viewport)
    {
        var path = PathOf(name, viewport);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = path, FullPage = true, Animations = ScreenshotAnimations.Disabled });
        return path;
    }

    /// <summary>The folder holding Caldera.slnx, above the test binaries.</summary>
    static string RepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Caldera.slnx")))
                return dir.FullName;
        throw new InvalidOperationException($"no Caldera.slnx above {AppContext.BaseDirectory}");
    }
}

using System.Reflection;
using System.Security.Cryptography;

namespace Caldera.Web.Assets;

/// <summary>
/// The page's files as built by web/build.mjs and embedded in this assembly (resource names <c>web/index.html</c>,
/// <c>web/assets/app.js</c>, …; see Caldera.Web.csproj), read once, each with its content type and a strong ETag.
/// </summary>
public sealed class WebBundle
{
    public const string ResourcePrefix = "web/";

    readonly Dictionary<string, BundleFile> _files;

    WebBundle(Dictionary<string, BundleFile> files) => _files = files;

    /// <summary>The bundle embedded in Caldera.Web; fails loudly when the build left it out.</summary>
    public static WebBundle LoadEmbedded() => Load(typeof(WebBundle).Assembly);

    public static WebBundle Load(Assembly assembly)
    {
        var files = new Dictionary<string, BundleFile>(StringComparer.Ordinal);
        foreach (var name in assembly.GetManifestResourceNames())
        {
            if (!name.StartsWith(ResourcePrefix, StringComparison.Ordinal))
                continue;
            using var stream = assembly.GetManifestResourceStream(name)!;
            using var copy = new MemoryStream();
            stream.CopyTo(copy);
            var path = name[ResourcePrefix.Length..];
            files[path] = new BundleFile(path, copy.ToArray(), ContentTypeOf(path));
        }
        if (!files.ContainsKey("index.html") || !files.ContainsKey("admin.html"))
            throw new InvalidOperationException(
                "The web page bundle is not embedded in Caldera.Web (no web/index.html resource): build it with npm ci, then dotnet build.");
        return new WebBundle(files);
    }

    /// <summary>A file by its path in the bundle ("index.html", "assets/app.js"), or null.</summary>
    public BundleFile? Find(string path) => _files.GetValueOrDefault(path);

    public IEnumerable<string> Paths => _files.Keys;

    static string ContentTypeOf(string path) => Path.GetExtension(path).ToLowerInvariant() switch
    {
        ".html" => "text/html; charset=utf-8",
        ".js" => "text/javascript; charset=utf-8",
        ".css" => "text/css; charset=utf-8",
        ".svg" => "image/svg+xml",
        ".png" => "image/png",
        ".json" => "application/json",
        ".txt" => "text/plain; charset=utf-8",
        _ => "application/octet-stream",
    };
}

/// <summary>One file of the bundle. The ETag is a hash of the bytes, so it changes exactly when they do.</summary>
public sealed class BundleFile(string path, byte[] content, string contentType)
{
    public string Path { get; } = path;
    public byte[] Content { get; } = content;
    public string ContentType { get; } = contentType;
    public string ETag { get; } = "\"" + Convert.ToBase64String(SHA256.HashData(content), 0, 18).Replace('+', '-').Replace('/', '_') + "\"";
}

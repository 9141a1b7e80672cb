using System.Reflection;
using System.Security.Cryptography;

namespace Caldera.Web.Assets;

/// <summary>
/// The page's files as built by web/build.mjs and embedded in this assembly (resource names <c>web/index.html</c>,
/// <c>web/assets/app.js</c>, …; see Caldera.Web.csproj), read once, each with its content type, a strong ETag, and
/// the brotli/gzip copies the build made of it (<c>app.js.br</c>, <c>app.js.gz</c>: never served under their own name).
/// </summary>
public sealed class WebBundle
{
    public const string ResourcePrefix = "web/";

    static readonly (string Suffix, string Coding)[] Codings = [(".br", "br"), (".gz", "gzip")];

    readonly Dictionary<string, BundleFile> _files;

    WebBundle(Dictionary<string, BundleFile> files) => _files = files;

    /// <summary>The bundle embedded in Caldera.Web; fails loudly when the build left it out.</summary>
    public static WebBundle LoadEmbedded() => Load(typeof(WebBundle).Assembly);

    public static WebBundle Load(Assembly assembly)
    {
        var contents = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        foreach (var name in assembly.GetManifestResourceNames())
        {
            if (!name.StartsWith(ResourcePrefix, StringComparison.Ordinal))
                continue;
            using var stream = assembly.GetManifestResourceStream(name)!;
            using var copy = new MemoryStream();
            stream.CopyTo(copy);
            contents[name[ResourcePrefix.Length..]] = copy.ToArray();
        }

        var files = new Dictionary<string, BundleFile>(StringComparer.Ordinal);
        foreach (var (path, content) in contents)
        {
            if (Codings.Any(c => path.EndsWith(c.Suffix, StringComparison.Ordinal)))
                continue;
            var encoded = new Dictionary<string, byte[]>(StringComparer.Ordinal);
            foreach (var (suffix, coding) in Codings)
                if (contents.TryGetValue(path + suffix, out var bytes))
                    encoded[coding] = bytes;
            files[path] = new BundleFile(path, content, ContentTypeOf(path), encoded);
        }
        if (!files.ContainsKey("index.html") || !files.ContainsKey("admin.html"))
            throw new InvalidOperationException(
                "The web page bundle is not embedded in Caldera.Web (no web/index.html resource): build it with npm ci, then dotnet build.");
        return new WebBundle(files);
    }

    /// <summary>A file by its path in the bundle ("index.html", "assets/app.js"), or null.</summary>
    public BundleFile? Find(string path) => _files.GetValueOrDefault(path);

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

/// <summary>
/// One file of the bundle. The ETag is a hash of the bytes, so it changes exactly when they do; each compressed copy
/// is a representation of its own with its own strong ETag (the hash plus the coding).
/// </summary>
public sealed class BundleFile
{
    public BundleFile(string path, byte[] content, string contentType, IReadOnlyDictionary<string, byte[]> encoded)
    {
        Path = path;
        Content = content;
        ContentType = contentType;
        var hash = Convert.ToBase64String(SHA256.HashData(content), 0, 18).Replace('+', '-').Replace('/', '_');
        ETag = $"\"{hash}\"";
        Encoded = encoded.ToDictionary(e => e.Key, e => new Representation(e.Value, e.Key, $"\"{hash}-{e.Key}\""), StringComparer.Ordinal);
    }

    public string Path { get; }
    public byte[] Content { get; }
    public string ContentType { get; }
    public string ETag { get; }

    /// <summary>Compressed copies by content coding ("br", "gzip").</summary>
    public IReadOnlyDictionary<string, Representation> Encoded { get; }

    /// <summary>The bytes to send for <paramref name="acceptEncoding"/>: brotli, else gzip, else the file itself.</summary>
    public Representation Select(string? acceptEncoding)
    {
        foreach (var coding in new[] { "br", "gzip" })
            if (Encoded.TryGetValue(coding, out var representation) && AcceptEncoding.Allows(acceptEncoding, coding))
                return representation;
        return new Representation(Content, null, ETag);
    }
}

/// <summary>What goes on the wire: the bytes, their Content-Encoding (null for none) and their ETag.</summary>
public sealed record Representation(byte[] Content, string? Coding, string ETag);

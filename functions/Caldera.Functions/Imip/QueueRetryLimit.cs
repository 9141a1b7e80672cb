using System.Globalization;
using System.Text.Json;
using Microsoft.Extensions.Configuration;

namespace Caldera.Functions.Imip;

/// <summary>
/// The queue trigger's maxDequeueCount, which the worker is not told: the app setting that overrides host.json
/// (<c>AzureFunctionsJobHost__extensions__queues__maxDequeueCount</c>; the local host sets it from the settings its
/// pump uses), else host.json next to the Functions assembly, else the host's default of 5. A queue function uses it
/// to know its last delivery before the poison queue.
/// </summary>
public static class QueueRetryLimit
{
    public const string Setting = "AzureFunctionsJobHost:extensions:queues:maxDequeueCount";
    public const int HostDefault = 5;

    /// <summary>
    /// The app setting is read when asked, so the limit follows the configuration; host.json, which cannot change while
    /// the app runs, is read once per process instead of once per queue message.
    /// </summary>
    public static int Read(IConfiguration configuration) =>
        int.TryParse(configuration[Setting], NumberStyles.None, CultureInfo.InvariantCulture, out var configured) && configured > 0
            ? configured
            : FromHostJson.Value;

    static readonly Lazy<int> FromHostJson = new(ReadHostJson);

    static int ReadHostJson()
    {
        var hostJson = Path.Combine(Path.GetDirectoryName(typeof(QueueRetryLimit).Assembly.Location) ?? AppContext.BaseDirectory, "host.json");
        if (!File.Exists(hostJson))
            return HostDefault;
        try
        {
            using var doc = JsonDocument.Parse(File.ReadAllText(hostJson), new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
            // host.json keys are case-insensitive, like the host's configuration.
            return Find(doc.RootElement, "extensions", "queues", "maxDequeueCount") is { ValueKind: JsonValueKind.Number } n && n.TryGetInt32(out var max) && max > 0
                ? max
                : HostDefault;
        }
        catch (JsonException)
        {
            return HostDefault;
        }
    }

    static JsonElement? Find(JsonElement element, params string[] path)
    {
        foreach (var name in path)
        {
            if (element.ValueKind != JsonValueKind.Object)
                return null;
            var found = element.EnumerateObject().FirstOrDefault(p => string.Equals(p.Name, name, StringComparison.OrdinalIgnoreCase));
            if (found.Value.ValueKind == JsonValueKind.Undefined)
                return null;
            element = found.Value;
        }
        return element;
    }
}

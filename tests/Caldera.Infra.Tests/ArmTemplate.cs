using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Caldera.Infra.Tests;

/// <summary>Reading the compiled ARM JSON: resources at any depth (nested deployments included).</summary>
public sealed partial class ArmTemplate(JsonNode root, string text)
{
    public JsonNode Root { get; } = root;
    public string Text { get; } = text;

    /// <summary>Every resource declaration in the template and in nested deployments' templates.</summary>
    public IReadOnlyList<JsonObject> Resources { get; } = FindResources(root).ToList();

    public IEnumerable<JsonObject> OfType(string type) =>
        Resources.Where(r => string.Equals((string?)r["type"], type, StringComparison.OrdinalIgnoreCase));

    public JsonObject Single(string type) => Assert.Single(OfType(type));

    /// <summary>The function app's settings: the sites/config 'appsettings' resource and any siteConfig.appSettings.</summary>
    public IReadOnlyDictionary<string, string> AppSettings
    {
        get
        {
            var settings = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
            foreach (var config in OfType("Microsoft.Web/sites/config").Where(r => ((string?)r["name"])?.Contains("appsettings", StringComparison.OrdinalIgnoreCase) == true))
            {
                foreach (var (key, value) in config["properties"]!.AsObject())
                    settings.Add(key, value?.ToString() ?? "");
            }
            foreach (var site in OfType("Microsoft.Web/sites"))
            {
                if (site["properties"]?["siteConfig"]?["appSettings"] is JsonArray array)
                {
                    foreach (var item in array)
                        settings.Add((string)item!["name"]!, item["value"]?.ToString() ?? "");
                }
            }
            return settings;
        }
    }

    static IEnumerable<JsonObject> FindResources(JsonNode? node)
    {
        switch (node)
        {
            case JsonObject obj:
                if (obj["type"] is JsonValue t && t.TryGetValue<string>(out var type) && type.Contains('/') && obj.ContainsKey("name"))
                    yield return obj;
                foreach (var (_, child) in obj)
                foreach (var found in FindResources(child))
                    yield return found;
                break;
            case JsonArray array:
                foreach (var child in array)
                foreach (var found in FindResources(child))
                    yield return found;
                break;
        }
    }

    [GeneratedRegex("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}")]
    public static partial Regex Guid();
}

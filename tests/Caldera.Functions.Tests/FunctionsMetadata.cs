using System.Text.Json;

namespace Caldera.Functions.Tests;

/// <summary>An HTTP function as the Functions host sees it: read from functions.metadata, as the host reads it.</summary>
/// <param name="Methods">Null when the trigger lists no methods: the host then takes every verb.</param>
public sealed record HttpFunctionEntry(string Name, string Route, IReadOnlyList<string>? Methods, string AuthLevel)
{
    public bool AllMethods => Methods is null || Methods.Count == 0;

    public bool Accepts(string method) => AllMethods || Methods!.Contains(method, StringComparer.OrdinalIgnoreCase);

    public override string ToString() => $"{Name} {(AllMethods ? "[all]" : string.Join(",", Methods!))} {Route}";
}

public static class FunctionsMetadata
{
    /// <summary>The HTTP-triggered functions in the built functions.metadata.</summary>
    public static IReadOnlyList<HttpFunctionEntry> LoadHttpFunctions() => LoadHttpFunctions(RepoPaths.FunctionsMetadataFile);

    public static IReadOnlyList<HttpFunctionEntry> LoadHttpFunctions(string path)
    {
        if (!File.Exists(path))
            throw new FileNotFoundException($"functions.metadata not found at {path}: build functions/Caldera.Functions in configuration {RepoPaths.Configuration}.", path);
        using var doc = JsonDocument.Parse(File.ReadAllText(path));
        var result = new List<HttpFunctionEntry>();
        foreach (var function in doc.RootElement.EnumerateArray())
        {
            var name = function.GetProperty("name").GetString()!;
            foreach (var binding in function.GetProperty("bindings").EnumerateArray())
            {
                if (!string.Equals(binding.GetProperty("type").GetString(), "httpTrigger", StringComparison.OrdinalIgnoreCase))
                    continue;
                // As the host: no "route" means the function name, no "methods" means every verb.
                var route = binding.TryGetProperty("route", out var r) && r.ValueKind == JsonValueKind.String ? r.GetString()! : name;
                List<string>? methods = binding.TryGetProperty("methods", out var m) && m.ValueKind == JsonValueKind.Array
                    ? [.. m.EnumerateArray().Select(x => x.GetString()!)]
                    : null;
                var auth = binding.TryGetProperty("authLevel", out var a) ? a.GetString() ?? "Function" : "Function";
                result.Add(new HttpFunctionEntry(name, route, methods, auth));
            }
        }
        return result;
    }
}

using System.Globalization;
using System.Text.Json;
using Azure.Storage.Queues;

namespace Caldera.LocalHost.Queues;

/// <summary>
/// Reads <c>extensions.queues</c> from the host.json next to the Functions assembly (as the route prefix is read), so
/// one file configures both hosts. Names are case-insensitive like the host's configuration; absent keys keep the
/// Azure defaults of <see cref="QueueSettings"/>.
/// </summary>
public static class HostJsonQueueSettings
{
    public static QueueSettings Read(string hostJsonPath)
    {
        if (!File.Exists(hostJsonPath))
            throw new FileNotFoundException($"host.json not found at {hostJsonPath}; it is copied next to the Functions assembly by the build.", hostJsonPath);
        using var doc = JsonDocument.Parse(File.ReadAllText(hostJsonPath), new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
        return Parse(doc.RootElement, hostJsonPath);
    }

    /// <summary>Reads the <c>extensions.queues</c> object of a parsed host.json; <paramref name="source"/> names it in errors.</summary>
    public static QueueSettings Parse(JsonElement hostJson, string source = "host.json")
    {
        var settings = QueueSettings.Default;
        if (Property(hostJson, "extensions") is not { ValueKind: JsonValueKind.Object } extensions ||
            Property(extensions, "queues") is not { ValueKind: JsonValueKind.Object } queues)
            return settings;

        foreach (var p in queues.EnumerateObject())
        {
            try
            {
                settings = p.Name.ToLowerInvariant() switch
                {
                    "batchsize" => settings with { BatchSize = p.Value.GetInt32() },
                    "newbatchthreshold" => settings with { NewBatchThreshold = p.Value.GetInt32() },
                    "maxpollinginterval" => settings with { MaxPollingInterval = Duration(p.Value) },
                    "visibilitytimeout" => settings with { VisibilityTimeout = Duration(p.Value) },
                    "maxdequeuecount" => settings with { MaxDequeueCount = p.Value.GetInt32() },
                    "messageencoding" => settings with { MessageEncoding = Encoding(p.Value) },
                    _ => settings, // other queue settings (e.g. output bindings) do not concern the trigger
                };
            }
            catch (Exception e) when (e is InvalidOperationException or FormatException or OverflowException)
            {
                throw new InvalidOperationException($"{source}: extensions.queues.{p.Name} = {p.Value.GetRawText()} is invalid: {e.Message}", e);
            }
        }
        try
        {
            return settings.Validate();
        }
        catch (InvalidOperationException e)
        {
            throw new InvalidOperationException($"{source}: {e.Message}", e);
        }
    }

    static JsonElement? Property(JsonElement element, string name)
    {
        if (element.ValueKind != JsonValueKind.Object)
            return null;
        foreach (var p in element.EnumerateObject())
            if (string.Equals(p.Name, name, StringComparison.OrdinalIgnoreCase))
                return p.Value;
        return null;
    }

    // The host binds TimeSpan settings from strings ("00:00:02"); a bare number would mean days there, so refuse it.
    static TimeSpan Duration(JsonElement value) =>
        value.ValueKind == JsonValueKind.String
            ? TimeSpan.Parse(value.GetString()!, CultureInfo.InvariantCulture)
            : throw new FormatException("expected a TimeSpan string such as \"00:00:02\"");

    static QueueMessageEncoding Encoding(JsonElement value) =>
        value.ValueKind == JsonValueKind.String && Enum.TryParse<QueueMessageEncoding>(value.GetString(), ignoreCase: true, out var e) &&
        Enum.IsDefined(e)
            ? e
            : throw new FormatException("expected \"base64\" or \"none\"");
}

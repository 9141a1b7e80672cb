using System.Text.Json;

namespace Caldera.Calendars.Providers.Subscriptions;

/// <summary>One subscribed feed of a user: its calendar URI segment, where it comes from, its name and refresh interval.</summary>
public sealed record FeedDefinition(string Uri, Uri Url, string? Name, TimeSpan? Refresh)
{
    /// <summary>
    /// Reads the registry configuration <c>{"feeds":[{"uri":"holidays","url":"webcal://…","name":"Holidays","refreshMinutes":60}]}</c>.
    /// webcal:// becomes https://. Throws <see cref="FormatException"/> naming the first problem.
    /// </summary>
    public static IReadOnlyList<FeedDefinition> ParseAll(string? configuration)
    {
        if (string.IsNullOrWhiteSpace(configuration))
            throw new FormatException("no configuration (expected {\"feeds\":[…]})");
        JsonDocument doc;
        try { doc = JsonDocument.Parse(configuration); }
        catch (JsonException e) { throw new FormatException("configuration is not JSON: " + e.Message); }
        using (doc)
        {
            if (doc.RootElement.ValueKind != JsonValueKind.Object ||
                !doc.RootElement.TryGetProperty("feeds", out var feeds) || feeds.ValueKind != JsonValueKind.Array)
                throw new FormatException("configuration needs a \"feeds\" array");
            var list = new List<FeedDefinition>();
            foreach (var f in feeds.EnumerateArray())
            {
                var feed = Parse(f);
                if (list.Any(x => x.Uri.Equals(feed.Uri, StringComparison.OrdinalIgnoreCase)))
                    throw new FormatException($"feed uri '{feed.Uri}' appears twice");
                list.Add(feed);
            }
            return list;
        }
    }

    /// <summary>The registry configuration holding <paramref name="feeds"/>, in the form <see cref="ParseAll"/> reads.</summary>
    public static string FormatAll(IEnumerable<FeedDefinition> feeds)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteStartArray("feeds");
            foreach (var feed in feeds)
            {
                json.WriteStartObject();
                json.WriteString("uri", feed.Uri);
                json.WriteString("url", feed.Url.AbsoluteUri);
                if (feed.Name is not null)
                    json.WriteString("name", feed.Name);
                if (feed.Refresh is { } refresh)
                    json.WriteNumber("refreshMinutes", refresh.TotalMinutes);
                json.WriteEndObject();
            }
            json.WriteEndArray();
            json.WriteEndObject();
        }
        return System.Text.Encoding.UTF8.GetString(buffer.ToArray());
    }

    static FeedDefinition Parse(JsonElement f)
    {
        if (f.ValueKind != JsonValueKind.Object)
            throw new FormatException("each feed must be an object");
        var uri = String(f, "uri") ?? throw new FormatException("a feed has no \"uri\"");
        if (uri.Length is 0 or > 64 || !uri.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.') || uri.Contains("--") || uri.StartsWith('.'))
            throw new FormatException($"feed uri '{uri}' must be 1-64 letters, digits, '-', '_' or '.' (no '--')");
        var url = String(f, "url") ?? throw new FormatException($"feed '{uri}' has no \"url\"");
        var name = String(f, "name");
        TimeSpan? refresh = null;
        if (f.TryGetProperty("refreshMinutes", out var r))
        {
            if (r.ValueKind != JsonValueKind.Number || !r.TryGetDouble(out var minutes) || minutes < 0 || minutes > 60 * 24 * 30)
                throw new FormatException($"feed '{uri}': refreshMinutes must be a number from 0 to 43200");
            refresh = TimeSpan.FromMinutes(minutes);
        }
        return new FeedDefinition(uri, NormalizeUrl(url), name, refresh);
    }

    /// <summary>http(s) as given, webcal(s) as https; anything else (file:, ftp:, relative) is refused.</summary>
    public static Uri NormalizeUrl(string url)
    {
        if (!System.Uri.TryCreate(url.Trim(), UriKind.Absolute, out var u))
            throw new FormatException($"'{url}' is not an absolute URL");
        var scheme = u.Scheme.ToLowerInvariant();
        if (scheme is "webcal" or "webcals")
            u = new UriBuilder(u) { Scheme = "https", Port = u.IsDefaultPort ? -1 : u.Port }.Uri;
        else if (scheme is not ("http" or "https"))
            throw new FormatException($"'{url}': only http, https and webcal feeds are supported");
        if (!string.IsNullOrEmpty(u.UserInfo))
            throw new FormatException($"'{url}': credentials in the URL are not supported");
        return u;
    }

    static string? String(JsonElement e, string name) =>
        e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String && !string.IsNullOrWhiteSpace(v.GetString()) ? v.GetString()!.Trim() : null;
}

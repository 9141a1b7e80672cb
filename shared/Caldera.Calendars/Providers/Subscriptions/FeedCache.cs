using System.Globalization;
using Azure;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Caldera.Storage;

namespace Caldera.Calendars.Providers.Subscriptions;

/// <summary>
/// What is known of a feed: the HTTP validators of the last good copy, when it was last checked and last fetched
/// successfully, the hash of the copy kept, and the last error (null when the last check succeeded).
/// </summary>
public sealed record FeedState(string? HttpETag, string? HttpLastModified, DateTimeOffset CheckedAt, DateTimeOffset? FetchedAt, string? ContentHash, string? Error);

/// <summary>
/// The last good copy of each feed, one blob per (user, feed, URL) in the <see cref="StorageLayout.FeedsContainer"/>
/// container; the state lives in the blob's metadata, so a failed fetch updates the state and keeps the copy.
/// </summary>
public sealed class FeedCache(BlobServiceClient blobs, StorageLayout layout)
{
    readonly BlobContainerClient _container = blobs.GetBlobContainerClient(layout.FeedsContainer);

    public async Task<FeedState?> ReadStateAsync(string key, CancellationToken ct)
    {
        try
        {
            var props = await _container.GetBlobClient(key).GetPropertiesAsync(cancellationToken: ct);
            return FromMetadata(props.Value.Metadata);
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            return null;
        }
    }

    public async Task<byte[]?> ReadBodyAsync(string key, CancellationToken ct)
    {
        try
        {
            var result = await _container.GetBlobClient(key).DownloadContentAsync(ct);
            return result.Value.Content.ToArray();
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            return null;
        }
    }

    /// <summary>Stores a new good copy with its state.</summary>
    public Task SaveAsync(string key, byte[] body, FeedState state, CancellationToken ct) =>
        _container.GetBlobClient(key).UploadAsync(BinaryData.FromBytes(body), new BlobUploadOptions
        {
            Metadata = ToMetadata(state),
            HttpHeaders = new BlobHttpHeaders { ContentType = "text/calendar; charset=utf-8" },
        }, ct);

    /// <summary>Updates the state only, keeping the copy (an empty blob when there was none).</summary>
    public async Task SaveStateAsync(string key, FeedState state, CancellationToken ct)
    {
        var blob = _container.GetBlobClient(key);
        try
        {
            await blob.SetMetadataAsync(ToMetadata(state), cancellationToken: ct);
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            await SaveAsync(key, [], state with { ContentHash = null }, ct);
        }
    }

    static Dictionary<string, string> ToMetadata(FeedState s)
    {
        var m = new Dictionary<string, string> { ["checked"] = s.CheckedAt.UtcTicks.ToString(CultureInfo.InvariantCulture) };
        if (s.FetchedAt is { } f) m["fetched"] = f.UtcTicks.ToString(CultureInfo.InvariantCulture);
        if (s.HttpETag is { } e) m["etag"] = Uri.EscapeDataString(e);
        if (s.HttpLastModified is { } l) m["lastmodified"] = Uri.EscapeDataString(l);
        if (s.ContentHash is { } h) m["sha"] = h;
        if (s.Error is { } err) m["error"] = Uri.EscapeDataString(err.Length > 1000 ? err[..1000] : err);
        return m;
    }

    static FeedState FromMetadata(IDictionary<string, string> m)
    {
        string? Get(string k) => m.TryGetValue(k, out var v) && v.Length > 0 ? v : null;
        DateTimeOffset? Ticks(string k) => long.TryParse(Get(k), NumberStyles.None, CultureInfo.InvariantCulture, out var t)
            ? new DateTimeOffset(t, TimeSpan.Zero) : null;
        return new FeedState(
            Get("etag") is { } e ? Uri.UnescapeDataString(e) : null,
            Get("lastmodified") is { } l ? Uri.UnescapeDataString(l) : null,
            Ticks("checked") ?? DateTimeOffset.MinValue,
            Ticks("fetched"),
            Get("sha"),
            Get("error") is { } err ? Uri.UnescapeDataString(err) : null);
    }
}

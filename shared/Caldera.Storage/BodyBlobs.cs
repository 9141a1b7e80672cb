using Azure;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;

namespace Caldera.Storage;

/// <summary>
/// Object bodies: every version is a new blob "{owner}/{calendarId}/{guid}.ics", so the table transaction that
/// points the index at it is the only commit point; a crash leaves at worst an orphan blob.
/// </summary>
sealed class BodyBlobs(BlobContainerClient container)
{
    const string ContentType = "text/calendar; charset=utf-8";

    public static string NewName(string owner, string calendarId) => $"{owner}/{calendarId}/{Guid.NewGuid():N}.ics";
    public static string CalendarPrefix(string owner, string calendarId) => $"{owner}/{calendarId}/";

    /// <summary>Uploads a body and returns its DAV ETag (the blob ETag, quoted).</summary>
    public async Task<string> UploadAsync(string blobName, byte[] body, CancellationToken ct)
    {
        var response = await container.GetBlobClient(blobName).UploadAsync(BinaryData.FromBytes(body),
            new BlobUploadOptions { HttpHeaders = new BlobHttpHeaders { ContentType = ContentType } }, ct);
        return Quote(response.Value.ETag);
    }

    /// <summary>The body, or null when the blob is gone.</summary>
    public async Task<byte[]?> ReadAsync(string blobName, CancellationToken ct)
    {
        try
        {
            var response = await container.GetBlobClient(blobName).DownloadContentAsync(ct);
            return response.Value.Content.ToArray();
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            return null;
        }
    }

    /// <summary>Best effort: a blob left behind is only an orphan, never visible.</summary>
    public async Task DeleteQuietlyAsync(string? blobName)
    {
        if (blobName is null)
            return;
        try
        {
            await container.GetBlobClient(blobName).DeleteIfExistsAsync();
        }
        catch (Exception e) when (StorageFailures.IsOutage(e) || e is RequestFailedException)
        {
            // Storage failed after the write committed: the write stands, the blob is left to the orphan sweeper.
        }
    }

    public async Task DeletePrefixAsync(string prefix, CancellationToken ct)
    {
        var names = new List<string>();
        await foreach (var item in container.GetBlobsAsync(BlobTraits.None, BlobStates.None, prefix, ct))
            names.Add(item.Name);
        await Parallel.ForEachAsync(names, new ParallelOptions { MaxDegreeOfParallelism = 8, CancellationToken = ct },
            async (name, token) => await container.GetBlobClient(name).DeleteIfExistsAsync(cancellationToken: token));
    }

    /// <summary>The SDK's ETag may come with or without quotes; the DAV ETag is always quoted.</summary>
    public static string Quote(ETag etag)
    {
        var s = etag.ToString();
        return s.StartsWith('"') ? s : $"\"{s}\"";
    }
}

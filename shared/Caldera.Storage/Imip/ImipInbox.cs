using System.Text.RegularExpressions;
using Azure;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Azure.Storage.Queues;

namespace Caldera.Storage.Imip;

/// <summary>
/// The claim-check half of iMIP ingestion: raw emails are blobs (kept for audit and quarantine), the queue carries
/// only a pointer. Queue messages are base64 like the Functions host expects (host.json messageEncoding).
/// </summary>
public sealed partial class ImipInbox(BlobServiceClient blobs, QueueServiceClient queues, StorageLayout layout)
{
    readonly BlobContainerClient _container = blobs.GetBlobContainerClient(layout.ImipContainer);
    // The service client writes base64, as the Functions host reads it (see StorageClients).
    readonly QueueClient _queue = queues.GetQueueClient(layout.ImipQueue);

    public string QueueName => layout.ImipQueue;

    /// <summary>Stores a raw email under a new name ("yyyy/MM/dd/{id}.eml") and returns the name and its id.</summary>
    public async Task<(string Blob, string Id)> StoreAsync(BinaryData mail, DateTimeOffset received, string? id, CancellationToken ct)
    {
        id ??= Guid.NewGuid().ToString("N");
        var name = BlobName(received, id);
        await _container.GetBlobClient(name).UploadAsync(mail, new BlobUploadOptions
        {
            HttpHeaders = new BlobHttpHeaders { ContentType = "message/rfc822" },
            // Never overwrite: a name is used once.
            Conditions = new BlobRequestConditions { IfNoneMatch = ETag.All },
        }, ct);
        return (name, id);
    }

    public Task EnqueueAsync(ImipQueueMessage message, CancellationToken ct) =>
        _queue.SendMessageAsync(message.ToJson(), ct);

    /// <summary>The raw email; null if the blob is gone. Throws <see cref="InvalidDataException"/> beyond <paramref name="maxBytes"/>.</summary>
    public async Task<BinaryData?> ReadAsync(string blob, long maxBytes, CancellationToken ct)
    {
        if (!IsValidBlobName(blob))
            throw new ArgumentException("not an iMIP blob name", nameof(blob));
        try
        {
            var response = await _container.GetBlobClient(blob).DownloadStreamingAsync(cancellationToken: ct);
            using var content = response.Value.Content;
            if (response.Value.Details.ContentLength > maxBytes)
                throw new InvalidDataException($"the message is {response.Value.Details.ContentLength} bytes; at most {maxBytes} are read");
            using var buffer = new MemoryStream((int)response.Value.Details.ContentLength);
            await content.CopyToAsync(buffer, ct);
            return new BinaryData(buffer.ToArray());
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            return null;
        }
    }

    public async Task<bool> ExistsAsync(string blob, CancellationToken ct) =>
        IsValidBlobName(blob) && (await _container.GetBlobClient(blob).ExistsAsync(ct)).Value;

    public async Task DeleteAsync(string blob, CancellationToken ct)
    {
        if (IsValidBlobName(blob))
            await _container.GetBlobClient(blob).DeleteIfExistsAsync(cancellationToken: ct);
    }

    /// <summary>The blob a message received at <paramref name="received"/> with receipt id <paramref name="id"/> is stored under.</summary>
    public static string BlobName(DateTimeOffset received, string id) => $"{received.UtcDateTime:yyyy'/'MM'/'dd}/{id}.eml";

    /// <summary>Only names this class makes: a queue message is not trusted to point anywhere else.</summary>
    public static bool IsValidBlobName(string? blob) => blob is not null && BlobNamePattern().IsMatch(blob);

    [GeneratedRegex(@"^\d{4}/\d{2}/\d{2}/[0-9a-f]{32}\.eml$")]
    private static partial Regex BlobNamePattern();
}

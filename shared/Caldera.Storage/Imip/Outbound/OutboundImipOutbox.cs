using Azure;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Azure.Storage.Queues;

namespace Caldera.Storage.Imip.Outbound;

/// <summary>
/// The claim-check half of outbound iMIP: each email is a blob written once (so a resend sends the same bytes and
/// Message-ID), the queue carries only {user, id}. Queue messages are base64 as host.json's messageEncoding says.
/// </summary>
public sealed class OutboundImipOutbox(BlobServiceClient blobs, QueueServiceClient queues, StorageLayout layout)
{
    readonly BlobContainerClient _container = blobs.GetBlobContainerClient(layout.ImipOutboundContainer);
    readonly QueueClient _queue = queues.GetQueueClient(layout.ImipOutboundQueue);

    public string QueueName => layout.ImipOutboundQueue;
    public string PoisonQueueName => layout.ImipOutboundPoisonQueue;

    /// <summary>The blob an email of <paramref name="user"/> with outbound id <paramref name="id"/> is stored under.</summary>
    public static string BlobName(string user, string id)
    {
        Guard.UserName(user);
        if (!OutboundImipIds.IsValid(id))
            throw new ArgumentException("not an outbound id", nameof(id));
        return $"{user}/{id}.eml";
    }

    /// <summary>Stores the raw email; a second store of the same id (a retried enqueue) keeps the first.</summary>
    public async Task<string> StoreAsync(string user, string id, BinaryData mail, CancellationToken ct)
    {
        var name = BlobName(user, id);
        try
        {
            await _container.GetBlobClient(name).UploadAsync(mail, new BlobUploadOptions
            {
                HttpHeaders = new BlobHttpHeaders { ContentType = "message/rfc822" },
                Conditions = new BlobRequestConditions { IfNoneMatch = ETag.All },
            }, ct);
        }
        catch (RequestFailedException e) when (e.Status is 409 or 412)
        {
            // Written before under this id: the first bytes are the message.
        }
        return name;
    }

    /// <summary>The raw email, or null if its blob is gone.</summary>
    public async Task<BinaryData?> ReadAsync(string user, string id, CancellationToken ct)
    {
        try
        {
            return (await _container.GetBlobClient(BlobName(user, id)).DownloadContentAsync(ct)).Value.Content;
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            return null;
        }
    }

    public Task EnqueueAsync(string user, string id, CancellationToken ct) =>
        _queue.SendMessageAsync(new OutboundImipQueueMessage { User = user, Id = id }.ToJson(), ct);
}

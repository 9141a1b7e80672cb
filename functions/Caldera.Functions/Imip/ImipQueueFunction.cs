using Azure.Storage.Queues.Models;
using Caldera.Imip.Processing;
using Caldera.Storage;
using Microsoft.Azure.Functions.Worker;

namespace Caldera.Functions.Imip;

/// <summary>
/// Drains the iMIP queue (the webhook's pointers, or messages producers put there directly). Every message ends
/// with a status row; an exception makes the host retry it after host.json's visibilityTimeout, and after
/// maxDequeueCount deliveries move it to the "-poison" queue (its blob stays).
/// </summary>
public sealed class ImipQueueFunction(ImipProcessor processor, TimeProvider time)
{
    /// <summary>The app setting that names the queue (see StorageLayout.ImipQueueSetting).</summary>
    public const string QueueExpression = "%" + StorageLayout.ImipQueueSetting + "%";

    [Function("ImipProcess")]
    public async Task Run(
        [QueueTrigger(QueueExpression, Connection = "Storage")] QueueMessage message,
        CancellationToken ct)
    {
        await processor.ProcessAsync(message.Body.ToString(), message.MessageId, message.DequeueCount, message.InsertedOn ?? time.GetUtcNow(), ct);
    }
}

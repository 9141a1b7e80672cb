using Azure.Storage.Queues.Models;
using Caldera.Imip.Outbound;
using Caldera.Storage;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Configuration;

namespace Caldera.Functions.Imip;

/// <summary>
/// Drains the outbound iMIP queue: sends each stored email over SMTP (see <see cref="OutboundImipSender"/>). A
/// transient failure throws, so the host retries after host.json's visibilityTimeout and, after maxDequeueCount
/// deliveries, moves the message to the "-poison" queue; the email's blob and status row stay for a resend.
/// </summary>
public sealed class ImipSendFunction(OutboundImipSender sender, IConfiguration configuration)
{
    /// <summary>The app setting that names the queue (see StorageLayout.ImipOutboundQueueSetting).</summary>
    public const string QueueExpression = "%" + StorageLayout.ImipOutboundQueueSetting + "%";

    [Function("ImipSend")]
    public async Task Run(
        [QueueTrigger(QueueExpression, Connection = "Storage")] QueueMessage message,
        CancellationToken ct)
    {
        await sender.ProcessAsync(message.Body.ToString(), message.DequeueCount, QueueRetryLimit.Read(configuration), ct);
    }
}

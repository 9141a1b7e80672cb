using Caldera.Imip.Processing;
using Caldera.Storage.Imip;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using static Caldera.Functions.Management.ManagementHttp;

namespace Caldera.Functions.Imip;

/// <summary>
/// The inbound-mail webhook: POST /imip with a raw RFC 5322 message (or a mail service's form, see
/// <see cref="InboundMailRequest"/>) and its envelope recipient(s). The email is stored as a blob (claim-check), a
/// pointer per recipient goes on the queue, and the answer is 202 at once; ImipProcess does the rest.
/// Function-level key, like the management API. The name sorts before the Webdav* catch-all functions.
/// </summary>
public sealed class ImipReceiveFunction(ImipInbox inbox, ImipOptions options, TimeProvider time)
{
    public const string Route = "imip";

    /// <summary>One recipient's copy: its receipt id names its status row.</summary>
    public sealed record Delivery(string Id, string Recipient);

    [Function("ImipReceive")]
    public async Task<IActionResult> Receive(
        [HttpTrigger(AuthorizationLevel.Function, "POST", Route = Route)] HttpRequest req,
        CancellationToken ct)
    {
        var (request, status, error) = await InboundMailRequest.ReadAsync(req, options.Limits.MaxMessageBytes, ct);
        if (request is null)
            return Error(status, error!);

        var received = time.GetUtcNow();
        var deliveries = new List<Delivery>();
        foreach (var recipient in request.Recipients)
        {
            // A blob per recipient: each delivery ends on its own (an unknown recipient's copy is dropped).
            var (blob, id) = await inbox.StoreAsync(new BinaryData(request.Mail), received, null, ct);
            await inbox.EnqueueAsync(new ImipQueueMessage { Id = id, Blob = blob, Recipient = recipient, Received = received }, ct);
            deliveries.Add(new Delivery(id, recipient));
        }
        return new ObjectResult(new { deliveries[0].Id, deliveries[0].Recipient, received, deliveries })
        {
            StatusCode = StatusCodes.Status202Accepted,
            ContentTypes = { "application/json" },
        };
    }
}

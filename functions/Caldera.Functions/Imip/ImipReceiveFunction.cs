using Caldera.Dav;
using Caldera.Imip.Itip;
using Caldera.Imip.Processing;
using Caldera.Storage.Imip;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using static Caldera.Functions.Management.ManagementHttp;

namespace Caldera.Functions.Imip;

/// <summary>
/// The inbound-mail webhook: POST /imip with a raw RFC 5322 message (Content-Type message/rfc822) and the envelope
/// recipient in the <c>X-Caldera-Recipient</c> header or the <c>recipient</c> query parameter. The email is stored
/// as a blob (claim-check), a pointer goes on the queue, and the answer is 202 at once; ImipProcess does the rest.
/// Function-level key, like the management API. The name sorts before the Webdav* catch-all functions.
/// </summary>
public sealed class ImipReceiveFunction(ImipInbox inbox, ImipOptions options, TimeProvider time)
{
    public const string Route = "imip";
    public const string RecipientHeader = "X-Caldera-Recipient";
    static readonly string[] MediaTypes = ["message/rfc822", "application/octet-stream"];

    [Function("ImipReceive")]
    public async Task<IActionResult> Receive(
        [HttpTrigger(AuthorizationLevel.Function, "POST", Route = Route)] HttpRequest req,
        CancellationToken ct)
    {
        var given = req.Headers[RecipientHeader].FirstOrDefault() ?? req.Query["recipient"].FirstOrDefault();
        if (string.IsNullOrWhiteSpace(given))
            return Error(StatusCodes.Status400BadRequest, $"Name the envelope recipient in the {RecipientHeader} header or the 'recipient' query parameter.");
        if (CalendarAddress.Normalize(given) is not { } recipient)
            return Error(StatusCodes.Status400BadRequest, "The recipient is not an email address.");
        var mediaType = req.ContentType?.Split(';')[0].Trim();
        if (!MediaTypes.Contains(mediaType, StringComparer.OrdinalIgnoreCase))
            return Error(StatusCodes.Status415UnsupportedMediaType, "Send the raw email as Content-Type: message/rfc822.");

        byte[] body;
        try
        {
            body = await RequestBody.ReadAsync(req, options.Limits.MaxMessageBytes, ct);
        }
        catch (DavException e) when (e.Status == StatusCodes.Status413PayloadTooLarge)
        {
            return Error(StatusCodes.Status413PayloadTooLarge, $"The message is larger than {options.Limits.MaxMessageBytes} bytes.");
        }
        if (body.Length == 0)
            return Error(StatusCodes.Status400BadRequest, "The body is empty; send the raw email.");

        var received = time.GetUtcNow();
        var (blob, id) = await inbox.StoreAsync(new BinaryData(body), received, null, ct);
        await inbox.EnqueueAsync(new ImipQueueMessage { Id = id, Blob = blob, Recipient = recipient, Received = received }, ct);
        return new ObjectResult(new { id, recipient, received })
        {
            StatusCode = StatusCodes.Status202Accepted,
            ContentTypes = { "application/json" },
        };
    }
}

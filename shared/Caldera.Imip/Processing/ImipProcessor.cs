using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using Caldera.Imip.Itip;
using Caldera.Imip.Mime;
using Caldera.Storage;
using Caldera.Storage.Imip;
using Microsoft.Extensions.Logging;

namespace Caldera.Imip.Processing;

/// <summary>
/// Processes one message from the iMIP queue to its end, which is always a status row: resolve the recipient,
/// read the claim-check blob, check MIME, authentication and sender (RFC 6047 §3), drop duplicates, apply the iTIP
/// method. Refusals are quarantined (blob kept); only unexpected failures throw, so the queue retries them.
/// </summary>
public sealed partial class ImipProcessor(
    ImipInbox inbox, ImipStatusStore statuses, IUserStore users, ItipDelivery delivery, ImipOptions options,
    TimeProvider time, ILogger<ImipProcessor> log)
{
    /// <param name="queueText">The decoded queue message text.</param>
    /// <param name="queueMessageId">The queue's id for it (the receipt id when the producer gave none).</param>
    /// <param name="dequeueCount">Which delivery this is (1 = first).</param>
    public async Task<ImipStatusRecord> ProcessAsync(string queueText, string queueMessageId, long dequeueCount, DateTimeOffset insertedOn, CancellationToken ct)
    {
        var message = ImipQueueMessage.TryParse(queueText);
        var id = message?.Id is { } given && ReceiptId().IsMatch(given) ? given : Sanitize(queueMessageId);
        var received = message?.Received ?? insertedOn;
        var row = new ImipStatusRecord
        {
            Id = id, Received = received, Recipient = message?.Recipient ?? "", Status = ImipStatus.Failed,
            Blob = InboxBlob(message), Attempts = dequeueCount, Updated = time.GetUtcNow(),
        };
        if (message is null || message.Blob is null == message.Mime is null || message.Blob is not null && !ImipInbox.IsValidBlobName(message.Blob))
            return await EndAsync(row with { Status = ImipStatus.Quarantined, Code = "invalid-queue-message",
                Reason = "the queue message is not {\"blob\"|\"mime\", \"recipient\"} JSON", Blob = null }, ct);

        var recipient = CalendarAddress.Normalize(message.Recipient);
        if (recipient is null)
            return await EndAsync(row with { Status = ImipStatus.Quarantined, Code = "no-recipient", Reason = "the message names no envelope recipient address" }, ct);
        row = row with { Recipient = recipient };
        var owners = await users.FindUsersByAddressAsync(recipient, ct);
        if (owners.Count != 1)
        {
            // Nobody here to deliver to: the email is dropped, only its status row remains.
            if (row.Blob is not null)
                await inbox.DeleteAsync(row.Blob, ct);
            return await EndAsync(row with { Status = ImipStatus.UnknownRecipient, Code = owners.Count == 0 ? "unknown-recipient" : "ambiguous-recipient",
                Reason = owners.Count == 0 ? $"no user has the address {recipient}" : $"{owners.Count} users share the address {recipient}", Blob = null }, ct);
        }
        var user = owners[0];
        row = row with { User = user };

        // A redelivery of a message that already ended (the queue lost our delete): nothing more to do.
        if (await statuses.GetAsync(user, received, id, ct) is { Status: not ImipStatus.Failed } done)
            return done;

        try
        {
            return await EndAsync(await ApplyAsync(row, message, recipient, user, ct), ct);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            log.LogWarning(e, "iMIP message {Id} for {User} failed on delivery {Attempt}", id, user, dequeueCount);
            await statuses.UpsertAsync(row with { Status = ImipStatus.Failed, Code = "processing-error",
                Reason = $"delivery {dequeueCount} failed: {e.GetType().Name}: {e.Message}", Updated = time.GetUtcNow() }, ct);
            throw;
        }
    }

    async Task<ImipStatusRecord> ApplyAsync(ImipStatusRecord row, ImipQueueMessage message, string recipient, string user, CancellationToken ct)
    {
        BinaryData? raw;
        if (message.Mime is not null)
        {
            if (message.Mime.Length > ImipQueueMessage.MaxInlineBytes * 4 / 3 + 4 || !TryBase64(message.Mime, out var bytes))
                return row with { Status = ImipStatus.Quarantined, Code = "invalid-queue-message", Reason = "the inline message is not base64 or is too long" };
            raw = new BinaryData(bytes);
            // Kept like a webhook delivery, so a quarantined inline message can be read later.
            row = row with { Blob = await StoreInlineAsync(raw, row, ct) };
        }
        else
        {
            try
            {
                raw = await inbox.ReadAsync(message.Blob!, options.Limits.MaxMessageBytes, ct);
            }
            catch (InvalidDataException e)
            {
                return row with { Status = ImipStatus.Quarantined, Code = "too-large", Reason = e.Message };
            }
            if (raw is null)
                return row with { Status = ImipStatus.Quarantined, Code = "message-missing", Reason = $"the blob {message.Blob} does not exist", Blob = null };
        }

        MailReadResult read;
        using (var stream = raw.ToStream())
            read = ImipMailReader.Read(stream, options.Limits, options.TrustedAuthServIds);
        if (read.Refusal is { } refused)
            return Quarantine(row, refused);
        var mail = read.Mail!;
        row = row with { From = mail.From, Subject = mail.Subject, MessageId = mail.MessageId, Method = mail.Method };
        if (mail.AuthenticationFailure is { } failure)
            return Quarantine(row, new ImipRefusal("authentication-failed",
                $"the receiving gateway's Authentication-Results say {failure}; the sender cannot be trusted (RFC 6047 §3)"));

        // Same Message-ID and same iTIP content to the same user: one effect, however often it arrives.
        var contentKey = ContentKey(mail);
        if (await statuses.GetFirstDeliveryAsync(user, contentKey, ct) is { } first && first != row.Id)
            return row with { Status = ImipStatus.IgnoredDuplicate, Code = "duplicate", Reason = $"the same message was delivered before as {first}" };

        var (itip, invalid) = ItipParser.Parse(mail.Method, mail.CalendarText);
        if (invalid is not null)
            return Quarantine(row, invalid);
        row = row with { Uid = itip!.Uid };
        if (SenderCheck.Check(itip, mail, out var attendee, out var delegateAddress) is { } notSender)
            return Quarantine(row, notSender);
        itip = itip with { Delegate = delegateAddress };

        var outcome = await delivery.DeliverAsync(user, recipient, itip, attendee, mail.CalendarText, ct);
        // A delivery that failed (over quota) is not remembered, so the same message sent again once there is room applies.
        if (outcome.Status != ImipStatus.Failed)
            await statuses.RememberDeliveryAsync(user, contentKey, row.Id, ct);
        return row with
        {
            Status = outcome.Status, Code = outcome.Code, Reason = outcome.Reason,
            Calendar = outcome.Calendar, ObjectName = outcome.ObjectName,
        };
    }

    async Task<ImipStatusRecord> EndAsync(ImipStatusRecord row, CancellationToken ct)
    {
        row = row with { Updated = time.GetUtcNow() };
        await statuses.UpsertAsync(row, ct);
        log.LogInformation("iMIP message {Id} to {Recipient}: {Status} {Code}", row.Id, row.Recipient, row.Status, row.Code);
        return row;
    }

    async Task<string> StoreInlineAsync(BinaryData raw, ImipStatusRecord row, CancellationToken ct)
    {
        try
        {
            return (await inbox.StoreAsync(raw, row.Received, row.Id, ct)).Blob;
        }
        catch (Azure.RequestFailedException e) when (e.Status is 409 or 412)
        {
            return ImipInbox.BlobName(row.Received, row.Id); // stored by an earlier delivery
        }
    }

    static ImipStatusRecord Quarantine(ImipStatusRecord row, ImipRefusal refusal) =>
        row with { Status = ImipStatus.Quarantined, Code = refusal.Code, Reason = refusal.Reason };

    static string ContentKey(InboundMail mail)
    {
        // The same comparison form as for a mail's duplicate calendar parts: line ends and trailing blanks do not count.
        var digest = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(CalendarTextNormalizer.Normalize(mail.CalendarText))));
        return $"{mail.MessageId}\n{mail.Method}\n{digest}";
    }

    static string? InboxBlob(ImipQueueMessage? m) => m?.Blob is { } b && ImipInbox.IsValidBlobName(b) ? b : null;

    static bool TryBase64(string text, out byte[] bytes)
    {
        bytes = new byte[text.Length * 3 / 4 + 3];
        if (Convert.TryFromBase64String(text, bytes, out var n))
        {
            bytes = bytes[..n];
            return true;
        }
        return false;
    }

    /// <summary>Queue message ids are GUIDs; anything else becomes hex so it is a safe key and blob name.</summary>
    static string Sanitize(string id)
    {
        var hex = new string(id.Where(char.IsAsciiHexDigit).Select(char.ToLowerInvariant).ToArray());
        return hex.Length == 32 ? hex : Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(id)))[..32];
    }

    [GeneratedRegex("^[0-9a-f]{32}$")]
    private static partial Regex ReceiptId();
}

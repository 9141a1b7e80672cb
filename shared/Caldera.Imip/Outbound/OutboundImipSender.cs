using System.Net.Sockets;
using Caldera.Storage.Imip.Outbound;
using MailKit;
using MailKit.Net.Smtp;
using MimeKit;
using Microsoft.Extensions.Logging;

namespace Caldera.Imip.Outbound;

/// <summary>
/// Sends one email from the outbound queue to its end state. Every outcome is on the status row:
/// <list type="bullet">
/// <item>sent — the relay accepted it (a redelivered queue message for a sent row sends nothing);</item>
/// <item>held — no relay configured (or its settings incomplete): kept, the queue message is consumed, a resend sends it;</item>
/// <item>failed at once — a permanent refusal (SMTP 5xx, authentication refused, blob gone);</item>
/// <item>a transient failure (connection, TLS, timeout, 4xx) throws, so the queue retries it; on the last allowed
/// delivery the row says failed before the throw, and the host moves the message to the poison queue.</item>
/// </list>
/// The From/Sender/Reply-To are set again from the current settings (the relay's allowed domains may have changed
/// since the email was built); the body, Date and Message-ID are the stored ones.
/// </summary>
public sealed class OutboundImipSender(
    OutboundImipOutbox outbox, OutboundImipStatusStore statuses, SmtpMailTransport transport, Func<SmtpSettings> settings,
    TimeProvider time, ILogger<OutboundImipSender> log)
{
    /// <param name="dequeueCount">Which delivery of the queue message this is (1 = first).</param>
    /// <param name="maxDequeueCount">The queue's limit (host.json maxDequeueCount): the last delivery that runs.</param>
    public async Task<OutboundImipStatusRecord?> ProcessAsync(string queueText, long dequeueCount, int maxDequeueCount, CancellationToken ct)
    {
        if (OutboundImipQueueMessage.TryParse(queueText) is not { } message)
        {
            // Nothing to tie it to and nothing that would make it valid later.
            log.LogWarning("Outbound iMIP queue message is not {{\"user\", \"id\"}} JSON; dropped");
            return null;
        }
        var row = await statuses.GetAsync(message.User!, message.Id!, ct);
        if (row is null)
        {
            log.LogWarning("Outbound iMIP {Id} of {User} has no status row; dropped", message.Id, message.User);
            return null;
        }
        if (row.Status == OutboundImipStatus.Sent)
            return row; // a redelivery after our delete was lost: it went out already

        var current = settings();
        if (!current.CanSend)
            return await EndAsync(row with { Status = OutboundImipStatus.Held, Code = current.Host is null ? "no-smtp-host" : "smtp-settings", Reason = current.HeldReason }, ct);

        var raw = await outbox.ReadAsync(row.User, row.Id, ct);
        if (raw is null)
            return await EndAsync(row with { Status = OutboundImipStatus.Failed, Code = "message-missing", Reason = $"the blob {row.Blob} does not exist" }, ct);

        MimeMessage mail;
        using (var stream = raw.ToStream())
            mail = await MimeMessage.LoadAsync(stream, ct);
        var identity = SenderIdentity.For(row.From, HeaderSafety.Text(row.FromName, HeaderSafety.MaxName), current);
        identity.ApplyTo(mail);

        var attempt = row.Attempts + 1;
        try
        {
            await transport.SendAsync(mail, identity.EnvelopeFrom, row.To, current, ct);
        }
        catch (Exception e) when (Permanent(e) is { } code)
        {
            return await EndAsync(row with { Status = OutboundImipStatus.Failed, Code = code, Attempts = attempt,
                Reason = $"the relay refused it for good: {Describe(e)}" }, ct);
        }
        catch (Exception e) when (e is not OperationCanceledException || !ct.IsCancellationRequested)
        {
            var last = dequeueCount >= maxDequeueCount;
            log.LogWarning(e, "Outbound iMIP {Id} of {User}: delivery {Attempt} of {Max} failed", row.Id, row.User, dequeueCount, maxDequeueCount);
            await statuses.UpsertAsync(row with
            {
                Status = last ? OutboundImipStatus.Failed : OutboundImipStatus.Queued,
                Code = last ? "retries-exhausted" : "retrying",
                Reason = last
                    ? $"{dequeueCount} deliveries failed, the last: {Describe(e)}; the queue message is in the poison queue, the email is kept — resend it"
                    : $"delivery {dequeueCount} of {maxDequeueCount} failed: {Describe(e)}; the queue retries it",
                Attempts = attempt,
                Updated = time.GetUtcNow(),
            }, CancellationToken.None);
            throw;
        }
        var now = time.GetUtcNow();
        return await EndAsync(row with { Status = OutboundImipStatus.Sent, Code = null, Reason = null, Attempts = attempt, Sent = now }, ct);
    }

    async Task<OutboundImipStatusRecord> EndAsync(OutboundImipStatusRecord row, CancellationToken ct)
    {
        row = row with { Updated = time.GetUtcNow() };
        // Recorded even when the invocation is being cancelled: the mail may have left already.
        await statuses.UpsertAsync(row, CancellationToken.None);
        log.LogInformation("Outbound iMIP {Id} of {User} to {To}: {Status} {Code}", row.Id, row.User, row.To, row.Status, row.Code);
        ct.ThrowIfCancellationRequested();
        return row;
    }

    /// <summary>A failure that sending again would repeat: its status code, or null for a transient one.</summary>
    static string? Permanent(Exception e) => e switch
    {
        SmtpCommandException c when (int)c.StatusCode >= 500 => "smtp-rejected",
        MailKit.Security.AuthenticationException => "smtp-authentication",
        _ => null,
    };

    static string Describe(Exception e) => e switch
    {
        SmtpCommandException c => $"SMTP {(int)c.StatusCode} {HeaderSafety.Text(c.Message, 300)}",
        SocketException s => $"cannot connect ({s.SocketErrorCode})",
        ServiceNotConnectedException or SmtpProtocolException or IOException or TimeoutException => $"{e.GetType().Name}: {HeaderSafety.Text(e.Message, 300)}",
        _ => $"{e.GetType().Name}: {HeaderSafety.Text(e.Message, 300)}",
    };
}

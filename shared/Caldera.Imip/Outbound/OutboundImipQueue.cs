using Caldera.Storage.Imip.Outbound;
using Microsoft.Extensions.Logging;

namespace Caldera.Imip.Outbound;

/// <summary>
/// <see cref="IOutboundImip"/> over storage: builds the email once (so every send of it is the same bytes and
/// Message-ID), stores it as a claim-check blob, writes its status row, then puts {user, id} on the outbound queue.
/// Before anything is stored it counts the email against the user's hourly limit (<see cref="SmtpSettings.MaxEmailsPerUserPerHour"/>,
/// one table read and one write, shared by every instance); a request over the limit stores nothing.
/// </summary>
public sealed class OutboundImipQueue(
    OutboundImipOutbox outbox, OutboundImipStatusStore statuses, OutboundImipRateCounter rate, Func<SmtpSettings> settings, TimeProvider time,
    ILogger<OutboundImipQueue> log)
    : IOutboundImip
{
    /// <exception cref="OutboundImipRefusedException">The request would not make a safe, honest email (nothing is stored).</exception>
    /// <exception cref="OutboundImipRateLimitedException">The user has queued the most emails allowed this hour (nothing is stored).</exception>
    public async Task<OutboundImipReceipt> EnqueueAsync(OutboundImipRequest request, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        var id = OutboundImipIds.New(now);
        var current = settings();
        var built = ImipMessageBuilder.Build(request, id, now, current);
        if (current.MaxEmailsPerUserPerHour > 0)
        {
            var decision = await rate.TryTakeAsync(built.User, now, current.MaxEmailsPerUserPerHour, ct);
            if (!decision.Allowed)
            {
                log.LogWarning("Outbound iMIP {Method} from {From} to {To} refused for {User}: {Count} emails queued this hour, limit {Limit} (until {Until})",
                    built.Method, built.From, built.To, built.User, decision.Count, current.MaxEmailsPerUserPerHour, decision.WindowEnd);
                throw new OutboundImipRateLimitedException(built.User, current.MaxEmailsPerUserPerHour, decision.WindowEnd);
            }
        }
        var blob = await outbox.StoreAsync(built.User, id, ImipMessageBuilder.Serialize(built.Message), ct);
        var row = new OutboundImipStatusRecord
        {
            User = built.User, Id = id, Status = OutboundImipStatus.Queued, From = built.From, FromName = built.Name, To = built.To,
            Method = built.Method, Uid = built.Uid, MessageId = built.MessageId, Blob = blob, Created = now, Updated = now,
        };
        await statuses.UpsertAsync(row, ct);
        try
        {
            await outbox.EnqueueAsync(built.User, id, ct);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // Stored but not queued: say so on the row, so a resend can pick it up.
            await statuses.UpsertAsync(row with { Status = OutboundImipStatus.Failed, Code = "not-queued",
                Reason = $"the email was stored but could not be queued ({e.GetType().Name}: {e.Message}); resend it", Updated = time.GetUtcNow() }, CancellationToken.None);
            throw;
        }
        log.LogInformation("Outbound iMIP {Method} {Id} from {From} to {To} queued for {User}", built.Method, id, built.From, built.To, built.User);
        return new OutboundImipReceipt(id);
    }
}

using Caldera.Storage.Imip.Outbound;

namespace Caldera.Imip.Outbound;

/// <summary>What a resend did.</summary>
public enum ResendResult { Requeued, NotFound, NotResendable }

/// <summary>
/// Puts failed and held emails back on the outbound queue: the stored message (same Message-ID) is sent again.
/// The row goes back to queued first, so a sender that sees it skips nothing and a second resend does not double it.
/// </summary>
public sealed class OutboundImipResender(OutboundImipOutbox outbox, OutboundImipStatusStore statuses, TimeProvider time)
{
    /// <summary>Every failed or held email of <paramref name="user"/> (at most <see cref="OutboundImipStatusStore.MaxList"/> of each).</summary>
    public async Task<IReadOnlyList<OutboundImipStatusRecord>> ResendAllAsync(string user, CancellationToken ct)
    {
        var rows = new List<OutboundImipStatusRecord>();
        foreach (var status in new[] { OutboundImipStatus.Failed, OutboundImipStatus.Held })
            rows.AddRange(await statuses.ListAsync(user, OutboundImipStatusStore.MaxList, ct, status));
        var done = new List<OutboundImipStatusRecord>();
        foreach (var row in rows.OrderByDescending(r => r.Created))
            done.Add(await RequeueAsync(row, ct));
        return done;
    }

    public async Task<(ResendResult Result, OutboundImipStatusRecord? Row)> ResendAsync(string user, string id, CancellationToken ct)
    {
        var row = await statuses.GetAsync(user, id, ct);
        if (row is null)
            return (ResendResult.NotFound, null);
        if (!OutboundImipStatus.IsResendable(row.Status))
            return (ResendResult.NotResendable, row);
        return (ResendResult.Requeued, await RequeueAsync(row, ct));
    }

    async Task<OutboundImipStatusRecord> RequeueAsync(OutboundImipStatusRecord row, CancellationToken ct)
    {
        var queued = row with { Status = OutboundImipStatus.Queued, Code = "resent", Reason = $"resent after: {row.Reason}", Updated = time.GetUtcNow() };
        await statuses.UpsertAsync(queued, ct);
        await outbox.EnqueueAsync(row.User, row.Id, ct);
        return queued;
    }
}

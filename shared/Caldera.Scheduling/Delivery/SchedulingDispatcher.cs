using Caldera.Imip.Outbound;
using Caldera.Scheduling.Planning;
using Microsoft.Extensions.Logging;

namespace Caldera.Scheduling.Delivery;

/// <summary>
/// Sends the messages of a stored scheduling write: to Caldera users through <see cref="InternalDelivery"/>, to
/// everyone else through the durable outbound email queue (<see cref="IOutboundImip"/>). Never throws: the write is
/// already stored. A delivery that fails is tried <see cref="Attempts"/> times inline; an internal one that still
/// fails goes to the outbound queue as an email to the recipient's address (the way any other server would reach
/// them, durable with its retries, poison queue and status rows; a mail gateway that routes it back to /imip applies
/// it through the same engine), so no message is lost to a passing storage fault.
/// </summary>
public sealed class SchedulingDispatcher(InternalDelivery internalDelivery, IOutboundImip outbound, ILogger<SchedulingDispatcher> log)
{
    public const int Attempts = 3;
    /// <summary>Messages a rate-limit warning names one by one (a write may have 1,000 recipients).</summary>
    const int MaxListed = 50;

    /// <summary>How long the deliveries of one write may take; not the request's token, so a client that hangs up after the write still gets its messages sent.</summary>
    public static readonly TimeSpan Budget = TimeSpan.FromSeconds(60);

    public async Task SendAsync(PendingMessages pending)
    {
        using var budget = new CancellationTokenSource(Budget);
        var limit = new RateLimitState();
        foreach (var message in pending.Messages)
        {
            try
            {
                if (pending.InternalUsers.TryGetValue(message.Recipient, out var user))
                    await DeliverInternallyAsync(pending.Owner, user, message, limit, budget.Token);
                else if (pending.ExternalRecipients.Contains(message.Recipient))
                    await EnqueueAsync(pending.Owner, message, limit, budget.Token);
            }
            catch (OutboundImipRateLimitedException)
            {
                // The owner's hourly email budget is spent: nothing was stored; said once below for the whole write.
                limit.Refused.Add(message);
            }
            catch (Exception e)
            {
                // Both ways failed (storage down for a minute): nothing more can be done now; the log keeps the message.
                log.LogError(e, "Scheduling {Method} for {Uid} from {Owner} to {Recipient} could not be delivered or queued; message: {Text}",
                    message.Method, message.Uid, pending.Owner, message.Recipient, message.Text);
            }
        }
        if (limit.Exceeded is { } exceeded)
            log.LogWarning("Outbound email for {Owner} is rate-limited ({Limit} emails per hour, Caldera__Smtp__MaxEmailsPerUserPerHour, until {Until}): " +
                "{Refused} scheduling messages were not emailed: {Messages}",
                pending.Owner, exceeded.Limit, exceeded.Until, limit.Refused.Count,
                string.Join(", ", limit.Refused.Take(MaxListed).Select(m => $"{m.Method} {m.Uid} to {m.Recipient}")) +
                (limit.Refused.Count > MaxListed ? $" and {limit.Refused.Count - MaxListed} more" : ""));
    }

    async Task DeliverInternallyAsync(string owner, string user, PlannedMessage message, RateLimitState limit, CancellationToken ct)
    {
        try
        {
            await RetryAsync(() => internalDelivery.DeliverAsync(user, message, ct), ct);
        }
        catch (Exception e) when (!ct.IsCancellationRequested)
        {
            log.LogWarning(e, "Internal delivery of {Method} for {Uid} to {User} failed {Attempts} times; it is queued as email to {Recipient}",
                message.Method, message.Uid, user, Attempts, message.Recipient);
            await EnqueueAsync(owner, message, limit, ct);
        }
    }

    /// <summary>Once the owner is over the limit, the rest of the write's emails are refused without asking storage again.</summary>
    async Task EnqueueAsync(string owner, PlannedMessage message, RateLimitState limit, CancellationToken ct)
    {
        if (limit.Exceeded is { } exceeded)
            throw exceeded;
        try
        {
            await RetryAsync(() => outbound.EnqueueAsync(
                new OutboundImipRequest(owner, message.From, message.Recipient, message.Method, message.Uid, message.Text, message.Summary), ct), ct);
        }
        catch (OutboundImipRateLimitedException e)
        {
            limit.Exceeded = e;
            throw;
        }
    }

    sealed class RateLimitState
    {
        public OutboundImipRateLimitedException? Exceeded;
        public readonly List<PlannedMessage> Refused = [];
    }

    static async Task<T> RetryAsync<T>(Func<Task<T>> action, CancellationToken ct)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await action();
            }
            catch (Exception e) when (e is not OutboundImipRefusedException && attempt < Attempts && !ct.IsCancellationRequested)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(100 * attempt * attempt), ct);
            }
        }
    }
}

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

    /// <summary>How long the deliveries of one write may take; not the request's token, so a client that hangs up after the write still gets its messages sent.</summary>
    public static readonly TimeSpan Budget = TimeSpan.FromSeconds(60);

    public async Task SendAsync(PendingMessages pending)
    {
        using var budget = new CancellationTokenSource(Budget);
        foreach (var message in pending.Messages)
        {
            try
            {
                if (pending.InternalUsers.TryGetValue(message.Recipient, out var user))
                    await DeliverInternallyAsync(pending.Owner, user, message, budget.Token);
                else if (pending.ExternalRecipients.Contains(message.Recipient))
                    await EnqueueAsync(pending.Owner, message, budget.Token);
            }
            catch (Exception e)
            {
                // Both ways failed (storage down for a minute): nothing more can be done now; the log keeps the message.
                log.LogError(e, "Scheduling {Method} for {Uid} from {Owner} to {Recipient} could not be delivered or queued; message: {Text}",
                    message.Method, message.Uid, pending.Owner, message.Recipient, message.Text);
            }
        }
    }

    async Task DeliverInternallyAsync(string owner, string user, PlannedMessage message, CancellationToken ct)
    {
        try
        {
            await RetryAsync(() => internalDelivery.DeliverAsync(user, message, ct), ct);
        }
        catch (Exception e) when (!ct.IsCancellationRequested)
        {
            log.LogWarning(e, "Internal delivery of {Method} for {Uid} to {User} failed {Attempts} times; it is queued as email to {Recipient}",
                message.Method, message.Uid, user, Attempts, message.Recipient);
            await EnqueueAsync(owner, message, ct);
        }
    }

    async Task EnqueueAsync(string owner, PlannedMessage message, CancellationToken ct) =>
        await RetryAsync(() => outbound.EnqueueAsync(
            new OutboundImipRequest(owner, message.From, message.Recipient, message.Method, message.Uid, message.Text, message.Summary), ct), ct);

    static async Task<T> RetryAsync<T>(Func<Task<T>> action, CancellationToken ct)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await action();
            }
            catch (Exception) when (attempt < Attempts && !ct.IsCancellationRequested)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(100 * attempt * attempt), ct);
            }
        }
    }
}

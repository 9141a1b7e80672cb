using Azure.Storage.Queues;

namespace Caldera.LocalHost.Queues;

/// <summary>
/// Keeps a message invisible while its function runs, as the host's visibility timer does: the message was received
/// with <see cref="QueueSettings.MessageLease"/> and is extended by that much at every half of it, so a long
/// function is not handed the same message twice. Each extension changes the pop receipt; <see cref="StopAsync"/>
/// gives the current one for the delete or release that follows.
/// </summary>
public sealed class MessageLease
{
    readonly QueueClient _queue;
    readonly string _messageId;
    readonly TimeSpan _duration;
    readonly ILogger _logger;
    readonly CancellationTokenSource _stop = new();
    readonly Task _renewing;
    string _popReceipt;

    MessageLease(QueueClient queue, string messageId, string popReceipt, TimeSpan duration, ILogger logger, CancellationToken abort)
    {
        _queue = queue;
        _messageId = messageId;
        _popReceipt = popReceipt;
        _duration = duration;
        _logger = logger;
        _renewing = RenewAsync(abort);
    }

    public static MessageLease Start(QueueClient queue, string messageId, string popReceipt, TimeSpan duration, ILogger logger, CancellationToken abort) =>
        new(queue, messageId, popReceipt, duration, logger, abort);

    async Task RenewAsync(CancellationToken abort)
    {
        try
        {
            while (true)
            {
                await Task.Delay(_duration / 2, _stop.Token).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
                if (_stop.IsCancellationRequested)
                    return;
                // Not cancelled by StopAsync: an extension already sent must finish, or its new pop receipt is lost.
                var receipt = await _queue.UpdateMessageAsync(_messageId, _popReceipt, visibilityTimeout: _duration, cancellationToken: abort);
                _popReceipt = receipt.Value.PopReceipt;
            }
        }
        catch (OperationCanceledException) when (abort.IsCancellationRequested)
        {
        }
        catch (Exception e)
        {
            // As in the host: the message is gone or someone else owns it now; the completion will say so too.
            _logger.LogWarning(e, "Could not extend the invisibility of message {MessageId} in queue {Queue}", _messageId, _queue.Name);
        }
    }

    /// <summary>Stops renewing (waiting for an extension in flight) and returns the current pop receipt.</summary>
    public async Task<string> StopAsync()
    {
        _stop.Cancel();
        await _renewing;
        _stop.Dispose();
        return _popReceipt;
    }
}

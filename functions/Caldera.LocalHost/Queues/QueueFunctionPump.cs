using Azure;
using Azure.Storage.Queues;
using Azure.Storage.Queues.Models;

namespace Caldera.LocalHost.Queues;

/// <summary>
/// Drives one queue-triggered function the way the Azure Functions host's queue listener does:
/// <list type="bullet">
/// <item>polls with ReceiveMessages (up to batchSize, invisible for <see cref="QueueSettings.MessageLease"/>, renewed
/// while the function runs); an empty poll backs off from 100 ms up to maxPollingInterval, a full one polls again
/// as soon as no more than newBatchThreshold messages are still running;</item>
/// <item>each message runs on its own (so up to batchSize + newBatchThreshold at once) and is deleted on success;</item>
/// <item>on failure it is released with visibilityTimeout, or, once its dequeue count has reached maxDequeueCount,
/// copied unchanged to <c>&lt;queue&gt;-poison</c> and deleted; a message already past the limit (its last run
/// crashed) and a body that is not valid base64 go to the poison queue without a run;</item>
/// <item>on shutdown the functions' CancellationToken is cancelled and running messages are completed before the
/// service stops (the completion itself is only cut off when the host's shutdown timeout runs out).</item>
/// </list>
/// Unlike the host it creates the queue at start (the host waits for it to appear). It uses its own client without
/// the app's call counter, so background polling never shows up in the per-request storage call counts.
/// </summary>
public sealed class QueueFunctionPump : BackgroundService
{
    readonly QueueFunction _function;
    readonly QueueSettings _settings;
    readonly IServiceProvider _services;
    readonly ILogger _logger;
    readonly QueueClient _queue;
    readonly QueueClient? _poison;
    readonly int _newBatchThreshold;
    // Cancelled only when a graceful stop runs out of time: then deletes and releases are abandoned as well.
    readonly CancellationTokenSource _abort = new();
    readonly CancellationToken _abortToken;

    public QueueFunctionPump(QueueFunction function, QueueSettings settings, IServiceProvider services, ILogger<QueueFunctionPump> logger)
    {
        _function = function;
        _settings = settings.Validate();
        _services = services;
        _logger = logger;
        _newBatchThreshold = settings.EffectiveNewBatchThreshold;
        _abortToken = _abort.Token;
        // Raw text in and out: decoding is ours (see QueueMessageCodec), and the poison copy is the stored text itself.
        var client = new QueueServiceClient(function.ConnectionString, new QueueClientOptions { MessageEncoding = QueueMessageEncoding.None });
        _queue = client.GetQueueClient(function.QueueName);
        _poison = function.PoisonQueueName is { } poison ? client.GetQueueClient(poison) : null;
    }

    public QueueFunction Function => _function;

    public override async Task StartAsync(CancellationToken cancellationToken)
    {
        // Made at start when storage answers, so producers can write at once; if it does not, the pump keeps trying
        // (like the host, an unreachable queue never stops the app from serving HTTP).
        using (var quick = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
        {
            quick.CancelAfter(StartupCreateTimeout);
            _queueReady = await TryCreateQueueAsync(quick.Token, cancellationToken);
        }
        _logger.LogInformation("Queue function {Function} listens on queue {Queue}", _function.Name, _function.QueueName);
        await base.StartAsync(cancellationToken);
    }

    static readonly TimeSpan StartupCreateTimeout = TimeSpan.FromSeconds(5);
    bool _queueReady;

    async Task<bool> TryCreateQueueAsync(CancellationToken attempt, CancellationToken stopping)
    {
        try
        {
            await _queue.CreateIfNotExistsAsync(cancellationToken: attempt);
            return true;
        }
        catch (Exception e) when (!stopping.IsCancellationRequested)
        {
            _logger.LogWarning(e, "Queue {Queue} for function {Function} could not be created; retrying", _function.QueueName, _function.Name);
            return false;
        }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        using var _ = cancellationToken.Register(() => _abort.Cancel());
        await base.StopAsync(cancellationToken);
    }

    public override void Dispose()
    {
        // Not disposed: tasks cut off by a timed-out stop may still hold its token.
        _abort.Cancel();
        base.Dispose();
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var backoff = new PollingBackoff(QueueSettings.MinimumPollingInterval, _settings.MaxPollingInterval);
        while (!_queueReady && !stoppingToken.IsCancellationRequested)
        {
            await Task.Delay(backoff.Next(false), stoppingToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            _queueReady = await TryCreateQueueAsync(stoppingToken, stoppingToken);
        }
        var processing = new List<Task>();
        var foundSinceLastDelay = false;
        while (!stoppingToken.IsCancellationRequested)
        {
            QueueMessage[] batch;
            try
            {
                batch = (await _queue.ReceiveMessagesAsync(_settings.BatchSize, _settings.MessageLease, stoppingToken)).Value ?? [];
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception e) when (!stoppingToken.IsCancellationRequested)
            {
                // The host backs off on storage errors and keeps listening; a dead listener would be worse.
                _logger.LogWarning(e, "Polling queue {Queue} for function {Function} failed", _function.QueueName, _function.Name);
                batch = [];
            }

            foreach (var message in batch)
                processing.Add(ProcessAsync(message, stoppingToken));

            if (batch.Length > 0)
            {
                foundSinceLastDelay = true;
                processing.RemoveAll(t => t.IsCompleted);
                while (processing.Count > _newBatchThreshold)
                    processing.Remove(await Task.WhenAny(processing));
            }
            else
            {
                await Task.Delay(backoff.Next(foundSinceLastDelay), stoppingToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
                foundSinceLastDelay = false;
            }
        }
        // ProcessAsync never throws, so this only waits for the messages in flight.
        await Task.WhenAll(processing);
    }

    async Task ProcessAsync(QueueMessage received, CancellationToken functionToken)
    {
        // Off the polling loop at once: the function's synchronous part must not delay the next receive.
        await Task.Yield();
        try
        {
            if (received.DequeueCount > _settings.MaxDequeueCount)
            {
                // Its last attempt never completed (e.g. the process died): the host poisons it without another run.
                await PoisonAsync(received, received.PopReceipt);
                return;
            }
            if (!QueueMessageCodec.TryDecode(received.MessageText, _settings.MessageEncoding, out var body))
            {
                _logger.LogWarning("Message {MessageId} in queue {Queue} is not valid base64; function {Function} is not run",
                    received.MessageId, _function.QueueName, _function.Name);
                await PoisonAsync(received, received.PopReceipt);
                return;
            }
            var message = QueuesModelFactory.QueueMessage(
                received.MessageId, received.PopReceipt, body, received.DequeueCount, received.NextVisibleOn, received.InsertedOn, received.ExpiresOn);

            Exception? failure = null;
            var lease = MessageLease.Start(_queue, received.MessageId, received.PopReceipt, _settings.MessageLease, _logger, _abortToken);
            try
            {
                await QueueFunctionInvoker.InvokeAsync(_services, _function, message, functionToken);
            }
            catch (Exception e)
            {
                failure = e;
            }
            var popReceipt = await lease.StopAsync();

            if (failure is null)
            {
                await DeleteAsync(received.MessageId, popReceipt);
                return;
            }
            _logger.LogError(failure, "Function {Function} failed on message {MessageId} from queue {Queue} (dequeue count {DequeueCount} of {MaxDequeueCount})",
                _function.Name, received.MessageId, _function.QueueName, received.DequeueCount, _settings.MaxDequeueCount);
            if (_poison is null)
                return; // as in the host: without a poison queue the message stays invisible until its lease ends
            if (received.DequeueCount >= _settings.MaxDequeueCount)
                await PoisonAsync(received, popReceipt);
            else
                await ReleaseAsync(received.MessageId, popReceipt);
        }
        catch (OperationCanceledException) when (_abortToken.IsCancellationRequested)
        {
            // Shutdown ran out of time; the message reappears when its lease ends.
        }
        catch (Exception e)
        {
            // Never fault: a faulted task here would go unobserved or stop the pump.
            _logger.LogError(e, "Could not complete message {MessageId} of function {Function} in queue {Queue}",
                received.MessageId, _function.Name, _function.QueueName);
        }
    }

    /// <summary>Copies the stored text unchanged (so the same encoding) to the poison queue, then deletes the original.</summary>
    async Task PoisonAsync(QueueMessage received, string popReceipt)
    {
        if (_poison is null)
            return;
        _logger.LogWarning("Message {MessageId} of function {Function} has reached MaxDequeueCount of {MaxDequeueCount}; moving it to queue {PoisonQueue}",
            received.MessageId, _function.Name, _settings.MaxDequeueCount, _poison.Name);
        try
        {
            await _poison.SendMessageAsync(received.MessageText, _abortToken);
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            await _poison.CreateIfNotExistsAsync(cancellationToken: _abortToken);
            await _poison.SendMessageAsync(received.MessageText, _abortToken);
        }
        await DeleteAsync(received.MessageId, popReceipt);
    }

    async Task DeleteAsync(string messageId, string popReceipt)
    {
        try
        {
            await _queue.DeleteMessageAsync(messageId, popReceipt, _abortToken);
        }
        catch (RequestFailedException e) when (e.Status is 400 or 404 or 409)
        {
            // Pop receipt mismatch (someone else owns it now), or the message or queue is gone: the host lets it be.
            _logger.LogDebug(e, "Message {MessageId} in queue {Queue} was not deleted", messageId, _function.QueueName);
        }
    }

    async Task ReleaseAsync(string messageId, string popReceipt)
    {
        try
        {
            await _queue.UpdateMessageAsync(messageId, popReceipt, visibilityTimeout: _settings.VisibilityTimeout, cancellationToken: _abortToken);
        }
        catch (RequestFailedException e) when (e.Status is 400 or 404 or 409)
        {
            _logger.LogDebug(e, "Message {MessageId} in queue {Queue} was not released", messageId, _function.QueueName);
        }
    }
}

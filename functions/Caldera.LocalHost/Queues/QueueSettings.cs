using Azure.Storage.Queues;

namespace Caldera.LocalHost.Queues;

/// <summary>
/// The queue trigger settings of host.json's <c>extensions.queues</c>, with the Azure host's defaults and limits, so
/// the local host polls, retries and poisons exactly as a deployed app does. Read by <see cref="HostJsonQueueSettings"/>;
/// tests pass their own through <see cref="LocalServerOptions.Queues"/> to shorten the intervals.
/// </summary>
public sealed record QueueSettings
{
    /// <summary>Storage returns at most 32 messages per receive, so the host caps batchSize there.</summary>
    public const int MaxBatchSize = 32;

    /// <summary>The host's shortest polling interval (QueuePollingIntervals.Minimum): the back-off starts here.</summary>
    public static readonly TimeSpan MinimumPollingInterval = TimeSpan.FromMilliseconds(100);

    /// <summary>The Azure defaults (what an empty <c>extensions.queues</c> means).</summary>
    public static QueueSettings Default { get; } = new();

    /// <summary>Messages received per poll and run in parallel (per function). Default 16, at most 32.</summary>
    public int BatchSize { get; init; } = 16;

    /// <summary>
    /// A new batch is fetched once no more than this many messages are in flight. Null means the host's default,
    /// <c>BatchSize / 2 × processor count</c>; so up to <c>BatchSize + NewBatchThreshold</c> can run at once.
    /// </summary>
    public int? NewBatchThreshold { get; init; }

    /// <summary>The longest wait between polls of an empty queue (back-off from 100 ms). Default 1 minute.</summary>
    public TimeSpan MaxPollingInterval { get; init; } = TimeSpan.FromMinutes(1);

    /// <summary>
    /// How long a failed message stays invisible before its next attempt (retry delay). Default 0. Storage counts
    /// whole seconds, so a sub-second value means an immediate retry (in Azure as here).
    /// </summary>
    public TimeSpan VisibilityTimeout { get; init; } = TimeSpan.Zero;

    /// <summary>Attempts before a message goes to <c>&lt;queue&gt;-poison</c>. Default 5.</summary>
    public int MaxDequeueCount { get; init; } = 5;

    /// <summary>How message bodies travel: base64 (the default) or none (plain text).</summary>
    public QueueMessageEncoding MessageEncoding { get; init; } = QueueMessageEncoding.Base64;

    /// <summary>
    /// Not a host.json setting: the invisibility a received message gets while its function runs, renewed at half
    /// time until the function ends. The host hard-codes 10 minutes; tests may shorten it to exercise the renewal.
    /// </summary>
    public TimeSpan MessageLease { get; init; } = TimeSpan.FromMinutes(10);

    /// <summary><see cref="NewBatchThreshold"/> with the host's default applied.</summary>
    public int EffectiveNewBatchThreshold => NewBatchThreshold ?? BatchSize / 2 * Environment.ProcessorCount;

    /// <summary>The host's option checks (it refuses to start with these values); returns this for chaining.</summary>
    public QueueSettings Validate()
    {
        if (BatchSize is <= 0 or > MaxBatchSize)
            throw new InvalidOperationException($"queues.batchSize must be 1-{MaxBatchSize}, not {BatchSize}.");
        if (NewBatchThreshold < 0)
            throw new InvalidOperationException($"queues.newBatchThreshold must not be negative, not {NewBatchThreshold}.");
        if (MaxPollingInterval < MinimumPollingInterval)
            throw new InvalidOperationException($"queues.maxPollingInterval must be at least {MinimumPollingInterval}, not {MaxPollingInterval}.");
        if (VisibilityTimeout < TimeSpan.Zero || VisibilityTimeout > TimeSpan.FromDays(7))
            throw new InvalidOperationException($"queues.visibilityTimeout must be 0-7 days, not {VisibilityTimeout}.");
        if (MaxDequeueCount < 1)
            throw new InvalidOperationException($"queues.maxDequeueCount must be at least 1, not {MaxDequeueCount}.");
        if (MessageEncoding is not (QueueMessageEncoding.Base64 or QueueMessageEncoding.None))
            throw new InvalidOperationException($"queues.messageEncoding must be base64 or none, not {MessageEncoding}.");
        if (MessageLease < TimeSpan.FromSeconds(1) || MessageLease > TimeSpan.FromDays(7))
            throw new InvalidOperationException($"The message lease must be 1 s to 7 days, not {MessageLease}.");
        return this;
    }
}

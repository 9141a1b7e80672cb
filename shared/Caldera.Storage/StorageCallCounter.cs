using Azure.Core;
using Azure.Core.Pipeline;

namespace Caldera.Storage;

public enum StorageService { Table, Blob, Queue }

/// <summary>How a read found its calendar's snapshot: current, missing (cold), or brought forward from the change rows.</summary>
public enum SnapshotOutcome { Hit, Miss, Refresh }

/// <summary>
/// Counts HTTP calls to storage (every attempt, retries included), globally and per async flow:
/// <c>using var scope = counter.BeginScope(); ...; scope.Calls</c>. Used to keep calls per request bounded.
/// </summary>
public sealed class StorageCallCounter
{
    readonly AsyncLocal<Scope?> _current = new();
    long _total, _background, _writeRetries;
    readonly long[] _byService = new long[3];

    /// <summary>All calls since start-up made for requests (background work is counted apart).</summary>
    public long Total => Interlocked.Read(ref _total);

    /// <summary>Calls made by background work (snapshot loads after a cold request) since start-up.</summary>
    public long Background => Interlocked.Read(ref _background);

    /// <summary>
    /// Write attempts that lost to a concurrent writer (a transaction whose rows changed since they were read) and were
    /// tried again, since start-up: what parallel writers of one calendar cost beyond one attempt each.
    /// </summary>
    public long WriteRetries => Interlocked.Read(ref _writeRetries);

    /// <summary>Notes a write attempt that met a concurrent write and is tried again (on the scopes of this flow too).</summary>
    public void RecordWriteRetry()
    {
        Interlocked.Increment(ref _writeRetries);
        for (var scope = _current.Value; scope is not null; scope = scope.Parent)
            scope.AddWriteRetry();
    }

    /// <summary>Calls to one service since start-up (tests diff these around a request served elsewhere).</summary>
    public long TotalOf(StorageService service) => Interlocked.Read(ref _byService[(int)service]);

    /// <summary>Starts counting the calls made by this async flow (and the tasks it starts) until disposed.</summary>
    public Scope BeginScope()
    {
        var scope = new Scope(this, _current.Value);
        _current.Value = scope;
        return scope;
    }

    /// <summary>
    /// Marks this async flow as background work until disposed: its calls count in <see cref="Background"/> only, so
    /// request counts (scopes and <see cref="TotalOf"/>) stay what the requests themselves cost.
    /// </summary>
    public Scope BeginBackground()
    {
        var scope = new Scope(this, null) { IsBackground = true };
        _current.Value = scope;
        return scope;
    }

    /// <summary>Notes a snapshot lookup on the scopes of this flow (shown in the request log).</summary>
    public void RecordSnapshot(SnapshotOutcome outcome)
    {
        for (var scope = _current.Value; scope is not null; scope = scope.Parent)
            scope.AddSnapshot(outcome);
    }

    /// <summary>The pipeline policy to add to client options (per retry, so each attempt counts).</summary>
    public HttpPipelinePolicy CreatePolicy(StorageService service) => new CountingPolicy(this, service);

    void Record(StorageService service)
    {
        if (_current.Value is { IsBackground: true })
        {
            Interlocked.Increment(ref _background);
            return;
        }
        Interlocked.Increment(ref _total);
        Interlocked.Increment(ref _byService[(int)service]);
        for (var scope = _current.Value; scope is not null; scope = scope.Parent)
            scope.Add(service);
    }

    public sealed class Scope : IDisposable
    {
        readonly StorageCallCounter _counter;
        int _tables, _blobs, _queues, _disposed, _hits, _misses, _refreshes, _writeRetries;

        internal Scope(StorageCallCounter counter, Scope? parent)
        {
            _counter = counter;
            Parent = parent;
        }

        internal Scope? Parent { get; }
        internal bool IsBackground { get; init; }
        public int SnapshotHits => Volatile.Read(ref _hits);
        public int SnapshotMisses => Volatile.Read(ref _misses);
        public int SnapshotRefreshes => Volatile.Read(ref _refreshes);
        public int WriteRetries => Volatile.Read(ref _writeRetries);

        internal void AddWriteRetry()
        {
            if (Volatile.Read(ref _disposed) == 0)
                Interlocked.Increment(ref _writeRetries);
        }

        internal void AddSnapshot(SnapshotOutcome outcome)
        {
            if (Volatile.Read(ref _disposed) != 0)
                return;
            switch (outcome)
            {
                case SnapshotOutcome.Hit: Interlocked.Increment(ref _hits); break;
                case SnapshotOutcome.Miss: Interlocked.Increment(ref _misses); break;
                default: Interlocked.Increment(ref _refreshes); break;
            }
        }
        public int Calls => TableCalls + BlobCalls + QueueCalls;
        public int TableCalls => Volatile.Read(ref _tables);
        public int BlobCalls => Volatile.Read(ref _blobs);
        public int QueueCalls => Volatile.Read(ref _queues);

        internal void Add(StorageService service)
        {
            if (Volatile.Read(ref _disposed) != 0)
                return;
            switch (service)
            {
                case StorageService.Table: Interlocked.Increment(ref _tables); break;
                case StorageService.Blob: Interlocked.Increment(ref _blobs); break;
                default: Interlocked.Increment(ref _queues); break;
            }
        }

        /// <summary>Stops counting; <see cref="Calls"/> stays readable.</summary>
        public void Dispose()
        {
            Interlocked.Exchange(ref _disposed, 1);
            if (_counter._current.Value == this)
                _counter._current.Value = Parent;
        }
    }

    // Synchronous policy: runs on the caller's execution context, so the AsyncLocal scope is visible.
    sealed class CountingPolicy(StorageCallCounter counter, StorageService service) : HttpPipelineSynchronousPolicy
    {
        public override void OnSendingRequest(HttpMessage message) => counter.Record(service);
    }
}

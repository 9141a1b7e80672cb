using System.Diagnostics;
using Caldera.Storage;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Caldera.Functions.Observability;

/// <summary>
/// One structured log entry per HTTP request: method, path class (<see cref="PathClassifier"/>, no user data),
/// status, duration, the storage calls the request made (a <see cref="StorageCallCounter"/> scope around it),
/// the bytes allocated meanwhile and how often its write lost to a concurrent writer and was tried again.
/// Wired as Functions worker middleware in Azure (<see cref="RequestLoggingWorkerMiddleware"/>) and as ASP.NET Core
/// middleware in the local host (<see cref="RequestLoggingExtensions.UseCalderaRequestLogging"/>); both wrap the
/// function's execution, so the counter scope sees its storage calls.
/// </summary>
public sealed partial class RequestLogger(StorageCallCounter counter, ILogger<RequestLogger> logger)
{
    public const int EventIdValue = 1000;
    public const string EventName = "CalderaRequest";

    /// <summary>Runs <paramref name="next"/> and logs it. <paramref name="statusAfter"/> reads the final status (default: the response's).</summary>
    public async Task InvokeAsync(HttpContext context, Func<Task> next, Func<int>? statusAfter = null)
    {
        if (!logger.IsEnabled(LogLevel.Information))
        {
            await next();
            return;
        }
        var started = Stopwatch.GetTimestamp();
        var allocatedBefore = AllocatedBytes();
        using var scope = counter.BeginScope();
        var status = StatusCodes.Status500InternalServerError;
        try
        {
            await next();
            status = statusAfter?.Invoke() ?? context.Response.StatusCode;
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            status = 499; // client closed the request
            throw;
        }
        finally
        {
            scope.Dispose();
            LogRequest(logger, MethodOf(context.Request.Method), PathClassifier.Classify(context.Request.Path), status,
                Math.Round(Stopwatch.GetElapsedTime(started).TotalMilliseconds, 1),
                scope.Calls, scope.TableCalls, scope.BlobCalls, scope.QueueCalls,
                scope.SnapshotHits, scope.SnapshotMisses, scope.SnapshotRefreshes,
                (AllocatedBytes() - allocatedBefore) / 1024, scope.WriteRetries);
        }
    }

    /// <summary>
    /// Bytes allocated by the whole process so far. Process-wide because GetAllocatedBytesForCurrentThread misses what
    /// a request's continuations allocate on other pool threads; so the difference is exact for one request at a
    /// time and approximate under concurrency (it counts the other requests' bytes too). The cheap, imprecise count
    /// is right under workstation GC (the Functions worker); under server GC (the local host) it was seen to lag by
    /// hundreds of MB (0 KB for 20 requests in a row, then all at once), so there it is made precise, which costs
    /// a brief suspension of the runtime (about 4 µs on a 2-core machine).
    /// </summary>
    static long AllocatedBytes() => GC.GetTotalAllocatedBytes(precise: System.Runtime.GCSettings.IsServerGC);

    /// <summary>The verb as sent when it looks like one (letters only, bounded), else OTHER: a log line is not an echo.</summary>
    public static string MethodOf(string method) =>
        method.Length is > 0 and <= 20 && method.All(char.IsAsciiLetter) ? method.ToUpperInvariant() : "OTHER";

    [LoggerMessage(EventId = EventIdValue, EventName = EventName, Level = LogLevel.Information,
        Message = "{Method} {PathClass} {Status} in {DurationMs} ms, storage calls {StorageCalls} (table {TableCalls}, blob {BlobCalls}, queue {QueueCalls}), snapshot hit {SnapshotHits} miss {SnapshotMisses} refresh {SnapshotRefreshes}, allocated {AllocatedKB} KB, write retries {WriteRetries}")]
    static partial void LogRequest(ILogger logger, string method, string pathClass, int status, double durationMs,
        int storageCalls, int tableCalls, int blobCalls, int queueCalls, int snapshotHits, int snapshotMisses, int snapshotRefreshes, long allocatedKB,
        int writeRetries);
}

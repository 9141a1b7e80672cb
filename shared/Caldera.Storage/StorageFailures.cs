using Azure;

namespace Caldera.Storage;

/// <summary>Tells a storage outage (worth a 503 and a retry) from a defect.</summary>
public static class StorageFailures
{
    /// <summary>
    /// True when storage could not be reached or answered with a transient or concurrency status the code did not
    /// handle (the SDK's retries, if any, are already spent): unreachable, timed out, throttled, 5xx, 409, 412.
    /// </summary>
    public static bool IsOutage(Exception e) => e switch
    {
        RequestFailedException r => r.Status is 0 or 408 or 409 or 412 or 429 or >= 500
            || r.InnerException is { } inner && IsOutage(inner),
        // The SDK's retry policy throws AggregateException when every attempt threw.
        AggregateException a => a.InnerExceptions.Count > 0 && a.InnerExceptions.All(IsOutage),
        IOException or TimeoutException or System.Net.Http.HttpRequestException or System.Net.Sockets.SocketException => true,
        // A timeout the SDK raised (the caller's own cancellation is handled before this is asked).
        OperationCanceledException => true,
        _ => false,
    };
}

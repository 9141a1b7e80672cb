using System.Net.Http;
using System.Net.Sockets;
using Azure;

namespace Caldera.Storage;

/// <summary>
/// Whether an exception means storage is unreachable or overloaded for now (not a bug, not a refusal): no response at
/// all (refused, reset, timed out: status 0 or a transport exception), or the service's own 500/503 "try again"
/// answers, possibly gathered by the SDK's retries into an <see cref="AggregateException"/>.
/// </summary>
public static class StorageOutage
{
    public static bool IsOutage(Exception exception) => exception switch
    {
        AggregateException aggregate => aggregate.InnerExceptions.Count > 0 && aggregate.InnerExceptions.All(IsOutage),
        RequestFailedException e => e.Status is 0 or 500 or 502 or 503 or 504,
        HttpRequestException or SocketException or IOException or TimeoutException => true,
        // The SDK's network timeout surfaces as a cancellation the caller did not ask for (the engine checks the caller's first).
        TaskCanceledException e => e.InnerException is null or TimeoutException,
        _ => false,
    };
}

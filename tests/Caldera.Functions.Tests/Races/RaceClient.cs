using System.Net;
using Caldera.Functions.Tests.Dav;

namespace Caldera.Functions.Tests.Races;

/// <summary>What the clients of one race sent and were answered (shared by all of them, thread-safe).</summary>
public sealed class RaceTally
{
    int _requests, _retries;
    public int Requests => Volatile.Read(ref _requests);

    /// <summary>503 answers (each was followed by the same request again).</summary>
    public int Retries => Volatile.Read(ref _retries);

    internal void Count(HttpStatusCode status)
    {
        Interlocked.Increment(ref _requests);
        if (status == HttpStatusCode.ServiceUnavailable)
            Interlocked.Increment(ref _retries);
    }
}

/// <summary>
/// A client as a well-behaved CalDAV client is: a 503 must carry Retry-After, and the same request is sent again after
/// it (at most <see cref="MaxRetries"/> times, the wait capped at a second so a test stays short).
/// </summary>
internal sealed class RaceClient(HttpClient http, RaceTally tally)
{
    const int MaxRetries = 10;

    public HttpClient Http => http;

    public async Task<DavResponse> SendAsync(Func<HttpRequestMessage> request)
    {
        for (var attempt = 0; ; attempt++)
        {
            var response = await DavHelpers.SendAsync(http, request());
            tally.Count(response.Status);
            if (response.Status != HttpStatusCode.ServiceUnavailable || attempt == MaxRetries)
                return response;
            var wait = response.Headers.RetryAfter?.Delta
                ?? throw new Xunit.Sdk.XunitException($"a 503 without Retry-After: {response}");
            await Task.Delay(TimeSpan.FromMilliseconds(Math.Min(wait.TotalMilliseconds, 1000) * Random.Shared.Next(50, 101) / 100));
        }
    }

    public Task<DavResponse> GetAsync(string path) => SendAsync(() => new HttpRequestMessage(HttpMethod.Get, path));

    public Task<DavResponse> PutAsync(string path, string body, string header, string value) =>
        SendAsync(() => With(DavHelpers.Put(path, body), header, value));

    public Task<DavResponse> DeleteAsync(string path, string etag) =>
        SendAsync(() => With(new HttpRequestMessage(HttpMethod.Delete, path), "If-Match", etag));

    static HttpRequestMessage With(HttpRequestMessage request, string header, string value)
    {
        request.Headers.TryAddWithoutValidation(header, value);
        return request;
    }
}

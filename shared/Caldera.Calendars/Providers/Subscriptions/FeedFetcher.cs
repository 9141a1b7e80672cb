using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;

namespace Caldera.Calendars.Providers.Subscriptions;

/// <summary>What one fetch gave: a new body (with its validators), "not modified", or why it failed.</summary>
public sealed record FetchOutcome(HttpStatusCode? Status, byte[]? Body, string? ETag, string? LastModified, string? Error)
{
    public bool NotModified => Status == HttpStatusCode.NotModified && Error is null;
    public bool HasBody => Body is not null && Error is null;
}

/// <summary>
/// Fetches feeds over HTTP(S) with a conditional GET, a size cap (read as a stream and cut off) and a time limit.
/// Every connection goes through <see cref="AddressGuard"/>: the host is resolved here, every address checked, and
/// the socket connected to a checked address, so neither DNS rebinding nor a redirect reaches a private address.
/// </summary>
public sealed class FeedFetcher : IDisposable
{
    readonly SubscriptionSettings _settings;
    readonly HttpClient _client;

    public FeedFetcher(SubscriptionSettings settings)
    {
        _settings = settings;
        var handler = new SocketsHttpHandler
        {
            UseProxy = false, // a proxy would connect on our behalf, past the address check
            AllowAutoRedirect = true,
            MaxAutomaticRedirections = 5,
            AutomaticDecompression = DecompressionMethods.GZip | DecompressionMethods.Deflate,
            PooledConnectionLifetime = TimeSpan.FromMinutes(5),
            ConnectTimeout = settings.Timeout,
            ConnectCallback = ConnectAsync,
        };
        _client = new HttpClient(handler) { Timeout = Timeout.InfiniteTimeSpan };
        _client.DefaultRequestHeaders.UserAgent.ParseAdd("Caldera-ics-subscription/1.0");
    }

    async ValueTask<Stream> ConnectAsync(SocketsHttpConnectionContext context, CancellationToken ct)
    {
        var addresses = await AddressGuard.ResolveAsync(context.DnsEndPoint.Host, _settings.AllowPrivateAddresses, ct);
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(addresses, context.DnsEndPoint.Port, ct);
            return new NetworkStream(socket, ownsSocket: true);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    public async Task<FetchOutcome> FetchAsync(Uri url, string? etag, string? lastModified, CancellationToken ct)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(_settings.Timeout);
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, url);
            request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/calendar"));
            request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("*/*", 0.1));
            if (!string.IsNullOrEmpty(etag))
                request.Headers.TryAddWithoutValidation("If-None-Match", etag);
            if (!string.IsNullOrEmpty(lastModified))
                request.Headers.TryAddWithoutValidation("If-Modified-Since", lastModified);
            using var response = await _client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token);
            if (response.StatusCode == HttpStatusCode.NotModified)
                return new FetchOutcome(response.StatusCode, null, etag, lastModified, null);
            if (!response.IsSuccessStatusCode)
                return Failed(response.StatusCode, $"the feed answered HTTP {(int)response.StatusCode} {response.ReasonPhrase}");
            if (response.Content.Headers.ContentLength > _settings.MaxFeedBytes)
                return Failed(response.StatusCode, $"the feed is larger than {_settings.MaxFeedBytes} bytes");
            var body = await ReadCappedAsync(response.Content, timeout.Token);
            if (body is null)
                return Failed(response.StatusCode, $"the feed is larger than {_settings.MaxFeedBytes} bytes");
            return new FetchOutcome(response.StatusCode, body,
                response.Headers.ETag?.ToString(),
                response.Content.Headers.LastModified?.ToString("R"), null);
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            return Failed(null, $"the feed did not answer within {_settings.Timeout.TotalSeconds:0.#} s");
        }
        catch (HttpRequestException e) when (Find<FeedRefusedException>(e) is { } refused)
        {
            return Failed(null, "refused: " + refused.Message);
        }
        catch (HttpRequestException e)
        {
            return Failed(null, "the feed could not be fetched: " + e.Message);
        }
        catch (FeedRefusedException e)
        {
            return Failed(null, "refused: " + e.Message);
        }
    }

    async Task<byte[]?> ReadCappedAsync(HttpContent content, CancellationToken ct)
    {
        await using var stream = await content.ReadAsStreamAsync(ct);
        using var buffer = new MemoryStream();
        var chunk = new byte[81920];
        int read;
        while ((read = await stream.ReadAsync(chunk, ct)) > 0)
        {
            if (buffer.Length + read > _settings.MaxFeedBytes)
                return null;
            buffer.Write(chunk, 0, read);
        }
        return buffer.ToArray();
    }

    static FetchOutcome Failed(HttpStatusCode? status, string error) => new(status, null, null, null, error);

    static T? Find<T>(Exception? e) where T : Exception
    {
        for (; e is not null; e = e.InnerException)
            if (e is T t)
                return t;
        return null;
    }

    public void Dispose() => _client.Dispose();
}

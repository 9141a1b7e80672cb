using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Caldera.Functions.Tests.Subscriptions;

/// <summary>
/// A tiny HTTP server on 127.0.0.1 serving .ics feeds by path: each path answers its current status and body, with an
/// ETag, and 304 when If-None-Match matches. Counts requests per path and what they asked for.
/// </summary>
internal sealed class FeedServer : IAsyncDisposable
{
    public sealed class Feed
    {
        public volatile int Status = 200;
        public volatile string Body = "";
        public volatile string ETag = "\"v1\"";
        public int Requests;
        public int NotModified;
        public readonly ConcurrentQueue<string?> IfNoneMatch = new();
    }

    readonly HttpListener _listener;
    readonly ConcurrentDictionary<string, Feed> _feeds = new();
    readonly Task _loop;

    public FeedServer()
    {
        (_listener, Port) = Listen();
        _loop = Task.Run(LoopAsync);
    }

    public int Port { get; }

    public Feed this[string path] => _feeds.GetOrAdd(path, _ => new Feed());

    public string Url(string path) => $"http://127.0.0.1:{Port}/{path}";

    async Task LoopAsync()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext context;
            try { context = await _listener.GetContextAsync(); }
            catch (Exception) { return; }
            try { Answer(context); }
            catch (Exception) { /* the client went away */ }
        }
    }

    void Answer(HttpListenerContext context)
    {
        var feed = this[context.Request.Url!.AbsolutePath.TrimStart('/')];
        Interlocked.Increment(ref feed.Requests);
        var ifNoneMatch = context.Request.Headers["If-None-Match"];
        feed.IfNoneMatch.Enqueue(ifNoneMatch);
        var response = context.Response;
        if (feed.Status == 200 && ifNoneMatch == feed.ETag)
        {
            Interlocked.Increment(ref feed.NotModified);
            response.StatusCode = 304;
            response.Headers["ETag"] = feed.ETag;
            response.Close();
            return;
        }
        response.StatusCode = feed.Status;
        if (feed.Status == 200)
            response.Headers["ETag"] = feed.ETag;
        response.ContentType = "text/calendar; charset=utf-8";
        var bytes = Encoding.UTF8.GetBytes(feed.Body);
        response.ContentLength64 = bytes.Length;
        response.OutputStream.Write(bytes);
        response.Close();
    }

    /// <summary>
    /// HttpListener cannot bind port 0, so a free port is picked and released first; another process may bind it in
    /// between, hence a few tries with a fresh port.
    /// </summary>
    static (HttpListener, int) Listen()
    {
        for (var attempt = 1; ; attempt++)
        {
            var port = FreePort();
            var listener = new HttpListener();
            listener.Prefixes.Add($"http://127.0.0.1:{port}/");
            try
            {
                listener.Start();
                return (listener, port);
            }
            catch (HttpListenerException) when (attempt < 5)
            {
                listener.Close();
            }
        }
    }

    static int FreePort()
    {
        var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        var port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        return port;
    }

    public async ValueTask DisposeAsync()
    {
        _listener.Stop();
        _listener.Close();
        await _loop.WaitAsync(TimeSpan.FromSeconds(5)).ContinueWith(_ => { });
    }
}

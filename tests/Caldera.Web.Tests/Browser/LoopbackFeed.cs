using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Caldera.Web.Tests.Browser;

/// <summary>
/// An .ics feed served on 127.0.0.1 (a free port) for the subscription test: every GET answers <see cref="Body"/>.
/// The fixture lets Caldera fetch feeds from private addresses, so loopback works.
/// </summary>
public sealed class LoopbackFeed : IAsyncDisposable
{
    readonly HttpListener _listener = new();
    readonly Task _loop;

    public LoopbackFeed(string body)
    {
        Body = body;
        // HttpListener cannot bind port 0: take a free port from the OS, release it, bind it (retry if taken meanwhile).
        for (var attempt = 0; ; attempt++)
        {
            Port = FreePort();
            _listener.Prefixes.Clear();
            _listener.Prefixes.Add($"http://127.0.0.1:{Port}/");
            try
            {
                _listener.Start();
                break;
            }
            catch (HttpListenerException) when (attempt < 5)
            {
            }
        }
        _loop = Task.Run(ServeAsync);
    }

    public int Port { get; private set; }

    public string Body { get; set; }

    /// <summary>How many requests were answered (Caldera fetched the feed).</summary>
    public int Requests;

    public string Url(string path) => $"http://127.0.0.1:{Port}/{path}";

    async Task ServeAsync()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext context;
            try { context = await _listener.GetContextAsync(); }
            catch (Exception) { return; } // stopped
            Interlocked.Increment(ref Requests);
            try
            {
                var bytes = Encoding.UTF8.GetBytes(Body);
                context.Response.StatusCode = 200;
                context.Response.ContentType = "text/calendar; charset=utf-8";
                context.Response.ContentLength64 = bytes.Length;
                await context.Response.OutputStream.WriteAsync(bytes);
                context.Response.Close();
            }
            catch (Exception)
            {
                // the client went away
            }
        }
    }

    static int FreePort()
    {
        using var socket = new TcpListener(IPAddress.Loopback, 0);
        socket.Start();
        return ((IPEndPoint)socket.LocalEndpoint).Port;
    }

    public async ValueTask DisposeAsync()
    {
        _listener.Stop();
        _listener.Close();
        await _loop;
    }
}

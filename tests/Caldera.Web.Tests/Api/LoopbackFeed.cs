using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Caldera.Web.Tests.Api;

/// <summary>A tiny .ics feed served on 127.0.0.1 for subscription tests (the fixture allows private addresses).</summary>
public sealed class LoopbackFeed : IAsyncDisposable
{
    readonly HttpListener _listener = new();
    readonly Task _loop;
    int _requests;

    public Uri Url { get; }
    public string Body { get; set; }
    public int Requests => Volatile.Read(ref _requests);

    public LoopbackFeed(string body)
    {
        Body = body;
        var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        var port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        Url = new Uri($"http://127.0.0.1:{port}/feed.ics");
        _listener.Prefixes.Add($"http://127.0.0.1:{port}/");
        _listener.Start();
        _loop = Task.Run(ServeAsync);
    }

    async Task ServeAsync()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync();
            }
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                return;
            }
            Interlocked.Increment(ref _requests);
            var bytes = Encoding.UTF8.GetBytes(Body);
            context.Response.ContentType = "text/calendar; charset=utf-8";
            context.Response.ContentLength64 = bytes.Length;
            await context.Response.OutputStream.WriteAsync(bytes);
            context.Response.Close();
        }
    }

    public async ValueTask DisposeAsync()
    {
        _listener.Stop();
        _listener.Close();
        await _loop;
    }
}

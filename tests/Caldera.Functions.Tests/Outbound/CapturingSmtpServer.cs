using System.Buffers;
using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using SmtpServer;
using SmtpServer.Mail;
using SmtpServer.Protocol;
using SmtpServer.Storage;

namespace Caldera.Functions.Tests.Outbound;

/// <summary>One email as the SMTP server received it: the envelope and the raw bytes.</summary>
public sealed record CapturedMail(string EnvelopeFrom, IReadOnlyList<string> Recipients, byte[] Raw);

/// <summary>
/// A real SMTP server (the SmtpServer package) on a loopback port, in this process: it keeps every email it accepts
/// and refuses with 550 at the end of DATA any email to an address in <see cref="Refused"/>.
/// </summary>
public sealed class CapturingSmtpServer : IAsyncDisposable
{
    readonly CancellationTokenSource _stop = new();
    readonly SmtpServer.SmtpServer _server;
    readonly Task _running;

    public ConcurrentQueue<CapturedMail> Received { get; } = new();
    public ConcurrentDictionary<string, bool> Refused { get; } = new(StringComparer.OrdinalIgnoreCase);
    public int Port { get; }

    CapturingSmtpServer(int port)
    {
        Port = port;
        var options = new SmtpServerOptionsBuilder()
            .ServerName("smtp.test")
            .Endpoint(b => b.Endpoint(new IPEndPoint(IPAddress.Loopback, port)))
            .Build();
        var services = new SmtpServer.ComponentModel.ServiceProvider();
        services.Add(new Store(this));
        _server = new SmtpServer.SmtpServer(options, services);
        _running = _server.StartAsync(_stop.Token);
    }

    /// <summary>Starts on <paramref name="port"/> (0: a free one) and waits until it accepts connections.</summary>
    public static async Task<CapturingSmtpServer> StartAsync(int port = 0)
    {
        var server = new CapturingSmtpServer(port == 0 ? FreePort() : port);
        for (var i = 0; ; i++)
        {
            try
            {
                using var probe = new TcpClient();
                await probe.ConnectAsync(IPAddress.Loopback, server.Port);
                return server;
            }
            catch (SocketException) when (i < 100)
            {
                await Task.Delay(50);
            }
        }
    }

    /// <summary>A loopback port nothing listens on (as far as anyone can know).</summary>
    public static int FreePort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }

    public async ValueTask DisposeAsync()
    {
        _stop.Cancel();
        _server.Shutdown();
        try
        {
            await _running;
        }
        catch (OperationCanceledException)
        {
            // stopped
        }
        _stop.Dispose();
    }

    sealed class Store(CapturingSmtpServer owner) : MessageStore
    {
        public override Task<SmtpResponse> SaveAsync(ISessionContext context, IMessageTransaction transaction, ReadOnlySequence<byte> buffer, CancellationToken cancellationToken)
        {
            var recipients = transaction.To.Select(m => m.AsAddress()).ToList();
            if (recipients.Any(r => owner.Refused.ContainsKey(r)))
                return Task.FromResult(SmtpResponse.MailboxUnavailable);
            owner.Received.Enqueue(new CapturedMail(transaction.From.AsAddress(), recipients, buffer.ToArray()));
            return Task.FromResult(SmtpResponse.Ok);
        }
    }
}

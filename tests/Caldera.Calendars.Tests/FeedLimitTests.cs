using System.IO.Compression;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Caldera.Calendars.Providers.Subscriptions;

namespace Caldera.Calendars.Tests;

/// <summary>
/// A feed is fetched from a server we do not control: its size is capped however it is sent (declared, chunked, or
/// compressed into a small body that inflates past the cap) and a server that never answers is given up on.
/// The server here is a raw loopback TCP socket answering one request with bytes the test chooses.
/// </summary>
public sealed class FeedLimitTests
{
    const int Cap = 64 * 1024;
    static readonly SubscriptionSettings Settings = new() { AllowPrivateAddresses = true, MaxFeedBytes = Cap, Timeout = TimeSpan.FromSeconds(2) };

    [Fact]
    public async Task A_declared_length_over_the_cap_is_refused()
    {
        var head = $"HTTP/1.1 200 OK\r\nContent-Type: text/calendar\r\nContent-Length: {Cap + 1}\r\n\r\n";
        var outcome = await FetchFrom(Bytes(head, new byte[Cap + 1]));
        Assert.False(outcome.HasBody);
        Assert.Contains($"larger than {Cap} bytes", outcome.Error);
    }

    [Fact]
    public async Task A_chunked_body_over_the_cap_is_cut_off()
    {
        var chunk = new byte[16 * 1024];
        Array.Fill(chunk, (byte)'x');
        using var body = new MemoryStream();
        for (var i = 0; i < 5; i++) // 80 KiB in 16 KiB chunks, no length declared
            body.Write(Bytes($"{chunk.Length:x}\r\n", chunk, "\r\n"));
        body.Write(Encoding.ASCII.GetBytes("0\r\n\r\n"));
        var outcome = await FetchFrom(Bytes("HTTP/1.1 200 OK\r\nContent-Type: text/calendar\r\nTransfer-Encoding: chunked\r\n\r\n", body.ToArray()));
        Assert.False(outcome.HasBody);
        Assert.Contains($"larger than {Cap} bytes", outcome.Error);
    }

    [Fact]
    public async Task A_compressed_body_is_capped_by_what_it_inflates_to()
    {
        using var packed = new MemoryStream();
        using (var gzip = new GZipStream(packed, CompressionLevel.SmallestSize, leaveOpen: true))
            gzip.Write(new byte[Cap * 16]); // 1 MiB of zeros packs into about a kilobyte
        Assert.True(packed.Length < Cap / 16);
        var head = $"HTTP/1.1 200 OK\r\nContent-Type: text/calendar\r\nContent-Encoding: gzip\r\nContent-Length: {packed.Length}\r\n\r\n";
        var outcome = await FetchFrom(Bytes(head, packed.ToArray()));
        Assert.False(outcome.HasBody);
        Assert.Contains($"larger than {Cap} bytes", outcome.Error);
    }

    [Fact]
    public async Task A_body_within_the_cap_is_read()
    {
        var ics = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:x\r\nEND:VCALENDAR\r\n";
        var outcome = await FetchFrom(Bytes($"HTTP/1.1 200 OK\r\nContent-Type: text/calendar\r\nContent-Length: {ics.Length}\r\n\r\n{ics}"));
        Assert.True(outcome.HasBody);
        Assert.Equal(ics, Encoding.ASCII.GetString(outcome.Body!));
    }

    [Fact]
    public async Task A_server_that_never_answers_is_given_up_on()
    {
        var outcome = await FetchFrom(null);
        Assert.False(outcome.HasBody);
        Assert.Contains("did not answer within 2 s", outcome.Error);
    }

    /// <summary>Serves <paramref name="response"/> (or nothing, holding the connection open) to one request.</summary>
    static async Task<FetchOutcome> FetchFrom(byte[]? response)
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        using var stop = new CancellationTokenSource(TimeSpan.FromMinutes(1)); // a watchdog, not a timing assertion
        var serve = Task.Run(async () =>
        {
            using var client = await listener.AcceptTcpClientAsync(stop.Token);
            var stream = client.GetStream();
            var buffer = new byte[8192];
            var request = new StringBuilder();
            while (!request.ToString().Contains("\r\n\r\n"))
            {
                var n = await stream.ReadAsync(buffer, stop.Token);
                if (n == 0)
                    return;
                request.Append(Encoding.ASCII.GetString(buffer, 0, n));
            }
            if (response is null)
            {
                await Task.Delay(Timeout.Infinite, stop.Token).ContinueWith(_ => { });
                return;
            }
            try
            {
                await stream.WriteAsync(response, stop.Token);
            }
            catch (IOException)
            {
                // the fetcher may close the connection once it has seen enough
            }
        });
        using var fetcher = new FeedFetcher(Settings);
        var outcome = await fetcher.FetchAsync(new Uri($"http://127.0.0.1:{port}/feed.ics"), null, null, stop.Token);
        await stop.CancelAsync();
        await serve.ContinueWith(_ => { });
        return outcome;
    }

    static byte[] Bytes(string head, byte[]? body = null, string tail = "")
    {
        using var all = new MemoryStream();
        all.Write(Encoding.ASCII.GetBytes(head));
        if (body is not null)
            all.Write(body);
        all.Write(Encoding.ASCII.GetBytes(tail));
        return all.ToArray();
    }
}

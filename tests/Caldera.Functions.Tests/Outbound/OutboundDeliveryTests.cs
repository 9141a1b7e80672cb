using System.Diagnostics;
using System.Net;
using Azure.Storage.Queues;
using Caldera.Imip.Mime;
using Caldera.Storage;
using Caldera.Storage.Imip.Outbound;
using Microsoft.Extensions.DependencyInjection;
using MimeKit;
using static Caldera.Functions.Tests.Outbound.OutboundSamples;

namespace Caldera.Functions.Tests.Outbound;

/// <summary>
/// Outbound iMIP end to end: IOutboundImip → blob + status row + queue → the ImipSend queue function (the local host's
/// pump, host.json's dequeue limit) → MailKit → a real SMTP server on loopback.
/// </summary>
[Collection(OutboundServerCollection.Name)]
public sealed class OutboundDeliveryTests(OutboundServerFixture server)
{
    [Fact]
    public async Task An_invitation_is_sent_with_the_right_shape_and_marked_sent()
    {
        await using var smtp = await CapturingSmtpServer.StartAsync();
        server.UseSmtp(smtp.Port);
        Assert.Equal($"smtp://127.0.0.1:{smtp.Port} (None)", server.Server.OutboundMail);

        var request = Request(summary: "Planung – Köln");
        var receipt = await server.Outbound.EnqueueAsync(request, CancellationToken.None);
        var row = await server.WaitAsync(receipt.Id, r => r.Status == OutboundImipStatus.Sent);
        Assert.Equal(1, row.Attempts);
        Assert.Null(row.Code);
        Assert.Equal(("alice@example.com", "carol@example.com", "REQUEST", request.Uid), (row.From, row.To, row.Method, row.Uid));

        var mail = await OutboundServerFixture.ReceivedAsync(smtp, row.MessageId);
        Assert.Equal(OutboundServerFixture.SystemFrom, mail.EnvelopeFrom);
        Assert.Equal(["carol@example.com"], mail.Recipients);

        // Caldera's own inbound reader gets back the method and the calendar, byte for byte.
        var read = ImipMailReader.Read(new MemoryStream(mail.Raw), ImipLimits.Default);
        Assert.True(read.Refusal is null, read.Refusal?.ToString());
        Assert.Equal("REQUEST", read.Mail!.Method);
        Assert.Equal(request.CalendarText, read.Mail.CalendarText);
        Assert.Equal("alice@example.com", read.Mail.From);
        Assert.Equal(row.MessageId, $"<{read.Mail.MessageId}>");

        var message = MimeMessage.Load(new MemoryStream(mail.Raw));
        Assert.Equal("multipart/mixed", message.Body?.ContentType.MimeType);
        Assert.StartsWith("Invitation: Planung – Köln", message.Subject);
        Assert.Equal(OutboundServerFixture.SystemFrom, message.Sender?.Address);

        // And a reader that is not MimeKit: Python's email package and icalendar.
        Assert.Equal(["method=REQUEST", "summary=Planung – Köln", $"uid={request.Uid}"], await PythonReadAsync(mail.Raw));
    }

    [Fact]
    public async Task With_the_relay_down_the_queue_retries_then_fails_into_poison_and_a_resend_delivers_the_same_message()
    {
        var port = CapturingSmtpServer.FreePort();
        server.UseSmtp(port); // nothing listens there
        var receipt = await server.Outbound.EnqueueAsync(Request(), CancellationToken.None);
        var max = server.Queues.MaxDequeueCount;
        Assert.True(max > 1, "host.json should allow retries");

        var failed = await server.WaitAsync(receipt.Id, r => r.Status == OutboundImipStatus.Failed);
        Assert.Equal("retries-exhausted", failed.Code);
        Assert.Equal(max, failed.Attempts);
        Assert.Contains("poison", failed.Reason);
        Assert.Contains("cannot connect", failed.Reason);

        // The queue message is in the poison queue, the email's blob is kept.
        var layout = server.Services.GetRequiredService<StorageLayout>();
        var queues = server.Services.GetRequiredService<QueueServiceClient>();
        Assert.True(await PoisonHoldsAsync(queues.GetQueueClient(layout.ImipOutboundPoisonQueue), receipt.Id));
        Assert.NotNull(await server.Services.GetRequiredService<OutboundImipOutbox>().ReadAsync(OutboundServerFixture.User, receipt.Id, CancellationToken.None));

        // The relay comes back; resending all of alice's failed emails delivers it with its Message-ID.
        await using var smtp = await CapturingSmtpServer.StartAsync(port);
        var (code, output) = await server.AdminAsync("imip", "resend", OutboundServerFixture.User);
        Assert.True(code == 0, output);
        Assert.Contains($"resent {receipt.Id}", output);
        var sent = await server.WaitAsync(receipt.Id, r => r.Status == OutboundImipStatus.Sent);
        Assert.Equal(failed.MessageId, sent.MessageId);
        Assert.Equal(max + 1, sent.Attempts);
        var mail = await OutboundServerFixture.ReceivedAsync(smtp, failed.MessageId);
        Assert.Equal($"<{MimeMessage.Load(new MemoryStream(mail.Raw)).MessageId}>", failed.MessageId);
    }

    [Fact]
    public async Task Without_a_relay_the_email_is_held_then_configuring_and_resending_one_sends_it()
    {
        server.UseSmtp(null);
        Assert.Equal("held — set Caldera__Smtp__Host to send", server.Server.OutboundMail);
        var receipt = await server.Outbound.EnqueueAsync(Request(), CancellationToken.None);
        var held = await server.WaitAsync(receipt.Id, r => r.Status == OutboundImipStatus.Held);
        Assert.Equal("no-smtp-host", held.Code);
        Assert.Contains("Caldera__Smtp__Host", held.Reason);
        Assert.Equal(0, held.Attempts);
        var (code, listed) = await server.AdminAsync("imip", "outbound", OutboundServerFixture.User, "--status", "held");
        Assert.Equal(0, code);
        Assert.Contains($"{receipt.Id}\theld\tREQUEST\talice@example.com\tcarol@example.com", listed);

        await using var smtp = await CapturingSmtpServer.StartAsync();
        server.UseSmtp(smtp.Port);
        (code, var output) = await server.AdminAsync("imip", "resend", OutboundServerFixture.User, receipt.Id);
        Assert.True(code == 0, output);
        var sent = await server.WaitAsync(receipt.Id, r => r.Status == OutboundImipStatus.Sent);
        Assert.Equal(held.MessageId, sent.MessageId);
        await OutboundServerFixture.ReceivedAsync(smtp, held.MessageId);

        // A sent email is not resent.
        using var client = server.Management();
        using var again = await client.PostAsync($"manage/users/{OutboundServerFixture.User}/imip/outbound/{receipt.Id}/resend", null);
        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
    }

    [Fact]
    public async Task A_permanent_refusal_fails_at_once_without_retries()
    {
        await using var smtp = await CapturingSmtpServer.StartAsync();
        smtp.Refused["nobody@example.com"] = true;
        server.UseSmtp(smtp.Port);
        var receipt = await server.Outbound.EnqueueAsync(Request(to: "nobody@example.com"), CancellationToken.None);
        var failed = await server.WaitAsync(receipt.Id, r => r.Status == OutboundImipStatus.Failed);
        Assert.Equal("smtp-rejected", failed.Code);
        Assert.Equal(1, failed.Attempts);
        Assert.Contains("SMTP 550", failed.Reason);
        Assert.DoesNotContain(smtp.Received, m => m.Recipients.Contains("nobody@example.com"));
    }

    [Theory]
    [InlineData("carol@example.com\r\nBcc: mallory@example.net", "alice@example.com")]
    [InlineData("carol@example.com", "alice@example.com\nBcc: mallory@example.net")]
    [InlineData("carol@example.com, mallory@example.net", "alice@example.com")]
    public async Task Header_injection_is_refused_and_nothing_is_stored(string to, string from)
    {
        var before = (await server.ListAsync()).Count;
        var uid = Uid("inject");
        var request = new Caldera.Imip.Outbound.OutboundImipRequest(OutboundServerFixture.User, from, to, "REQUEST", uid,
            Calendar("REQUEST", uid, "carol@example.com"), "x");
        await Assert.ThrowsAsync<Caldera.Imip.Outbound.OutboundImipRefusedException>(() => server.Outbound.EnqueueAsync(request, CancellationToken.None));
        Assert.Equal(before, (await server.ListAsync()).Count);
    }

    [Fact]
    public async Task The_management_api_refuses_bad_users_ids_and_statuses()
    {
        using var client = server.Management();
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync("manage/users/nosuchuser/imip/outbound")).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await client.GetAsync("manage/users/Bad!User/imip/outbound")).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await client.GetAsync($"manage/users/{OutboundServerFixture.User}/imip/outbound?status=lost")).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await client.PostAsync($"manage/users/{OutboundServerFixture.User}/imip/outbound/not-an-id/resend", null)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await client.PostAsync($"manage/users/{OutboundServerFixture.User}/imip/outbound/{new string('0', 32)}/resend", null)).StatusCode);
        using var anonymous = new HttpClient { BaseAddress = server.Server.BaseUri };
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync($"manage/users/{OutboundServerFixture.User}/imip/outbound")).StatusCode);
    }

    static async Task<bool> PoisonHoldsAsync(QueueClient poison, string id)
    {
        for (var i = 0; i < 100; i++)
        {
            var peeked = await poison.PeekMessagesAsync(32);
            if (peeked.Value.Any(m => m.Body.ToString().Contains(id)))
                return true;
            await Task.Delay(100);
        }
        return false;
    }

    /// <summary>Debian's python3 with its email package and python3-icalendar reads the captured email.</summary>
    static async Task<string[]> PythonReadAsync(byte[] raw)
    {
        const string script = """
            import sys, email, email.policy, icalendar
            msg = email.message_from_bytes(open(sys.argv[1], 'rb').read(), policy=email.policy.default)
            part = [p for p in msg.walk() if p.get_content_type() == 'text/calendar'][0]
            cal = icalendar.Calendar.from_ical(part.get_content())
            assert str(cal['METHOD']) == part.get_param('method')
            event = [c for c in cal.walk() if c.name == 'VEVENT'][0]
            print('method=' + part.get_param('method'))
            print('summary=' + str(event['SUMMARY']))
            print('uid=' + str(event['UID']))
            """;
        var path = Path.Combine(Path.GetTempPath(), $"caldera-captured-{Guid.NewGuid():N}.eml");
        await File.WriteAllBytesAsync(path, raw);
        try
        {
            var start = new ProcessStartInfo("/usr/bin/python3") { RedirectStandardOutput = true, RedirectStandardError = true };
            start.ArgumentList.Add("-c");
            start.ArgumentList.Add(script);
            start.ArgumentList.Add(path);
            start.Environment["PYTHONIOENCODING"] = "utf-8";
            using var process = Process.Start(start)!;
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            await process.WaitForExitAsync();
            Assert.True(process.ExitCode == 0, $"python3 failed: {await stderr}");
            return (await stdout).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        }
        finally
        {
            File.Delete(path);
        }
    }
}

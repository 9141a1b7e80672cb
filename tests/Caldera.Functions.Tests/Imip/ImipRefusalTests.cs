using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Caldera.Functions.Tests.Dav;
using Caldera.Storage;
using Caldera.Storage.Imip;
using Microsoft.Extensions.DependencyInjection;
using static Caldera.Functions.Tests.Dav.DavHelpers;
using static Caldera.Functions.Tests.Imip.MailBuilder;
using static Caldera.Functions.Tests.Imip.ImipServerFixture;

namespace Caldera.Functions.Tests.Imip;

/// <summary>
/// RFC 6047 §3 and bad input: each email gets its status and reason, is kept (quarantined), changes nothing in
/// the calendar, and the queue goes on to the next message.
/// </summary>
[Collection(ImipServerCollection.Name)]
public sealed class ImipRefusalTests(ImipServerFixture server)
{
    async Task<string> CTagAsync(string user)
    {
        using var client = server.Dav(user);
        var response = await PropfindAsync(client, CalendarPath(user, "default"), "0", CS + "getctag");
        return response.Responses().Values.Single().Prop(CS + "getctag").Value;
    }

    async Task AssertQuarantinedAsync(ImipRow row, string code)
    {
        Assert.True(row.Status == ImipStatus.Quarantined && row.Code == code, row.ToString());
        Assert.False(string.IsNullOrWhiteSpace(row.Reason));
        Assert.NotNull(row.Blob);
        Assert.True(await server.Services.GetRequiredService<ImipInbox>().ExistsAsync(row.Blob!, CancellationToken.None), "a quarantined email is kept");
    }

    [Theory]
    [InlineData("not-calendar.eml", "not-calendar")]
    [InlineData("no-method.eml", "no-method")]
    [InlineData("conflicting-parts.eml", "conflicting-parts")]
    [InlineData("broken-base64.eml", "broken-encoding")]
    [InlineData("auth-fail-request.eml", "authentication-failed")]
    public async Task Bad_emails_are_quarantined_with_their_reason(string fixture, string code)
    {
        var before = await CTagAsync("alice");
        var row = await server.DeliverAsync(await File.ReadAllBytesAsync(FixturePath(fixture)), Alice, "alice");
        await AssertQuarantinedAsync(row, code);
        Assert.Equal(before, await CTagAsync("alice"));
    }

    [Fact]
    public async Task Ten_thousand_components_and_hundred_deep_nesting_are_refused()
    {
        var before = await CTagAsync("alice");
        var uid = Unique("many");
        var components = new StringBuilder();
        for (var i = 0; i < 10_000; i++)
            components.Append($"BEGIN:VEVENT\r\nUID:{uid}\r\nRECURRENCE-ID:2027{i % 12 + 1:D2}{i % 28 + 1:D2}T{i % 24:D2}0000Z\r\nEND:VEVENT\r\n");
        var many = await server.DeliverAsync(Build(Organizer, Alice, "REQUEST", Itip("REQUEST", components.ToString())), Alice, "alice");
        await AssertQuarantinedAsync(many, "too-many-components");

        var nested = new StringBuilder();
        var head = "From: organizer@example.com\r\nTo: alice@example.com\r\nMessage-ID: <deep@example.com>\r\nMIME-Version: 1.0\r\n";
        for (var i = 0; i < 100; i++)
            nested.Append($"{(i == 0 ? head : "")}Content-Type: multipart/mixed; boundary=\"b{i}\"\r\n\r\n--b{i}\r\n");
        nested.Append("Content-Type: text/calendar; method=REQUEST\r\n\r\n" + Itip("REQUEST", Invite(Unique("deep"))));
        for (var i = 99; i >= 0; i--)
            nested.Append($"\r\n--b{i}--\r\n");
        var deep = await server.DeliverAsync(Encoding.ASCII.GetBytes(nested.ToString()), Alice, "alice");
        await AssertQuarantinedAsync(deep, "too-deep");
        Assert.Equal(before, await CTagAsync("alice"));
    }

    [Fact]
    public async Task A_request_or_cancel_not_from_the_organizer_is_refused()
    {
        var uid = Unique("forged");
        var forgedRequest = await server.DeliverAsync(Build("mallory@example.net", Alice, "REQUEST", Itip("REQUEST", Invite(uid))), Alice, "alice");
        await AssertQuarantinedAsync(forgedRequest, "sender-not-organizer");
        using (var alice = server.Dav("alice"))
            Assert.Equal(HttpStatusCode.NotFound, (await GetAsync(alice, $"/calendars/alice/default/{uid}.ics")).Status);

        var real = await server.DeliverAsync(Build(Organizer, Alice, "REQUEST", Itip("REQUEST", Invite(uid))), Alice, "alice");
        Assert.True(real.Status == ImipStatus.Applied, real.ToString());
        var forgedCancel = await server.DeliverAsync(Build("mallory@example.net", Alice, "CANCEL", Itip("CANCEL", Invite(uid, sequence: 9))), Alice, "alice");
        await AssertQuarantinedAsync(forgedCancel, "sender-not-organizer");
        using (var alice = server.Dav("alice"))
            Assert.DoesNotContain("CANCELLED", (await GetAsync(alice, $"/calendars/alice/default/{real.ObjectName}")).Text);
    }

    [Fact]
    public async Task A_request_for_a_uid_of_another_organizers_event_is_refused()
    {
        var uid = Unique("mine");
        using var alice = server.Dav("alice");
        var etag = await PutNewAsync(alice, $"/calendars/alice/default/{uid}.ics",
            Itip("X", Invite(uid, organizer: "alice@example.com", summary: "Alice's own")).Replace("METHOD:X\r\n", ""));
        var hijack = await server.DeliverAsync(Build(Organizer, Alice, "REQUEST", Itip("REQUEST", Invite(uid, sequence: 5, summary: "Hijacked"))), Alice, "alice");
        await AssertQuarantinedAsync(hijack, "uid-belongs-to-another-organizer");
        var get = await GetAsync(alice, $"/calendars/alice/default/{uid}.ics");
        Assert.Equal(etag, get.ETag);
        Assert.Contains("Alice's own", get.Text);
    }

    [Fact]
    public async Task A_reply_from_someone_who_is_not_an_attendee_is_refused()
    {
        var uid = Unique("party");
        using var olga = server.Dav("olga");
        // The server adds SCHEDULE-STATUS to an organizer's copy (RFC 6638 §3.2.9), so the PUT answers no ETag: GET reads it.
        var put = await SendAsync(olga, Put($"/calendars/olga/default/{uid}.ics",
            Itip("X", Invite(uid, attendees: ["PARTSTAT=NEEDS-ACTION:mailto:bob@example.org"])).Replace("METHOD:X\r\n", "")));
        Assert.True(put.Status == HttpStatusCode.Created, put.ToString());
        var etag = (await GetAsync(olga, $"/calendars/olga/default/{uid}.ics")).ETag;
        var crasher = await server.DeliverAsync(Build("eve@example.net", Organizer, "REPLY",
            Itip("REPLY", Invite(uid, attendees: ["PARTSTAT=ACCEPTED:mailto:eve@example.net"]))), Organizer, "olga");
        await AssertQuarantinedAsync(crasher, "not-an-attendee");
        // pretending to be bob does not help either: the sender must be the attendee it answers for
        var impostor = await server.DeliverAsync(Build("eve@example.net", Organizer, "REPLY",
            Itip("REPLY", Invite(uid, attendees: ["PARTSTAT=DECLINED:mailto:bob@example.org"]))), Organizer, "olga");
        await AssertQuarantinedAsync(impostor, "sender-not-attendee");
        Assert.Equal(etag, (await GetAsync(olga, $"/calendars/olga/default/{uid}.ics")).ETag);
    }

    [Fact]
    public async Task Oversized_emails_are_refused_at_the_webhook_and_on_the_queue()
    {
        // 50 MB through the webhook: refused from Content-Length, before the body is sent (Expect: 100-continue).
        using (var client = server.Management())
        using (var request = new HttpRequestMessage(HttpMethod.Post, "imip?recipient=alice@example.com"))
        {
            request.Content = new ByteArrayContent(new byte[50 * 1024 * 1024]);
            request.Content.Headers.ContentType = new MediaTypeHeaderValue("message/rfc822");
            request.Headers.ExpectContinue = true;
            using var response = await client.SendAsync(request);
            Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        }

        // Straight onto the queue, with the blob beyond the limit: quarantined, the blob kept.
        var big = Build(Organizer, Alice, "REQUEST", Itip("REQUEST", Invite(Unique("big"))));
        var padded = new byte[ImipServerFixture.MaxMessageBytes + 1024];
        big.CopyTo(padded, 0);
        var inbox = server.Services.GetRequiredService<ImipInbox>();
        var (blob, id) = await inbox.StoreAsync(new BinaryData(padded), DateTimeOffset.UtcNow, null, CancellationToken.None);
        await inbox.EnqueueAsync(new ImipQueueMessage { Id = id, Blob = blob, Recipient = Alice, Received = DateTimeOffset.UtcNow }, CancellationToken.None);
        await AssertQuarantinedAsync(await server.WaitAsync("alice", id), "too-large");
    }

    [Fact]
    public async Task The_queue_keeps_flowing_past_bad_messages()
    {
        var good = Unique("after");
        var ids = new List<string>
        {
            await server.PostAsync(Encoding.ASCII.GetBytes("this is not an email at all"), Alice),
            await server.PostAsync(await File.ReadAllBytesAsync(FixturePath("broken-base64.eml")), Alice),
            await server.PostAsync(Build(Organizer, Alice, "REQUEST", Itip("REQUEST", Invite(good))), Alice),
        };
        var rows = new List<ImipRow>();
        foreach (var id in ids)
            rows.Add(await server.WaitAsync("alice", id));
        Assert.Equal(ImipStatus.Quarantined, rows[0].Status);
        Assert.Equal(ImipStatus.Quarantined, rows[1].Status);
        Assert.True(rows[2].Status == ImipStatus.Applied, rows[2].ToString());
    }

    [Fact]
    public async Task A_garbled_queue_message_is_recorded_not_retried()
    {
        var queues = server.Services.GetRequiredService<Azure.Storage.Queues.QueueServiceClient>();
        var layout = server.Services.GetRequiredService<StorageLayout>();
        var sent = await queues.GetQueueClient(layout.ImipQueue).SendMessageAsync("{not json");
        var row = await server.WaitAsync(null, sent.Value.MessageId.Replace("-", ""));
        Assert.True(row.Status == ImipStatus.Quarantined && row.Code == "invalid-queue-message", row.ToString());
        Assert.Equal(1, row.Attempts);
    }

    [Fact]
    public async Task The_webhook_refuses_what_it_cannot_take()
    {
        var mail = Build(Organizer, Alice, "REQUEST", Itip("REQUEST", Invite(Unique("hook"))));
        async Task<HttpStatusCode> Post(HttpClient client, string path, string? contentType, byte[] body)
        {
            using var content = new ByteArrayContent(body);
            if (contentType is not null)
                content.Headers.ContentType = new MediaTypeHeaderValue(contentType);
            using var response = await client.PostAsync(path, content);
            return response.StatusCode;
        }
        using var anonymous = server.Anonymous();
        Assert.Equal(HttpStatusCode.Unauthorized, await Post(anonymous, "imip?recipient=alice@example.com", "message/rfc822", mail));
        using var keyed = server.Management();
        Assert.Equal(HttpStatusCode.BadRequest, await Post(keyed, "imip", "message/rfc822", mail));
        Assert.Equal(HttpStatusCode.BadRequest, await Post(keyed, "imip?recipient=not-an-address", "message/rfc822", mail));
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, await Post(keyed, "imip?recipient=alice@example.com", "text/html", mail));
        Assert.Equal(HttpStatusCode.BadRequest, await Post(keyed, "imip?recipient=alice@example.com", "message/rfc822", []));
        Assert.Equal(HttpStatusCode.Accepted, await Post(keyed, "imip?recipient=alice@example.com", "message/rfc822", mail));
        // A forged line break in the recipient would reach the log line and the status row that show it.
        Assert.Equal(HttpStatusCode.BadRequest, await Post(keyed, "imip?recipient=alice%0AX-Forged:%201@example.com", "message/rfc822", mail));
    }

    [Theory]
    [InlineData(50, HttpStatusCode.Accepted)]
    [InlineData(51, HttpStatusCode.BadRequest)]
    public async Task At_most_fifty_envelope_recipients_per_webhook_call(int count, HttpStatusCode expected)
    {
        // SendGrid's inbound parse form: the raw mail in 'email', the envelope recipients in 'envelope' (JSON).
        var mail = Build(Organizer, Alice, "REQUEST", Itip("REQUEST", Invite(Unique("many"))));
        var to = Enumerable.Range(0, count).Select(i => $"nobody{i}@unknown.example").ToArray();
        using var form = new MultipartFormDataContent
        {
            { new ByteArrayContent(mail), "email", "email.eml" },
            { new StringContent(System.Text.Json.JsonSerializer.Serialize(new { to, from = Organizer })), "envelope" },
        };
        using var keyed = server.Management();
        using var response = await keyed.PostAsync("imip", form);
        Assert.Equal(expected, response.StatusCode);
        if (expected == HttpStatusCode.BadRequest)
            Assert.Contains("At most 50 recipients", await response.Content.ReadAsStringAsync());
    }
}

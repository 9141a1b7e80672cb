using System.Net;
using System.Text;
using System.Text.Json;
using Caldera.Storage.Imip;
using static Caldera.Functions.Tests.Dav.DavHelpers;
using static Caldera.Functions.Tests.Imip.MailBuilder;

namespace Caldera.Functions.Tests.Imip;

/// <summary>
/// Inbound mail services' webhook forms: SendGrid Inbound Parse ("POST the raw, full MIME message": the message in
/// <c>email</c>, recipients in the <c>envelope</c> JSON) and Mailgun routes (<c>body-mime</c>, <c>recipient</c>).
/// </summary>
[Collection(ImipServerCollection.Name)]
public sealed class ImipWebhookFormTests(ImipServerFixture server)
{
    async Task<(HttpStatusCode Status, JsonElement Body)> PostFormAsync(params (string Name, string Value)[] fields)
    {
        using var client = server.Management();
        using var form = new MultipartFormDataContent();
        foreach (var (name, value) in fields)
            form.Add(new StringContent(value, Encoding.UTF8), name);
        using var response = await client.PostAsync("imip", form);
        var text = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, text.Length > 0 ? JsonDocument.Parse(text).RootElement.Clone() : default);
    }

    [Fact]
    public async Task A_sendgrid_raw_form_is_delivered_to_every_envelope_recipient()
    {
        var uid = Unique("sg");
        var mail = Encoding.UTF8.GetString(Build("organizer@example.com", "alice@example.com", "REQUEST", Itip("REQUEST",
            Invite(uid, attendees: ["PARTSTAT=NEEDS-ACTION:mailto:alice@example.com", "PARTSTAT=NEEDS-ACTION:mailto:bob@example.org"]))));
        var (status, body) = await PostFormAsync(
            ("headers", "Received: by mx.sendgrid.net"),
            ("email", mail),
            ("to", "alice@example.com, bob@example.org"),
            ("from", "organizer@example.com"),
            ("envelope", """{"to":["alice@example.com","Bob@Example.org"],"from":"organizer@example.com"}"""),
            ("subject", "Invitation"));
        Assert.Equal(HttpStatusCode.Accepted, status);
        var deliveries = body.GetProperty("deliveries").EnumerateArray().ToDictionary(d => d.GetProperty("recipient").GetString()!, d => d.GetProperty("id").GetString()!);
        Assert.Equal(["alice@example.com", "bob@example.org"], deliveries.Keys.Order());

        var alice = await server.WaitAsync("alice", deliveries["alice@example.com"]);
        var bob = await server.WaitAsync("bob", deliveries["bob@example.org"]);
        Assert.True(alice.Status == ImipStatus.Applied, alice.ToString());
        Assert.True(bob.Status == ImipStatus.Applied, bob.ToString());
        Assert.Equal(uid, bob.Uid);
    }

    [Fact]
    public async Task A_mailgun_mime_form_uses_body_mime_and_recipient()
    {
        var uid = Unique("mg");
        var mail = Encoding.UTF8.GetString(Build("organizer@example.com", "alice@example.com", "REQUEST", Itip("REQUEST", Invite(uid))));
        var (status, body) = await PostFormAsync(("recipient", "alice@example.com"), ("sender", "organizer@example.com"), ("body-mime", mail));
        Assert.Equal(HttpStatusCode.Accepted, status);
        var row = await server.WaitAsync("alice", body.GetProperty("id").GetString()!);
        Assert.True(row.Status == ImipStatus.Applied, row.ToString());
        Assert.Equal(uid, row.Uid);
    }

    [Fact]
    public async Task A_form_without_the_raw_message_or_a_recipient_is_refused()
    {
        Assert.Equal(HttpStatusCode.BadRequest, (await PostFormAsync(("text", "hello"), ("envelope", """{"to":["alice@example.com"]}"""))).Status);
        Assert.Equal(HttpStatusCode.BadRequest, (await PostFormAsync(("email", "From: a@b.c\r\n\r\nhi"))).Status);
        Assert.Equal(HttpStatusCode.BadRequest, (await PostFormAsync(("email", "From: a@b.c\r\n\r\nhi"), ("envelope", """{"to":["not an address"]}"""))).Status);
    }
}

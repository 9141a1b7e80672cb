using System.Text;
using Caldera.Imip.Mime;
using Caldera.Imip.Outbound;
using MimeKit;
using static Caldera.Imip.Tests.Outbound.OutboundSamples;

namespace Caldera.Imip.Tests.Outbound;

public class ImipMessageBuilderTests
{
    static BuiltImipMessage Build(OutboundImipRequest? request = null, SmtpSettings? settings = null) =>
        ImipMessageBuilder.Build(request ?? Request(), Id, Date, settings ?? Settings());

    static byte[] Bytes(BuiltImipMessage built) => ImipMessageBuilder.Serialize(built.Message).ToArray();

    static MimeMessage Reparse(BuiltImipMessage built) => MimeMessage.Load(new MemoryStream(Bytes(built)));

    [Fact]
    public void A_request_has_the_shape_Gmail_sends_mixed_of_alternative_and_invite_ics()
    {
        var message = Reparse(Build());
        var mixed = Assert.IsType<Multipart>(message.Body);
        Assert.Equal("multipart/mixed", mixed.ContentType.MimeType);
        Assert.Equal(2, mixed.Count);
        var alternative = Assert.IsType<MultipartAlternative>(mixed[0]);
        Assert.Equal(["text/plain", "text/html", "text/calendar"], alternative.Select(p => p.ContentType.MimeType));
        var calendar = (MimePart)alternative[2];
        Assert.Equal("REQUEST", calendar.ContentType.Parameters["method"]);
        Assert.Equal("utf-8", calendar.ContentType.Charset);
        Assert.Equal(ContentEncoding.Base64, calendar.ContentTransferEncoding);
        var attachment = Assert.IsType<MimePart>(mixed[1]);
        Assert.Equal("application/ics", attachment.ContentType.MimeType);
        Assert.Equal("invite.ics", attachment.FileName);
        Assert.True(attachment.IsAttachment);
        Assert.Equal(Calendar("REQUEST"), Decode(calendar));
        Assert.Equal(Calendar("REQUEST"), Decode(attachment));
    }

    [Fact]
    public void Headers_carry_a_stable_message_id_the_date_and_the_organizer_as_from()
    {
        var built = Build();
        var message = Reparse(built);
        Assert.Equal($"{Id}@example.com", message.MessageId);
        Assert.Equal($"<{Id}@example.com>", built.MessageId);
        Assert.Equal(Date, message.Date);
        var from = Assert.Single(message.From.Mailboxes);
        Assert.Equal("alice@example.com", from.Address);
        Assert.Equal("Alice Example", from.Name);
        Assert.Equal("caldera@example.com", message.Sender?.Address);
        Assert.Empty(message.ReplyTo);
        Assert.Equal("carol@example.org", Assert.Single(message.To.Mailboxes).Address);
        Assert.StartsWith("Invitation: Planning @ 2026-12-03 10:00 to 11:00", message.Subject);
        // The same request built again (a resend reads the blob, but the id alone fixes the Message-ID).
        Assert.Equal(built.MessageId, Build().MessageId);
    }

    [Fact]
    public void The_email_reads_back_through_Calderas_inbound_reader_with_the_same_method_and_calendar()
    {
        foreach (var method in new[] { "REQUEST", "CANCEL" })
        {
            var built = Build(Request(method));
            var read = ImipMailReader.Read(new MemoryStream(Bytes(built)), ImipLimits.Default);
            Assert.True(read.Refusal is null, read.Refusal?.ToString());
            Assert.Equal(method, read.Mail!.Method);
            Assert.Equal(Calendar(method), read.Mail.CalendarText);
            Assert.Equal("alice@example.com", read.Mail.From);
            Assert.Equal($"<{Id}@example.com>", "<" + read.Mail.MessageId + ">");
        }
    }

    [Fact]
    public void A_reply_is_from_the_attendee_and_says_the_answer()
    {
        var calendar = Calendar("REPLY", attendeeLine: "ATTENDEE;CN=Carol;PARTSTAT=ACCEPTED:mailto:carol@example.org");
        var built = Build(new OutboundImipRequest("alice", "carol@example.org", "alice@example.com", "REPLY", "evt-1@example.com", calendar, null),
            Settings(("SenderDomains", "example.org")));
        var message = Reparse(built);
        Assert.Equal("carol@example.org", message.From.Mailboxes.Single().Address);
        Assert.Equal("Carol", message.From.Mailboxes.Single().Name);
        Assert.StartsWith("Accepted: Planning", message.Subject);
        Assert.Contains("has accepted your invitation", message.TextBody);
        var read = ImipMailReader.Read(new MemoryStream(Bytes(built)), ImipLimits.Default);
        Assert.Equal("REPLY", read.Mail!.Method);
    }

    [Fact]
    public void The_text_part_says_what_when_where_who_and_what_to_do_per_method()
    {
        var request = Reparse(Build()).TextBody;
        Assert.Contains("Alice Example <alice@example.com> invites you", request);
        Assert.Contains("What: Planning", request);
        Assert.Contains("When: 2026-12-03 10:00 to 11:00 (Europe/Berlin)", request);
        Assert.Contains("Where: Room 3", request);
        Assert.Contains("Carol <carol@example.org> (needs-action)", request);
        Assert.Contains("Accept, Tentative or Decline", request);

        var update = Reparse(Build(Request(calendar: Calendar("REQUEST", sequence: 2))));
        Assert.StartsWith("Updated invitation: Planning", update.Subject);

        var cancel = Reparse(Build(Request("CANCEL")));
        Assert.Equal("Cancelled: Planning", cancel.Subject);
        Assert.Contains("has cancelled this event", cancel.TextBody);
        var cancelCalendar = Assert.IsAssignableFrom<MimePart>(Assert.IsType<MultipartAlternative>(Assert.IsType<Multipart>(cancel.Body)[0])[2]);
        Assert.Equal("CANCEL", cancelCalendar.ContentType.Parameters["method"]);
    }

    [Fact]
    public void A_user_whose_domain_the_relay_may_not_send_for_is_named_via_caldera_with_reply_to()
    {
        var built = Build(settings: Settings(("SenderDomains", "caldera.example.net"), ("From", "caldera@caldera.example.net")));
        var message = Reparse(built);
        var from = message.From.Mailboxes.Single();
        Assert.Equal("caldera@caldera.example.net", from.Address);
        Assert.Equal("Alice Example via Caldera", from.Name);
        Assert.Equal("alice@example.com", message.ReplyTo.Mailboxes.Single().Address);
        Assert.Null(message.Sender);
        Assert.EndsWith("@caldera.example.net", message.MessageId);
    }

    [Fact]
    public void Non_ascii_text_is_utf8_and_the_wire_form_is_seven_bit()
    {
        var calendar = Calendar("REQUEST", summary: "Réunion – Köln 🎉", organizerCn: "Zoë");
        var built = Build(Request(calendar: calendar));
        var bytes = Bytes(built);
        Assert.All(bytes, b => Assert.True(b < 128, "8-bit byte on the wire"));
        var message = Reparse(built);
        Assert.StartsWith("Invitation: Réunion – Köln 🎉", message.Subject);
        Assert.Equal("Zoë", message.From.Mailboxes.Single().Name);
        Assert.Contains("What: Réunion – Köln 🎉", message.TextBody);
        Assert.Contains("Réunion", message.HtmlBody);
        Assert.Equal(calendar, ImipMailReader.Read(new MemoryStream(bytes), ImipLimits.Default).Mail!.CalendarText);
        // Every line CRLF-terminated, none longer than RFC 5322's 998.
        var text = Encoding.ASCII.GetString(bytes);
        Assert.DoesNotContain("\n", text.Replace("\r\n", ""));
        Assert.All(text.Split("\r\n"), line => Assert.True(line.Length <= 998));
    }

    [Fact]
    public void Html_is_escaped()
    {
        var calendar = Calendar("REQUEST", summary: "<script>alert(1)</script> & \"quotes\"");
        var html = Reparse(Build(Request(calendar: calendar))).HtmlBody;
        Assert.DoesNotContain("<script>", html);
        Assert.Contains("&lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;quotes&quot;", html);
    }

    [Theory]
    [InlineData("carol@example.org\r\nBcc: mallory@example.net")]
    [InlineData("carol@example.org\nBcc: mallory@example.net")]
    [InlineData("carol@example.org, mallory@example.net")]
    [InlineData("Carol <carol@example.org>")]
    [InlineData("carol")]
    [InlineData("carol@")]
    [InlineData("")]
    public void A_bad_recipient_is_refused(string to)
    {
        var e = Assert.Throws<OutboundImipRefusedException>(() => Build(Request(to: to)));
        Assert.Equal("invalid-to", e.Code);
    }

    [Theory]
    [InlineData("alice@example.com\r\nBcc: mallory@example.net")]
    [InlineData("alice@example.com\rX: y")]
    public void A_bad_sender_is_refused(string from)
    {
        var e = Assert.Throws<OutboundImipRefusedException>(() => Build(Request(from: from)));
        Assert.Equal("invalid-from", e.Code);
    }

    [Fact]
    public void Line_breaks_and_control_characters_in_summary_and_names_never_reach_a_header()
    {
        var built = Build(Request(calendar: Calendar("REQUEST", organizerCn: "\"Alice\\nBcc: mallory@example.net\""),
            summary: "Hi\r\nBcc: mallory@example.net\r\n\r\nbody\u0000\u0007\u2028x"));
        var wire = Encoding.ASCII.GetString(Bytes(built));
        var headers = wire[..wire.IndexOf("\r\n\r\n", StringComparison.Ordinal)];
        Assert.DoesNotContain("\r\nBcc:", headers, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("mallory", Reparse(built).Headers[HeaderId.Bcc] ?? "");
        var message = Reparse(built);
        Assert.Empty(message.Bcc);
        Assert.Equal("Invitation: Hi Bcc: mallory@example.net body x @ 2026-12-03 10:00 to 11:00 (Europe/Berlin)", message.Subject);
        Assert.DoesNotContain(message.From.Mailboxes.Single().Name ?? "", c => char.IsControl(c));
    }

    [Fact]
    public void A_sender_who_is_not_the_organizer_is_refused()
    {
        var e = Assert.Throws<OutboundImipRefusedException>(() => Build(Request(from: "mallory@example.com")));
        Assert.Equal("sender-not-calendar-user", e.Code);
    }

    [Fact]
    public void A_method_that_is_not_the_calendars_is_refused()
    {
        var e = Assert.Throws<OutboundImipRefusedException>(() => Build(Request("CANCEL", calendar: Calendar("REQUEST"))));
        Assert.Equal("method-mismatch", e.Code);
        Assert.Equal("uid-mismatch", Assert.Throws<OutboundImipRefusedException>(() => Build(Request(uid: "other@example.com", calendar: Calendar("REQUEST")))).Code);
        Assert.Equal("invalid-method", Assert.Throws<OutboundImipRefusedException>(() => Build(Request("SEND\r\nX"))).Code);
    }

    static string Decode(MimePart part)
    {
        using var buffer = new MemoryStream();
        Assert.NotNull(part.Content);
        part.Content.DecodeTo(buffer);
        return Encoding.UTF8.GetString(buffer.ToArray());
    }
}

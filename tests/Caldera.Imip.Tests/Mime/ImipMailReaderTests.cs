using System.Text;
using Caldera.Imip.Mime;
using static Caldera.Imip.Tests.Mime.MailFixtures;

namespace Caldera.Imip.Tests.Mime;

public class ImipMailReaderTests
{
    private static readonly ImipLimits Limits = ImipLimits.Default;

    private static InboundMail Accepted(Stream raw, ImipLimits? limits = null, IReadOnlyCollection<string>? trusted = null)
    {
        var result = ImipMailReader.Read(raw, limits ?? Limits, trusted);
        Assert.True(result.Refusal is null, $"refused: {result.Refusal}");
        return Assert.IsType<InboundMail>(result.Mail);
    }

    private static ImipRefusal Refused(Stream raw, string code, ImipLimits? limits = null)
    {
        var result = ImipMailReader.Read(raw, limits ?? Limits);
        Assert.Null(result.Mail);
        var refusal = Assert.IsType<ImipRefusal>(result.Refusal);
        Assert.Equal(code, refusal.Code);
        Assert.False(string.IsNullOrWhiteSpace(refusal.Reason));
        return refusal;
    }

    private static string Summary(string calendarText) =>
        Ical.Net.Calendar.Load(calendarText)!.Events.Single().Summary!;

    // ---------------------------------------------------------------- the clients' shapes

    [Theory]
    [InlineData("outlook-request.eml", "outlook-request.ics", "REQUEST", "organizer@example.com", null,
        "AM9PR07MB71234F0E1D2C3B4A5968778695A4B3C2D1E0@AM9PR07MB7123.eurprd07.prod.outlook.com", "Quartalsplanung Köln – Büro 3")]
    [InlineData("gmail-request.eml", "gmail-request.ics", "REQUEST", "organizer@example.com", "calendar-notification@google.com",
        "calendar-8d0f5c3a-71b2-4e9c-a6d4-2f1e0b9c7a53@google.com", "Réunion de lancement")]
    [InlineData("thunderbird-request.eml", "thunderbird-request.ics", "REQUEST", "organizer@example.com", null,
        "f3a2b1c0-9d8e-4f7a-b6c5-d4e3f2a1b0c9@example.com", "Sprint planning")]
    [InlineData("latin1-qp-reply.eml", "latin1-qp-reply.ics", "REPLY", "bob@example.org", null,
        "1a2b3c4d5e6f.7081@bobs-laptop.example.org", "Réunion à Genève : café et gâteaux")]
    public void Client_fixtures_read_to_their_calendar(string eml, string ics, string method, string from, string? sender, string messageId, string summary)
    {
        using var raw = Open(eml);
        var mail = Accepted(raw);
        Assert.Equal(method, mail.Method);
        Assert.Equal(from, mail.From);
        Assert.Equal(sender, mail.Sender);
        Assert.Equal(messageId, mail.MessageId);
        Assert.Equal(Expected(ics), mail.CalendarText);
        Assert.Equal(summary, Summary(mail.CalendarText));
        Assert.Null(mail.AuthenticationFailure);
    }

    [Fact]
    public void The_subject_is_read_decoded_for_the_recipient_s_list()
    {
        using var raw = Open("outlook-request.eml");
        Assert.Equal("Quartalsplanung Köln – Büro 3", Accepted(raw).Subject);
    }

    [Fact]
    public void Outlook_fixture_keeps_its_timezone()
    {
        using var raw = Open("outlook-request.eml");
        var calendar = Ical.Net.Calendar.Load(Accepted(raw).CalendarText)!;
        Assert.Equal("W. Europe Standard Time", Assert.Single(calendar.TimeZones).TzId);
        Assert.Equal("W. Europe Standard Time", calendar.Events.Single().DtStart!.TzId);
    }

    [Fact]
    public void Gmail_inline_part_and_its_identical_invite_ics_count_as_one()
    {
        // The fixture holds the calendar twice (quoted-printable text/calendar and base64 application/ics).
        var raw = File.ReadAllText(PathOf("gmail-request.eml"));
        Assert.Contains("Content-Type: application/ics; name=\"invite.ics\"", raw);
        Assert.Contains("Content-Type: text/calendar; charset=\"UTF-8\"; method=REQUEST", raw);
        using var stream = Open("gmail-request.eml");
        Assert.Equal(Expected("gmail-request.ics"), Accepted(stream).CalendarText);
    }

    // ---------------------------------------------------------------- refusing fixtures

    [Theory]
    [InlineData("not-calendar.eml", ImipRefusalCodes.NotCalendar)]
    [InlineData("no-method.eml", ImipRefusalCodes.NoMethod)]
    [InlineData("conflicting-parts.eml", ImipRefusalCodes.ConflictingParts)]
    [InlineData("broken-base64.eml", ImipRefusalCodes.BrokenEncoding)]
    public void Bad_fixtures_are_refused_with_their_code(string eml, string code)
    {
        using var raw = Open(eml);
        Refused(raw, code);
    }

    // ---------------------------------------------------------------- size

    [Fact]
    public void A_50_MB_message_is_refused_after_reading_just_past_the_limit()
    {
        var raw = new HugeMessageStream(50L * 1024 * 1024, seekable: false);
        var allocatedBefore = GC.GetAllocatedBytesForCurrentThread();
        Refused(raw, ImipRefusalCodes.TooLarge);
        var allocated = GC.GetAllocatedBytesForCurrentThread() - allocatedBefore;
        Assert.True(raw.BytesRead <= Limits.MaxMessageBytes + 1, $"read {raw.BytesRead} bytes");
        // Holding the limit is unavoidable; holding the whole 50 MB (or a doubled MemoryStream) is not.
        Assert.True(allocated < Limits.MaxMessageBytes + 8 * 1024 * 1024, $"allocated {allocated} bytes");
    }

    [Fact]
    public void A_50_MB_seekable_message_is_refused_without_reading()
    {
        var raw = new HugeMessageStream(50L * 1024 * 1024, seekable: true);
        Refused(raw, ImipRefusalCodes.TooLarge);
        Assert.Equal(0, raw.BytesRead);
    }

    [Fact]
    public void A_non_seekable_stream_reads_a_fixture_like_a_seekable_one()
    {
        using var raw = Open("thunderbird-request.eml");
        var result = ImipMailReader.Read(new NonSeekable(raw), Limits);
        Assert.Equal(Expected("thunderbird-request.ics"), result.Mail?.CalendarText);
    }

    [Fact]
    public void A_seekable_stream_is_read_from_its_position_and_left_open()
    {
        var message = File.ReadAllBytes(PathOf("outlook-request.eml"));
        var raw = new MemoryStream([.. "not part of the message\r\n"u8, .. message]);
        raw.Position = raw.Length - message.Length;
        Assert.Equal(Expected("outlook-request.ics"), Accepted(raw, Limits with { MaxMessageBytes = message.Length }).CalendarText);
        Assert.True(raw.CanRead, "the caller's stream was disposed");
    }

    [Fact]
    public void The_message_limit_is_inclusive()
    {
        var bytes = File.ReadAllBytes(PathOf("thunderbird-request.eml"));
        Accepted(new NonSeekable(new MemoryStream(bytes)), Limits with { MaxMessageBytes = bytes.Length });
        Refused(new NonSeekable(new MemoryStream(bytes)), ImipRefusalCodes.TooLarge, Limits with { MaxMessageBytes = bytes.Length - 1 });
        Refused(new MemoryStream(bytes), ImipRefusalCodes.TooLarge, Limits with { MaxMessageBytes = bytes.Length - 1 });
    }

    [Fact]
    public void A_calendar_part_beyond_the_calendar_limit_is_refused()
    {
        var big = Calendar(summary: new string('x', 2 * 1024 * 1024));
        var part = $"Content-Type: text/calendar; charset=utf-8; method=REQUEST\nContent-Transfer-Encoding: base64\n\n{Base64Lines(Encoding.UTF8.GetBytes(big))}\n";
        Refused(Mixed(part), ImipRefusalCodes.CalendarTooLarge);
    }

    [Fact]
    public void The_calendar_limit_is_inclusive()
    {
        var calendar = Calendar();
        var size = Encoding.UTF8.GetByteCount(calendar);
        Accepted(Mixed(CalendarPart(calendar: calendar)), Limits with { MaxCalendarBytes = size });
        Refused(Mixed(CalendarPart(calendar: calendar)), ImipRefusalCodes.CalendarTooLarge, Limits with { MaxCalendarBytes = size - 1 });
    }

    // ---------------------------------------------------------------- structure

    [Fact]
    public void Nesting_up_to_the_limit_is_read()
    {
        var mail = Accepted(Nested(Limits.MaxMimeDepth));
        Assert.Equal("Generated", Summary(mail.CalendarText));
    }

    [Theory]
    [InlineData(11)]
    [InlineData(100)]
    [InlineData(10_000)]
    public void Nesting_beyond_the_limit_is_refused(int depth) =>
        Refused(Nested(depth), ImipRefusalCodes.TooDeep);

    [Fact]
    public void Embedded_messages_count_for_the_nesting()
    {
        var embedded = "Content-Type: message/rfc822\n\nFrom: someone@example.net\nContent-Type: multipart/mixed; boundary=inner\n\n--inner\n"
            + CalendarPart() + "\n--inner--\n";
        // outer multipart (1) > message/rfc822 (2) > inner multipart (3)
        Refused(Mixed(CalendarPart(), embedded), ImipRefusalCodes.TooDeep, Limits with { MaxMimeDepth = 2 });
        Accepted(Mixed(CalendarPart(), embedded), Limits with { MaxMimeDepth = 3 });
    }

    [Fact]
    public void Too_many_parts_are_refused()
    {
        var parts = Enumerable.Range(0, 250).Select(i => $"Content-Type: text/plain\n\npart {i}\n").Prepend(CalendarPart()).ToArray();
        Refused(Mixed(parts), ImipRefusalCodes.TooManyParts);
        // The root multipart and its 251 parts.
        Accepted(Mixed(parts), Limits with { MaxParts = 252 });
        Refused(Mixed(parts), ImipRefusalCodes.TooManyParts, Limits with { MaxParts = 251 });
    }

    [Fact]
    public void A_single_part_calendar_message_is_read()
    {
        var mail = Accepted(Eml(Headers.TrimEnd('\n') + "\n" + CalendarPart("text/calendar; method=CANCEL; charset=utf-8", Calendar("CANCEL"))));
        Assert.Equal("CANCEL", mail.Method);
        Assert.Equal(Calendar("CANCEL"), mail.CalendarText);
    }

    [Fact]
    public void A_calendar_in_multipart_related_inside_alternative_is_found()
    {
        var related = "Content-Type: multipart/related; boundary=rel\n\n--rel\nContent-Type: text/html\n\n<p>hi</p>\n--rel\n"
            + CalendarPart() + "\n--rel--\n";
        var alternative = "Content-Type: multipart/alternative; boundary=alt\n\n--alt\nContent-Type: text/plain\n\nhi\n--alt\n" + related + "\n--alt--\n";
        Assert.Equal(Calendar(), Accepted(Mixed(alternative)).CalendarText);
    }

    [Fact]
    public void A_calendar_inside_a_forwarded_message_is_not_this_messages_calendar()
    {
        var forwarded = "Content-Type: message/rfc822\n\nFrom: Olivia Organizer <organizer@example.com>\nMessage-ID: <original@example.com>\n"
            + CalendarPart();
        Refused(Mixed("Content-Type: text/plain\n\nFYI, see the attached invitation.\n", forwarded), ImipRefusalCodes.NotCalendar);
    }

    // ---------------------------------------------------------------- not mail, From

    [Theory]
    [InlineData("")]
    [InlineData("\u0001\u0002\u0003 binary junk without headers")]
    [InlineData("Subject: no From field\n\nBEGIN:VCALENDAR\nEND:VCALENDAR\n")]
    public void What_is_not_a_mail_is_not_mime(string text) =>
        Refused(Eml(text), ImipRefusalCodes.NotMime);

    [Theory]
    [InlineData("From: undisclosed-recipients:;")]
    [InlineData("From: localuser")]
    [InlineData("From:")]
    public void A_From_without_a_mailbox_is_refused(string from) =>
        Refused(Eml(from + "\n" + Headers.Replace("From: Olivia Organizer <organizer@example.com>\n", "") + CalendarPart()), ImipRefusalCodes.NoFrom);

    [Fact]
    public void From_is_the_first_mailbox_lower_cased_and_Sender_is_read()
    {
        var headers = Headers.Replace("From: Olivia Organizer <organizer@example.com>",
            "From: Team: Olivia <Olivia.Organizer@Example.COM>, other@example.com;\nSender: \"Assistant\" <Assistant@Example.com>");
        var mail = Accepted(Eml(headers + CalendarPart()));
        Assert.Equal("olivia.organizer@example.com", mail.From);
        Assert.Equal("assistant@example.com", mail.Sender);
        Assert.Equal("generated@example.com", mail.MessageId);
    }

    [Fact]
    public void A_message_without_Message_ID_has_none()
    {
        var mail = Accepted(Eml(Headers.Replace("Message-ID: <generated@example.com>\n", "") + CalendarPart()));
        Assert.Null(mail.MessageId);
    }

    // ---------------------------------------------------------------- method

    [Fact]
    public void The_method_is_upper_cased()
    {
        var mail = Accepted(Mixed(CalendarPart("text/calendar; charset=utf-8; method=\"reply\"", Calendar("REPLY"))));
        Assert.Equal("REPLY", mail.Method);
    }

    [Theory]
    [InlineData("text/calendar; charset=utf-8")]
    [InlineData("text/calendar; charset=utf-8; method=\"\"")]
    [InlineData("text/calendar; charset=utf-8; method=\"REQUEST; x\"")]
    [InlineData("application/ics; method=REQUEST; name=invite.ics")]
    public void A_calendar_without_a_usable_method_is_not_itip(string contentType) =>
        Refused(Mixed(CalendarPart(contentType)), ImipRefusalCodes.NoMethod);

    [Fact]
    public void A_methodless_copy_alone_is_not_itip_even_beside_application_ics() =>
        Refused(Mixed(CalendarPart("text/calendar; charset=utf-8"), CalendarPart("application/ics; name=invite.ics")), ImipRefusalCodes.NoMethod);

    [Fact]
    public void An_attached_text_calendar_with_a_method_counts()
    {
        var attached = CalendarPart("text/calendar; charset=utf-8; method=REQUEST; name=invite.ics")
            .Replace("Content-Transfer-Encoding: 7bit", "Content-Disposition: attachment; filename=invite.ics\nContent-Transfer-Encoding: 7bit");
        Assert.Equal(Calendar(), Accepted(Mixed("Content-Type: text/plain\n\nInvitation attached.\n", attached)).CalendarText);
    }

    // ---------------------------------------------------------------- copies and conflicts

    [Fact]
    public void Identical_copies_differing_only_in_line_ends_and_trailing_whitespace_count_as_one()
    {
        var crlf = Calendar();
        var lfWithSpaces = crlf.Replace("\r\n", "   \n") + "\n\n";
        var part2 = $"Content-Type: application/ics; name=invite.ics\nContent-Transfer-Encoding: base64\n\n{Base64Lines(Encoding.UTF8.GetBytes(lfWithSpaces))}\n";
        var part3 = $"Content-Type: text/calendar; charset=utf-8; method=REQUEST; name=invite.ics\nContent-Transfer-Encoding: base64\n\n{Base64Lines(Encoding.UTF8.GetBytes(lfWithSpaces))}\n";
        var mail = Accepted(Mixed(CalendarPart(calendar: crlf), part2, part3));
        Assert.Equal(crlf, mail.CalendarText);
    }

    [Fact]
    public void Parts_with_different_methods_conflict()
    {
        var refusal = Refused(Mixed(CalendarPart(), CalendarPart("text/calendar; charset=utf-8; method=CANCEL")), ImipRefusalCodes.ConflictingParts);
        Assert.Contains("CANCEL", refusal.Reason);
    }

    [Fact]
    public void A_methodless_copy_that_differs_conflicts() =>
        Refused(Mixed(CalendarPart(), CalendarPart("application/ics; name=invite.ics", Calendar(summary: "Something else"))), ImipRefusalCodes.ConflictingParts);

    // ---------------------------------------------------------------- transfer encodings and charsets

    [Theory]
    [InlineData("QkVHSU46VkNBTEVOREFSDQpFTkQ6VkNBTEVOREFS\nDQ")]     // truncated quantum
    [InlineData("QkVHSU46VkNBTEVOREFSDQpFTkQ6VkNBTEVOREFS\nDQ=")]    // one '=' short
    [InlineData("QkVHSU46VkNBTEVOREFSDQpFTkQ6VkNB TEVOREFS\nDQ==QQ==")] // data after padding
    [InlineData("QkVHSU46VkNBTEVOREFSDQpFTkQ6VkNB-_EVOREFS\nDQ==")]  // base64url characters
    [InlineData("=QkVHSU46VkNBTEVOREFSDQpFTkQ6VkNBTEVOREFSDQ==")]   // padding first
    [InlineData("QkVHSU46VkNB!*%$TEVOREFSDQpFTkQ6VkNBTEVOREFSDQo=")] // characters a lenient decoder would skip
    public void Broken_base64_is_refused(string body) =>
        Refused(Mixed($"Content-Type: text/calendar; charset=utf-8; method=REQUEST\nContent-Transfer-Encoding: base64\n\n{body}\n"), ImipRefusalCodes.BrokenEncoding);

    [Fact]
    public void Valid_base64_with_folded_lines_and_padding_decodes()
    {
        var part = $"Content-Type: text/calendar; charset=utf-8; method=REQUEST\nContent-Transfer-Encoding: BASE64\n\n{Base64Lines(Encoding.UTF8.GetBytes(Calendar()))}\n";
        Assert.Equal(Calendar(), Accepted(Mixed(part)).CalendarText);
    }

    [Theory]
    [InlineData("SUMMARY:Caf=C3=A9 =ZZ")]     // not hex
    [InlineData("SUMMARY:Caf=C3=A9 =C")]      // escape cut short by the line end
    [InlineData("SUMMARY:Caf=C3=A9 = X")]     // '=' and a space not ending the line
    public void Broken_quoted_printable_is_refused(string line)
    {
        var body = Calendar().Replace("=", "=3D").Replace("SUMMARY:Generated", line);
        Refused(Mixed($"Content-Type: text/calendar; charset=utf-8; method=REQUEST\nContent-Transfer-Encoding: quoted-printable\n\n{body}"), ImipRefusalCodes.BrokenEncoding);
    }

    [Fact]
    public void Quoted_printable_soft_breaks_lower_case_hex_and_a_final_equals_decode()
    {
        var body = Calendar().Replace("=", "=3D").Replace("SUMMARY:Generated", "SUMMARY:Caf=c3=a9 au =\nlait=  \n et cr=C3=A8me").Replace("END:VCALENDAR\r\n", "END:VCALENDAR=");
        var mail = Accepted(Mixed($"Content-Type: text/calendar; charset=utf-8; method=REQUEST\nContent-Transfer-Encoding: quoted-printable\n\n{body}"));
        Assert.Equal("Café au lait et crème", Summary(mail.CalendarText));
        Assert.EndsWith("END:VCALENDAR", mail.CalendarText);
    }

    [Fact]
    public void An_unknown_transfer_encoding_is_refused() =>
        Refused(Mixed(CalendarPart().Replace("7bit", "x-gzip64")), ImipRefusalCodes.BrokenEncoding);

    [Fact]
    public void An_unknown_charset_is_refused() =>
        Refused(Mixed(CalendarPart("text/calendar; charset=x-no-such-charset; method=REQUEST")), ImipRefusalCodes.BrokenEncoding);

    [Fact]
    public void Bytes_invalid_in_the_charset_are_refused()
    {
        // Latin-1 "é" (0xE9) labelled as UTF-8.
        var latin1InUtf8 = Calendar(summary: "Caf\u00E9 et cr\u00E8me");
        Refused(Mixed(CalendarPart("text/calendar; charset=utf-8; method=REQUEST", latin1InUtf8).Replace("7bit", "8bit")), ImipRefusalCodes.BrokenEncoding);
        // No charset means UTF-8 (RFC 5545), so the same bytes are refused there too.
        Refused(Mixed(CalendarPart("text/calendar; method=REQUEST", latin1InUtf8).Replace("7bit", "8bit")), ImipRefusalCodes.BrokenEncoding);
    }

    [Theory]
    [InlineData("windows-1252", new byte[] { 0x80, 0x20, 0xE9 }, "€ é")]
    [InlineData("iso-8859-15", new byte[] { 0xA4, 0x20, 0xE9 }, "€ é")]
    [InlineData("koi8-r", new byte[] { 0xF0, 0xD2, 0xC9, 0xD7, 0xC5, 0xD4 }, "Привет")]
    [InlineData("UTF-8", new byte[] { 0xE2, 0x82, 0xAC, 0x20, 0xC3, 0xA9 }, "€ é")]
    public void Charsets_are_applied(string charset, byte[] summaryBytes, string summary)
    {
        var calendar = Encoding.Latin1.GetBytes(Calendar(summary: "~~")).ToList();
        var at = calendar.IndexOf((byte)'~');
        calendar.RemoveRange(at, 2);
        calendar.InsertRange(at, summaryBytes);
        var part = $"Content-Type: text/calendar; charset=\"{charset}\"; method=REQUEST\nContent-Transfer-Encoding: base64\n\n{Base64Lines(calendar.ToArray())}\n";
        Assert.Equal(summary, Summary(Accepted(Mixed(part)).CalendarText));
    }

    [Fact]
    public void A_UTF8_byte_order_mark_is_dropped()
    {
        var bytes = Encoding.UTF8.GetPreamble().Concat(Encoding.UTF8.GetBytes(Calendar())).ToArray();
        var part = $"Content-Type: text/calendar; charset=utf-8; method=REQUEST\nContent-Transfer-Encoding: base64\n\n{Base64Lines(bytes)}\n";
        Assert.Equal(Calendar(), Accepted(Mixed(part)).CalendarText);
    }

    // ---------------------------------------------------------------- Authentication-Results

    [Fact]
    public void A_failing_gateway_verdict_is_reported_not_refused()
    {
        using var raw = Open("auth-fail-request.eml");
        var mail = Accepted(raw);
        Assert.Equal("spf=fail; dmarc=fail", mail.AuthenticationFailure);
        Assert.Equal("REQUEST", mail.Method);
        Assert.Equal(Expected("budget-review.ics"), mail.CalendarText);
    }

    [Fact]
    public void A_lower_header_from_another_authserv_id_is_ignored()
    {
        using (var raw = Open("auth-forged-lower.eml"))
            Assert.Null(Accepted(raw).AuthenticationFailure); // topmost only
        using (var raw = Open("auth-forged-lower.eml"))
            Assert.Null(Accepted(raw, trusted: ["mx.example.net"]).AuthenticationFailure);
        // The same header counts once its authserv-id is trusted: the filter is what ignored it.
        using (var raw = Open("auth-forged-lower.eml"))
            Assert.Equal("spf=fail; dmarc=fail", Accepted(raw, trusted: ["MX.example.net", "Forged.Example.com"]).AuthenticationFailure);
    }

    [Fact]
    public void Trusted_ids_count_a_header_below_an_untrusted_one()
    {
        var headers = "Authentication-Results: relay.example.org; spf=pass smtp.mailfrom=example.com; dmarc=pass header.from=example.com\n"
            + "Authentication-Results: mx.example.net; spf=pass smtp.mailfrom=example.com; dmarc=fail header.from=example.com\n" + Headers;
        Assert.Equal("dmarc=fail", Accepted(Eml(headers + CalendarPart()), trusted: ["mx.example.net"]).AuthenticationFailure);
        Assert.Null(Accepted(Eml(headers + CalendarPart())).AuthenticationFailure);
        Assert.Null(Accepted(Eml(headers + CalendarPart()), trusted: ["mx.other.example"]).AuthenticationFailure);
    }

    [Theory]
    [InlineData("spf=softfail smtp.mailfrom=example.com", null)]
    [InlineData("spf=neutral smtp.mailfrom=example.com", null)]
    [InlineData("spf=none smtp.mailfrom=example.com", null)]
    [InlineData("spf=temperror smtp.mailfrom=example.com", null)]
    [InlineData("spf=pass smtp.mailfrom=example.com; dkim=none; dmarc=none header.from=example.com", null)]
    [InlineData("dkim=fail header.d=lists.example.net; dkim=pass header.d=example.com; dmarc=pass header.from=example.com", null)]
    [InlineData("dkim=fail header.d=example.com; dmarc=pass header.from=example.com", "dkim=fail")]
    [InlineData("spf=FAIL smtp.mailfrom=example.com; dkim=fail header.d=example.com; dmarc=Fail header.from=example.com", "spf=fail; dkim=fail; dmarc=fail")]
    [InlineData("none", null)]
    public void Only_fail_results_are_failures(string results, string? failure)
    {
        var headers = $"Authentication-Results: mx.example.net;\n\t{results}\n" + Headers;
        Assert.Equal(failure, Accepted(Eml(headers + CalendarPart())).AuthenticationFailure);
    }

    [Fact]
    public void A_passing_dkim_in_another_header_does_not_excuse_a_failing_one()
    {
        var headers = "Authentication-Results: mx.example.net; dkim=fail header.d=example.com\n"
            + "Authentication-Results: mx.example.net; dkim=pass header.d=example.com\n" + Headers;
        Assert.Equal("dkim=fail", Accepted(Eml(headers + CalendarPart()), trusted: ["mx.example.net"]).AuthenticationFailure);
    }

    [Fact]
    public void A_MIME_refusal_wins_over_an_authentication_failure()
    {
        var headers = "Authentication-Results: mx.example.net; dmarc=fail header.from=example.com\n" + Headers;
        Refused(Eml(headers + "Content-Type: text/plain\n\nNo calendar here.\n"), ImipRefusalCodes.NotCalendar);
    }

    /// <summary>Hides CanSeek, as an HTTP request body does.</summary>
    private sealed class NonSeekable(Stream inner) : Stream
    {
        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
        public override int Read(byte[] buffer, int offset, int count) => inner.Read(buffer, offset, count);
        public override void Flush() { }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
        protected override void Dispose(bool disposing)
        {
            if (disposing)
                inner.Dispose();
            base.Dispose(disposing);
        }
    }
}

using System.Text;
using Caldera.Imip.Itip;
using Caldera.Imip.Mime;
using Caldera.Storage;
using Ical.Net.CalendarComponents;
using MimeKit;
using MimeKit.Text;

namespace Caldera.Imip.Outbound;

/// <summary>An outbound request that cannot become a safe, honest email (bad address, bad calendar, wrong sender).</summary>
public class OutboundImipRefusedException(string code, string message) : ArgumentException(message)
{
    public string Code { get; } = code;
}

/// <summary>
/// The user has queued <see cref="Limit"/> outbound emails in the current hour (<c>Caldera:Smtp:MaxEmailsPerUserPerHour</c>):
/// nothing was stored or sent for this request. Code <c>rate-limited</c>.
/// </summary>
public sealed class OutboundImipRateLimitedException(string user, int limit, DateTimeOffset until)
    : OutboundImipRefusedException(RateLimitedCode,
        $"{user} has queued {limit} outbound emails this hour, the most allowed (Caldera__Smtp__MaxEmailsPerUserPerHour); nothing more is emailed until {until:yyyy-MM-ddTHH:mm}Z")
{
    public const string RateLimitedCode = "rate-limited";
    public string User { get; } = user;
    public int Limit { get; } = limit;
    /// <summary>When the hour ends and the user may queue email again.</summary>
    public DateTimeOffset Until { get; } = until;
}

/// <summary>The email and what the status row records about it.</summary>
/// <param name="Name">The calendar user's display name (CN), header-safe, possibly empty.</param>
public sealed record BuiltImipMessage(MimeMessage Message, string User, string From, string Name, string To, string Method, string Uid, string MessageId);

/// <summary>
/// Builds an iMIP email (RFC 6047) in the shape Google Calendar itself sends, which Gmail, Outlook and Apple Mail
/// all recognise: multipart/mixed of a multipart/alternative (text/plain, text/html, and the iTIP body as
/// <c>text/calendar; charset=utf-8; method=…</c>, §2.4) and the same calendar again as an <c>invite.ics</c>
/// attachment (application/ics) for clients that only offer attachments. Text parts are quoted-printable and the
/// calendar base64, so 8-bit UTF-8 survives 7-bit relays and the calendar's bytes (CRLF line ends) arrive unchanged.
/// </summary>
public static class ImipMessageBuilder
{
    public const string AttachmentName = "invite.ics";

    /// <summary>How every outbound email is written (blob and SMTP): CRLF line ends.</summary>
    public static readonly FormatOptions Format = CreateFormat();

    static FormatOptions CreateFormat()
    {
        var options = FormatOptions.Default.Clone();
        options.NewLineFormat = NewLineFormat.Dos;
        return options;
    }

    /// <exception cref="OutboundImipRefusedException">The request is not safe or not consistent.</exception>
    public static BuiltImipMessage Build(OutboundImipRequest request, string id, DateTimeOffset date, SmtpSettings settings)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (!Names.IsValidUserName(request.User))
            throw Refuse("invalid-user", "the user name is not a valid Caldera user name");
        var from = HeaderSafety.Address(request.From) ?? throw Refuse("invalid-from", "From is not one plain email address");
        var to = HeaderSafety.Address(request.To) ?? throw Refuse("invalid-to", "To is not one plain email address");
        var method = (request.Method ?? "").Trim().ToUpperInvariant();
        if (!ItipParser.Methods.Contains(method))
            throw Refuse("invalid-method", "the method is not an iTIP method");
        if (request.CalendarText is null || Encoding.UTF8.GetByteCount(request.CalendarText) > ImipLimits.Default.MaxCalendarBytes)
            throw Refuse("invalid-calendar", $"the calendar is missing or larger than {ImipLimits.Default.MaxCalendarBytes} bytes");
        var (itip, refusal) = ItipParser.Parse(method, request.CalendarText);
        if (itip is null)
            throw Refuse(refusal!.Code, refusal.Reason);
        if (!string.Equals(itip.Uid, request.Uid, StringComparison.Ordinal))
            throw Refuse("uid-mismatch", "the request's UID is not the calendar's UID");
        var name = SpeakerName(itip, from) ?? throw Refuse("sender-not-calendar-user",
            SenderCheck.IsOrganizerMethod(method)
                ? $"{method} must be sent as the ORGANIZER {itip.Organizer}"
                : $"{method} must be sent as one of the calendar's attendees");

        var text = InvitationText.From(itip, from, request.Summary);
        var domain = settings.SystemFrom is { } system ? SmtpSettings.DomainOf(system.Address) : SmtpSettings.DomainOf(from);
        var messageId = $"{id}@{domain}";

        var message = new MimeMessage
        {
            Date = date,
            MessageId = messageId,
            Subject = HeaderSafety.Text(text.Subject, HeaderSafety.MaxSubjectText + 100),
        };
        SenderIdentity.For(from, name, settings).ApplyTo(message);
        message.To.Add(new MailboxAddress("", to));

        var alternative = new MultipartAlternative
        {
            TextPart("plain", text.Plain()),
            TextPart("html", text.Html()),
            CalendarPart(method, request.CalendarText),
        };
        var attachment = new MimePart("application", "ics")
        {
            Content = new MimeContent(new MemoryStream(Encoding.UTF8.GetBytes(request.CalendarText))),
            ContentTransferEncoding = ContentEncoding.Base64,
            ContentDisposition = new ContentDisposition(ContentDisposition.Attachment) { FileName = AttachmentName },
        };
        attachment.ContentType.Name = AttachmentName;
        message.Body = new Multipart("mixed") { alternative, attachment };
        return new BuiltImipMessage(message, request.User, from, name, to, method, itip.Uid, "<" + messageId + ">");
    }

    /// <summary>The email as bytes, CRLF line ends.</summary>
    public static BinaryData Serialize(MimeMessage message)
    {
        using var buffer = new MemoryStream();
        message.WriteTo(Format, buffer);
        return new BinaryData(buffer.ToArray());
    }

    static TextPart TextPart(string subtype, string body)
    {
        var part = new TextPart(subtype == "html" ? TextFormat.Html : TextFormat.Plain) { ContentTransferEncoding = ContentEncoding.QuotedPrintable };
        part.SetText(Encoding.UTF8, body);
        return part;
    }

    static MimePart CalendarPart(string method, string calendar)
    {
        var part = new MimePart("text", "calendar")
        {
            Content = new MimeContent(new MemoryStream(Encoding.UTF8.GetBytes(calendar))),
            ContentTransferEncoding = ContentEncoding.Base64,
        };
        part.ContentType.Charset = "utf-8";
        part.ContentType.Parameters.Add("method", method);
        return part;
    }

    /// <summary>The CN of whom the message speaks for, "" when it has none; null when <paramref name="from"/> may not send it.</summary>
    static string? SpeakerName(ItipMessage itip, string from)
    {
        var items = itip.Items.OfType<UniqueComponent>().ToList();
        if (SenderCheck.IsOrganizerMethod(itip.Method))
        {
            if (!CalendarAddress.Same(from, itip.Organizer) && !CalendarAddress.Same(from, itip.OrganizerSentBy))
                return null;
            return HeaderSafety.Text(items.Select(i => i.Organizer?.CommonName).FirstOrDefault(n => !string.IsNullOrWhiteSpace(n)), HeaderSafety.MaxName);
        }
        var attendee = items.SelectMany(i => i.Attendees).FirstOrDefault(a => CalendarAddress.Same(CalendarAddress.Normalize(a.Value), from));
        return attendee is null ? null : HeaderSafety.Text(attendee.CommonName, HeaderSafety.MaxName);
    }

    static OutboundImipRefusedException Refuse(string code, string message) => new(code, message);
}

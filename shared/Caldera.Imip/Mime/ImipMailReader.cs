using MimeKit;

namespace Caldera.Imip.Mime;

/// <summary>
/// Reads a raw inbound email (RFC 5322 / MIME) into the calendar part an iMIP (RFC 6047) message carries, or
/// refuses it with a stable code from <see cref="ImipRefusalCodes"/>. Every cost is bounded by
/// <see cref="ImipLimits"/>: the raw size while reading, the nesting and part count while walking, the decoded
/// calendar while decoding. Authentication failures do not refuse: they are reported on the mail so that the
/// caller can quarantine it.
/// </summary>
public static class ImipMailReader
{
    // MimeKit's parser recurses per nesting level; never let a configured limit make that unbounded.
    private const int ParserDepthCeiling = 64;

    /// <summary>
    /// Reads <paramref name="raw"/> from its current position. A seekable stream is parsed in place (and refused
    /// unread when longer than the limit); any other is copied, up to the limit. The stream is not disposed.
    /// <paramref name="trustedAuthServIds"/> names the receiving gateways whose Authentication-Results count;
    /// without any, only the topmost Authentication-Results header counts.
    /// </summary>
    public static MailReadResult Read(Stream raw, ImipLimits limits, IReadOnlyCollection<string>? trustedAuthServIds = null)
    {
        ArgumentNullException.ThrowIfNull(raw);
        ArgumentNullException.ThrowIfNull(limits);
        try
        {
            using var source = BoundedMessageSource.Open(raw, limits.MaxMessageBytes);
            return ReadFrom(source, limits, trustedAuthServIds);
        }
        catch (MailRefusedException refusal)
        {
            return MailReadResult.Refused(refusal.Code, refusal.Message);
        }
    }

    private static MailReadResult ReadFrom(Stream source, ImipLimits limits, IReadOnlyCollection<string>? trustedAuthServIds)
    {
        // One level more than allowed, so that a message nested one too deep is seen (and refused) by the walker.
        var parserMaxDepth = Math.Clamp(limits.MaxMimeDepth, 0, ParserDepthCeiling) + 1;
        using var message = Parse(source, parserMaxDepth);
        var calendarParts = MimeTreeWalker.CalendarParts(message.Body, limits, parserMaxDepth);
        var from = FromAddress(message);
        var (method, text) = CalendarPartSelector.Select(calendarParts, limits);
        return new MailReadResult(new InboundMail
        {
            MessageId = string.IsNullOrWhiteSpace(message.MessageId) ? null : message.MessageId,
            From = from,
            Subject = string.IsNullOrWhiteSpace(message.Subject) ? null : message.Subject.Trim(),
            Sender = message.Sender is { } sender && IsAddress(sender.Address) ? sender.Address.ToLowerInvariant() : null,
            Method = method,
            CalendarText = text,
            AuthenticationFailure = AuthenticationVerdict.Failure(message.Headers, trustedAuthServIds),
        }, null);
    }

    private static MimeMessage Parse(Stream source, int parserMaxDepth)
    {
        var options = ParserOptions.Default.Clone();
        options.MaxMimeDepth = parserMaxDepth;
        // A From of "localuser" cannot be answered or matched to an attendee.
        options.AllowAddressesWithoutDomain = false;
        try
        {
            // persistent: the parts stay slices of the source instead of being copied.
            return new MimeParser(options, source, persistent: true).ParseMessage();
        }
        catch (FormatException e)
        {
            throw new MailRefusedException(ImipRefusalCodes.NotMime, $"The message cannot be parsed as MIME: {e.Message}");
        }
    }

    // A message without any From field is not an RFC 5322 message (From is mandatory); one whose From holds no
    // usable mailbox (empty, an empty group, no domain) is a message we cannot attribute.
    private static string FromAddress(MimeMessage message)
    {
        if (!message.Headers.Contains(HeaderId.From))
            throw new MailRefusedException(ImipRefusalCodes.NotMime, "The message has no From field, so it is not an email.");
        var first = message.From.Mailboxes.FirstOrDefault();
        if (first is null || !IsAddress(first.Address))
            throw new MailRefusedException(ImipRefusalCodes.NoFrom, "The message's From field holds no mailbox address.");
        return first.Address.ToLowerInvariant();
    }

    private static bool IsAddress(string? address) =>
        address is { Length: > 2 } && address.IndexOf('@') is > 0 and var at && at < address.Length - 1;
}

namespace Caldera.Imip.Mime;

/// <summary>Bounds on what an inbound email may cost to read; anything beyond is refused, never truncated.</summary>
public sealed record ImipLimits
{
    /// <summary>The whole raw message (also the webhook's body limit).</summary>
    public long MaxMessageBytes { get; init; } = 25 * 1024 * 1024;
    /// <summary>One decoded text/calendar part.</summary>
    public int MaxCalendarBytes { get; init; } = 1024 * 1024;
    /// <summary>Nesting of multiparts and message/rfc822 parts.</summary>
    public int MaxMimeDepth { get; init; } = 10;
    /// <summary>All MIME entities of the message.</summary>
    public int MaxParts { get; init; } = 200;
    public static readonly ImipLimits Default = new();
}

/// <summary>
/// What the iTIP layer needs from an email: who sent it, its id, the iTIP method of its calendar part and that
/// part's decoded text, and the receiving gateway's authentication verdict.
/// </summary>
public sealed record InboundMail
{
    /// <summary>Message-ID without angle brackets, or null when the message has none.</summary>
    public string? MessageId { get; init; }
    /// <summary>The (first) From mailbox address, lower-cased.</summary>
    public required string From { get; init; }
    /// <summary>The Subject field (decoded), or null; shown to the recipient on the web page.</summary>
    public string? Subject { get; init; }
    /// <summary>The Sender mailbox address, lower-cased, when present.</summary>
    public string? Sender { get; init; }
    /// <summary>The text/calendar part's method parameter, upper-cased (REQUEST, REPLY, …).</summary>
    public required string Method { get; init; }
    /// <summary>The decoded iCalendar text of the calendar part (charset applied).</summary>
    public required string CalendarText { get; init; }
    /// <summary>Why the trusted Authentication-Results header says the message failed (e.g. "dmarc=fail"), or null.</summary>
    public string? AuthenticationFailure { get; init; }
}

/// <summary>A reason why a message is not processed: a stable code and a sentence for people.</summary>
public sealed record ImipRefusal(string Code, string Reason);

/// <summary>Either a mail to process or the refusal that stops it.</summary>
public sealed record MailReadResult(InboundMail? Mail, ImipRefusal? Refusal)
{
    public static MailReadResult Refused(string code, string reason) => new(null, new ImipRefusal(code, reason));
}

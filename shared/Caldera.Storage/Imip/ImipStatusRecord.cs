namespace Caldera.Storage.Imip;

/// <summary>How processing of one inbound iMIP message ended (or where it stands).</summary>
public static class ImipStatus
{
    /// <summary>The iTIP content changed the recipient's calendar.</summary>
    public const string Applied = "applied";
    /// <summary>Older than (or the same as) what the calendar already holds; nothing changed.</summary>
    public const string IgnoredStale = "ignored-stale";
    /// <summary>The same message (Message-ID and iTIP content) was processed before.</summary>
    public const string IgnoredDuplicate = "ignored-duplicate";
    /// <summary>Nothing to apply it to (e.g. a CANCEL or REPLY for an event the recipient does not have).</summary>
    public const string Ignored = "ignored";
    /// <summary>Kept for the organizer to read (COUNTER, DECLINECOUNTER, REFRESH): Caldera sends no email.</summary>
    public const string Recorded = "recorded";
    /// <summary>Failed a check (MIME, iCalendar, RFC 6047 sender or authentication): kept with the reason, never applied.</summary>
    public const string Quarantined = "quarantined";
    /// <summary>No user has the envelope recipient's address; the email is dropped.</summary>
    public const string UnknownRecipient = "unknown-recipient";
    /// <summary>
    /// Processing threw (the queue retries until its dequeue limit, then the message is in the poison queue), or applying
    /// it would pass the recipient's quota (code quota-exceeded: not retried, the mail is kept with the row).
    /// </summary>
    public const string Failed = "failed";
}

/// <summary>One inbound iMIP message's status row.</summary>
public sealed record ImipStatusRecord
{
    /// <summary>The recipient user, or null for an unknown recipient.</summary>
    public string? User { get; init; }
    /// <summary>Receipt id (from the webhook) or the queue message id.</summary>
    public required string Id { get; init; }
    public required DateTimeOffset Received { get; init; }
    public required string Recipient { get; init; }
    public required string Status { get; init; }
    /// <summary>A stable reason code (e.g. sender-not-organizer), null when applied.</summary>
    public string? Code { get; init; }
    /// <summary>The reason in words.</summary>
    public string? Reason { get; init; }
    public string? Method { get; init; }
    public string? Uid { get; init; }
    public string? MessageId { get; init; }
    public string? From { get; init; }
    /// <summary>The email's Subject, when it could be read.</summary>
    public string? Subject { get; init; }
    /// <summary>The raw email's blob, when it is kept.</summary>
    public string? Blob { get; init; }
    /// <summary>Calendar (home segment) and object name the message was applied to.</summary>
    public string? Calendar { get; init; }
    public string? ObjectName { get; init; }
    /// <summary>How many times the queue delivered it.</summary>
    public long Attempts { get; init; }
    public DateTimeOffset Updated { get; init; }
}

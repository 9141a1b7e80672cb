namespace Caldera.Storage.Imip.Outbound;

/// <summary>Where one outbound iMIP email stands.</summary>
public static class OutboundImipStatus
{
    /// <summary>Stored and on the queue (or being retried after a transient failure).</summary>
    public const string Queued = "queued";
    /// <summary>The SMTP relay accepted it.</summary>
    public const string Sent = "sent";
    /// <summary>Refused for good (a 5xx answer) or out of retries (the queue message is in the poison queue); a resend tries again.</summary>
    public const string Failed = "failed";
    /// <summary>No SMTP relay is configured (or its secret is not readable): kept, not sent; a resend after configuring sends it.</summary>
    public const string Held = "held";

    /// <summary>The states a resend may take back to <see cref="Queued"/>.</summary>
    public static bool IsResendable(string status) => status is Failed or Held;
}

/// <summary>One outbound iMIP email's status row.</summary>
public sealed record OutboundImipStatusRecord
{
    /// <summary>The Caldera user the email is sent for.</summary>
    public required string User { get; init; }
    /// <summary>The outbound id (<see cref="OutboundImipIds"/>): status row key, blob name and Message-ID local part.</summary>
    public required string Id { get; init; }
    public required string Status { get; init; }
    /// <summary>The calendar user address the email speaks for (ORGANIZER, or the ATTENDEE of a REPLY).</summary>
    public required string From { get; init; }
    /// <summary>The calendar user's display name (CN) the From shows; empty when the calendar gives none.</summary>
    public string FromName { get; init; } = "";
    /// <summary>The recipient address.</summary>
    public required string To { get; init; }
    public required string Method { get; init; }
    public string? Uid { get; init; }
    /// <summary>The Message-ID header, angle brackets included; the same on every resend.</summary>
    public required string MessageId { get; init; }
    /// <summary>The raw email's blob in the outbound container.</summary>
    public required string Blob { get; init; }
    /// <summary>A stable reason code (e.g. smtp-rejected, no-smtp-host), null when sent or queued.</summary>
    public string? Code { get; init; }
    /// <summary>The reason in words, or the last transient failure while it is retried.</summary>
    public string? Reason { get; init; }
    /// <summary>SMTP deliveries tried so far (over all resends).</summary>
    public long Attempts { get; init; }
    public required DateTimeOffset Created { get; init; }
    public DateTimeOffset Updated { get; init; }
    public DateTimeOffset? Sent { get; init; }
}

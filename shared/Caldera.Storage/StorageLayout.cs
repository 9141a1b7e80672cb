namespace Caldera.Storage;

/// <summary>
/// Names of the tables and the container, all prefixed so that test runs (and deployments) sharing
/// one account stay apart. Other libraries may take their own names from <see cref="Name"/>.
/// </summary>
public sealed class StorageLayout
{
    public const string DefaultPrefix = "caldera";

    /// <summary>The app setting that names the iMIP queue; the queue trigger reads it as <c>%CalderaImipQueue%</c>.</summary>
    public const string ImipQueueSetting = "CalderaImipQueue";

    /// <summary>The app setting that names the outbound iMIP queue; the ImipSend trigger reads it as <c>%CalderaImipOutboundQueue%</c>.</summary>
    public const string ImipOutboundQueueSetting = "CalderaImipOutboundQueue";

    public StorageLayout(string prefix = DefaultPrefix, string? imipQueue = null, string? imipOutboundQueue = null)
    {
        if (!IsValidPrefix(prefix))
            throw new ArgumentException(
                $"Storage prefix '{prefix}' is invalid: 1-40 lower-case letters and digits, starting with a letter.", nameof(prefix));
        Prefix = prefix;
        ImipQueue = string.IsNullOrEmpty(imipQueue) ? Name("imip") : imipQueue;
        if (!IsValidQueueName(ImipQueue) || ImipQueue.Length > 63 - PoisonSuffix.Length)
            throw new ArgumentException($"iMIP queue name '{ImipQueue}' is invalid: 3-56 lower-case letters, digits and single hyphens.", nameof(imipQueue));
        ImipOutboundQueue = string.IsNullOrEmpty(imipOutboundQueue) ? Name("imip-outbound") : imipOutboundQueue;
        if (!IsValidQueueName(ImipOutboundQueue) || ImipOutboundQueue.Length > 63 - PoisonSuffix.Length)
            throw new ArgumentException($"outbound iMIP queue name '{ImipOutboundQueue}' is invalid: 3-56 lower-case letters, digits and single hyphens.", nameof(imipOutboundQueue));
    }

    const string PoisonSuffix = "-poison";

    public string Prefix { get; }
    public string UsersTable => Name("users");
    public string CalendarsTable => Name("calendars");
    public string ObjectsContainer => Name("objects");
    /// <summary>Which calendar provider serves whom (see Registry/).</summary>
    public string ProvidersTable => Name("providers");
    /// <summary>Last good copies of subscribed .ics feeds.</summary>
    public string FeedsContainer => Name("feeds");
    /// <summary>Calendars shared between users (see Sharing/).</summary>
    public string SharesTable => Name("shares");
    /// <summary>Signed-in sessions of the web page (see Web/).</summary>
    public string WebSessionsTable => Name("websessions");

    /// <summary>Raw inbound iMIP emails (claim-check blobs), kept after processing for audit and quarantine.</summary>
    public string ImipContainer => Name("imip");
    /// <summary>One status row per inbound iMIP message, and the idempotency rows.</summary>
    public string ImipStatusTable => Name("imipstatus");
    /// <summary>Pointers to inbound iMIP messages; the queue-triggered function drains it.</summary>
    public string ImipQueue { get; }
    /// <summary>Where the Functions host (and the local host) moves a message after its last failed attempt.</summary>
    public string ImipPoisonQueue => ImipQueue + PoisonSuffix;

    /// <summary>Outbound iMIP emails as sent (claim-check blobs), kept so a resend is the same message.</summary>
    public string ImipOutboundContainer => Name("imipoutbound");
    /// <summary>One status row per outbound iMIP email.</summary>
    public string ImipOutboundTable => Name("imipoutbound");
    /// <summary>One row per user counting the outbound iMIP emails queued in the current hour (the per-user rate limit).</summary>
    public string ImipOutboundRateTable => Name("imipoutrate");
    /// <summary>Pointers to outbound iMIP emails; the ImipSend queue function drains it.</summary>
    public string ImipOutboundQueue { get; }
    public string ImipOutboundPoisonQueue => ImipOutboundQueue + PoisonSuffix;

    /// <summary>A prefixed table, container or queue name.</summary>
    public string Name(string suffix) => Prefix + suffix;

    static bool IsValidQueueName(string name) =>
        name.Length >= 3 && char.IsAsciiLetterOrDigit(name[0]) && char.IsAsciiLetterOrDigit(name[^1]) && !name.Contains("--") &&
        name.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c == '-');

    // Table names must be alphanumeric and start with a letter; containers and queues accept that subset too.
    public static bool IsValidPrefix(string? prefix) =>
        !string.IsNullOrEmpty(prefix) && prefix.Length <= 40 && char.IsAsciiLetterLower(prefix[0]) &&
        prefix.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c));
}

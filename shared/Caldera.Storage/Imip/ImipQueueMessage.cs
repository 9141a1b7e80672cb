using System.Text.Json;
using System.Text.Json.Serialization;

namespace Caldera.Storage.Imip;

/// <summary>
/// The small message on the iMIP queue: where the raw email is (a claim-check blob) or, for producers that write
/// straight onto the queue, the email itself inline (base64, small mails only), plus the envelope recipient.
/// </summary>
public sealed record ImipQueueMessage
{
    /// <summary>Queue messages are at most 64 KiB; base64 on top of JSON leaves about this much for an inline email.</summary>
    public const int MaxInlineBytes = 40 * 1024;

    static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    /// <summary>Receipt id (32 hex digits); producers that write to the queue may leave it out (the queue message id is used).</summary>
    public string? Id { get; init; }
    /// <summary>Blob name in the iMIP container.</summary>
    public string? Blob { get; init; }
    /// <summary>The raw RFC 5322 message, base64, when there is no blob.</summary>
    public string? Mime { get; init; }
    /// <summary>The envelope recipient (RCPT TO) the mail was delivered for.</summary>
    public string? Recipient { get; init; }
    public DateTimeOffset? Received { get; init; }

    public string ToJson() => JsonSerializer.Serialize(this, Json);

    /// <summary>Null when the text is not a message of this shape.</summary>
    public static ImipQueueMessage? TryParse(string text)
    {
        try
        {
            return JsonSerializer.Deserialize<ImipQueueMessage>(text, Json);
        }
        catch (JsonException)
        {
            return null;
        }
    }
}

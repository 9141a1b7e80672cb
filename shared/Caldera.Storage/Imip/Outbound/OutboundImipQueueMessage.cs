using System.Text.Json;
using System.Text.Json.Serialization;

namespace Caldera.Storage.Imip.Outbound;

/// <summary>The small message on the outbound queue: whose email and which one (the status row says the rest).</summary>
public sealed record OutboundImipQueueMessage
{
    static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    public string? User { get; init; }
    public string? Id { get; init; }

    public string ToJson() => JsonSerializer.Serialize(this, Json);

    /// <summary>Null when the text is not a message of this shape (or names no valid user and id).</summary>
    public static OutboundImipQueueMessage? TryParse(string text)
    {
        try
        {
            var message = JsonSerializer.Deserialize<OutboundImipQueueMessage>(text, Json);
            return message is { User: { } user, Id: { } id } && Names.IsValidUserName(user) && OutboundImipIds.IsValid(id) ? message : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}

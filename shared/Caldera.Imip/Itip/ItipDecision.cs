using Caldera.Storage.Imip;

namespace Caldera.Imip.Itip;

/// <summary>What applying an iTIP message to the recipient's copy comes to: a status, and the new object text if it changes.</summary>
public sealed record ItipDecision(string Status, string? Code, string Reason, string? NewText = null)
{
    public static ItipDecision Write(string text, string reason) => new(ImipStatus.Applied, null, reason, text);
    public static ItipDecision Stale(string reason) => new(ImipStatus.IgnoredStale, "not-newer", reason);
    public static ItipDecision Ignore(string code, string reason) => new(ImipStatus.Ignored, code, reason);
    public static ItipDecision Quarantine(string code, string reason) => new(ImipStatus.Quarantined, code, reason);
    public static ItipDecision Record(string code, string reason) => new(ImipStatus.Recorded, code, reason);
}

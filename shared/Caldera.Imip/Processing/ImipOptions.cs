using Caldera.Imip.Mime;

namespace Caldera.Imip.Processing;

/// <summary>Configuration of iMIP ingestion (section "Caldera:Imip").</summary>
public sealed class ImipOptions
{
    public ImipLimits Limits { get; set; } = ImipLimits.Default;
    /// <summary>
    /// authserv-ids of the receiving gateway (RFC 8601). When set, only Authentication-Results headers with one of
    /// these ids are believed; when empty, only the topmost one (the last hop prepends its own).
    /// </summary>
    public IReadOnlyCollection<string> TrustedAuthServIds { get; set; } = [];
    /// <summary>How often an optimistic write is retried within one delivery before the queue retries it.</summary>
    public int WriteAttempts { get; set; } = 5;
}

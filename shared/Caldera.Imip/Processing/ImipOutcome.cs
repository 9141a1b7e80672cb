namespace Caldera.Imip.Processing;

/// <summary>How one delivery ended, as written to its status row.</summary>
public sealed record ImipOutcome(string Status, string? Code, string Reason)
{
    public string? Method { get; init; }
    public string? Uid { get; init; }
    public string? Calendar { get; init; }
    public string? ObjectName { get; init; }
}

namespace Caldera.Scheduling.Tests.Planning;

/// <summary>A clock that always says 2026-11-30 12:00:00 UTC, so DTSTAMP in messages can be asserted.</summary>
internal sealed class FixedClock : TimeProvider
{
    public static readonly DateTimeOffset Now = new(2026, 11, 30, 12, 0, 0, TimeSpan.Zero);
    public const string NowText = "20261130T120000Z";
    public override DateTimeOffset GetUtcNow() => Now;
}

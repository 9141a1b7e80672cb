namespace Caldera.Storage.Quota;

/// <summary>What one user stores: the sum of the usage counters on their calendar rows.</summary>
public sealed record UserUsage(long Calendars, long Objects, long Bytes)
{
    public static readonly UserUsage None = new(0, 0, 0);

    public UserUsage Plus(long objects, long bytes) => this with { Objects = Objects + objects, Bytes = Bytes + bytes };
}

/// <summary>A write refused because it would pass the owner's quota (RFC 4331: 507 with DAV:quota-not-exceeded).</summary>
public sealed class QuotaExceededException(string message) : Exception(message);

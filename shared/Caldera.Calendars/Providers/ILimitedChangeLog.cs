namespace Caldera.Calendars.Providers;

/// <summary>
/// A calendar whose change log can be read a page at a time (RFC 6578 §3.7/§3.8, DAV:limit). Pages are cut at
/// revision boundaries: a page holds every name whose latest change is at or before its token's revision, so a
/// client that continues from the returned token sees every later change and none twice.
/// </summary>
public interface ILimitedChangeLog : ICalendar
{
    /// <summary>
    /// At most <paramref name="limit"/> changed names since <paramref name="syncToken"/>, oldest change first; a null
    /// token means an initial sync (every member, from the start of the log, deletions left out). Null if the token
    /// is not valid here; <see cref="ChangePage.Unsplittable"/> when one revision alone changed more names than the limit.
    /// </summary>
    Task<ChangePage?> GetChangesAsync(string? syncToken, int limit, CancellationToken ct);
}

/// <summary>One page of changes, the token to continue from, and whether more remain after it.</summary>
public sealed record ChangePage(string SyncToken, IReadOnlyList<ChangedName> Changes, bool Truncated, bool Unsplittable = false);

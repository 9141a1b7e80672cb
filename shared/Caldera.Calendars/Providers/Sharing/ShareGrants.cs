using Caldera.Storage;
using Caldera.Storage.Sharing;

namespace Caldera.Calendars.Providers.Sharing;

public enum ShareGrantStatus { Granted, InvalidAccess, Self, OwnerNotFound, ShareeNotFound, CalendarNotFound }

/// <summary>The outcome of a grant; <see cref="Share"/> and <see cref="Calendar"/> are set when granted.</summary>
public sealed record ShareGrant(ShareGrantStatus Status, CalendarShare? Share = null, CalendarRecord? Calendar = null);

/// <summary>
/// The rules of sharing an owner's stored calendar with another user, for every caller (the management API and
/// the web page): a known access, not oneself, both users exist, the calendar exists; the share names the
/// calendar's incarnation so it never carries over to a later calendar of the same name.
/// </summary>
public sealed class ShareGrants(IShareStore shares, IUserStore users, ICalendarStore calendars)
{
    /// <param name="accessText">"read" (the default when null) or "read-write".</param>
    public async Task<ShareGrant> GrantAsync(string owner, string calendar, string sharee, string? accessText, CancellationToken ct)
    {
        if (!CalendarShare.TryParse(accessText ?? "read", out var access))
            return new ShareGrant(ShareGrantStatus.InvalidAccess);
        if (owner == sharee)
            return new ShareGrant(ShareGrantStatus.Self);
        if (await users.GetUserAsync(owner, ct) is null)
            return new ShareGrant(ShareGrantStatus.OwnerNotFound);
        if (await users.GetUserAsync(sharee, ct) is null)
            return new ShareGrant(ShareGrantStatus.ShareeNotFound);
        if (await calendars.GetCalendarAsync(owner, calendar, ct) is not { } record)
            return new ShareGrant(ShareGrantStatus.CalendarNotFound);
        var share = new CalendarShare(owner, calendar, sharee, access, record.Id);
        await shares.UpsertAsync(share, ct);
        return new ShareGrant(ShareGrantStatus.Granted, share, record);
    }
}

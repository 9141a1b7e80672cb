using Caldera.Calendars.Providers;
using Caldera.Calendars.Providers.Sharing;
using Caldera.Calendars.Registry;
using Caldera.Storage;
using Caldera.Storage.Sharing;

namespace Caldera.Web.Api;

/// <summary>
/// shares: what the user has shared (only the user's own calendars, granted by the same rules as the management
/// API) and what others share with the user (as the home shows it).
/// </summary>
public sealed class ShareEndpoints(IShareStore shares, ShareGrants grants, ICalendarStore calendars, CalendarHome home) : IApiEndpoints
{
    public IEnumerable<ApiRoute> Routes =>
    [
        new("GET", "shares", ListAsync),
        new("PUT", "shares/{}/{}", GrantAsync),
        new("DELETE", "shares/{}/{}", RevokeAsync),
    ];

    sealed record ShareBody(string? Access);

    async Task ListAsync(ApiContext ctx)
    {
        var own = (await calendars.ListCalendarsAsync(ctx.User, ctx.Cancellation)).ToDictionary(c => c.Name, StringComparer.Ordinal);
        // A share made for an earlier calendar of the same name gives no access (see SharedCalendarProvider): not listed.
        var granted = (await shares.GetForOwnerAsync(ctx.User, ctx.Cancellation))
            .Where(s => own.TryGetValue(s.Calendar, out var c) && (s.CalendarId is null || s.CalendarId == c.Id))
            .Select(s => new { calendar = s.Calendar, calendarName = own[s.Calendar].DisplayName ?? s.Calendar, sharee = s.Sharee, access = CalendarShare.Format(s.Access) })
            .OrderBy(s => s.calendar, StringComparer.Ordinal).ThenBy(s => s.sharee, StringComparer.Ordinal)
            .ToList();
        var visible = (await home.ListAsync(CalendarEndpoints.Context(ctx), p => p.AppId == SharedCalendarProvider.Id, ctx.Cancellation))
            .ToDictionary(e => e.Segment, StringComparer.Ordinal);
        var received = new List<object>();
        foreach (var share in await shares.GetForShareeAsync(ctx.User, ctx.Cancellation))
        {
            var segment = CalendarHome.SegmentFor(SharedCalendarProvider.Id, SharedCalendarProvider.UriFor(share.Owner, share.Calendar));
            if (!visible.TryGetValue(segment, out var entry))
                continue;
            received.Add(new
            {
                owner = share.Owner, calendar = share.Calendar, id = segment,
                displayName = entry.Calendar.DisplayName ?? share.Calendar,
                access = entry.Calendar.Privileges.HasFlag(CalendarPrivileges.WriteContent) ? "read-write" : "read",
            });
        }
        await ApiJson.OkAsync(ctx, new { granted, received });
    }

    async Task GrantAsync(ApiContext ctx)
    {
        var (calendar, sharee) = Key(ctx);
        var body = await ApiJson.ReadAsync<ShareBody>(ctx);
        if (body.Access is null)
            throw ApiError.BadRequest("Give access: \"read\" or \"read-write\".");
        var grant = await grants.GrantAsync(ctx.User, calendar, sharee, body.Access, ctx.Cancellation);
        switch (grant.Status)
        {
            case ShareGrantStatus.Granted:
                var share = grant.Share!;
                await ApiJson.OkAsync(ctx, new { calendar, calendarName = grant.Calendar!.DisplayName ?? calendar, sharee, access = CalendarShare.Format(share.Access) });
                return;
            case ShareGrantStatus.InvalidAccess:
                throw ApiError.BadRequest("Access must be \"read\" or \"read-write\".");
            case ShareGrantStatus.Self:
                throw ApiError.BadRequest("You cannot share a calendar with yourself.");
            case ShareGrantStatus.ShareeNotFound or ShareGrantStatus.OwnerNotFound:
                throw ApiError.NotFound($"There is no user '{sharee}'.");
            default:
                throw ApiError.NotFound("You have no such calendar.");
        }
    }

    async Task RevokeAsync(ApiContext ctx)
    {
        var (calendar, sharee) = Key(ctx);
        if (!await shares.DeleteAsync(ctx.User, calendar, sharee, ctx.Cancellation))
            throw ApiError.NotFound("That calendar is not shared with that user.");
        ApiJson.NoContent(ctx);
    }

    /// <summary>The user's calendar and the sharee from the path (the owner is always the signed-in user).</summary>
    static (string Calendar, string Sharee) Key(ApiContext ctx)
    {
        var calendar = ctx.Segments[1];
        var sharee = ctx.Segments[2].ToLowerInvariant();
        if (!Names.IsValidSegment(calendar, Names.MaxCalendarName) || Caldera.Calendars.Scheduling.ScheduleCollections.IsReserved(calendar))
            throw ApiError.NotFound("You have no such calendar.");
        if (!Names.IsValidUserName(sharee))
            throw ApiError.NotFound($"There is no user '{sharee}'.");
        return (calendar, sharee);
    }
}

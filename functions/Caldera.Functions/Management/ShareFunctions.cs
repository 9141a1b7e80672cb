using Caldera.Calendars.Providers.Sharing;
using Caldera.Storage;
using Caldera.Storage.Sharing;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using static Caldera.Functions.Management.ManagementHttp;

namespace Caldera.Functions.Management;

/// <summary>
/// Calendar sharing over HTTP: an owner's stored calendar shared with another user, read-only ("read") or
/// read-write ("read-write"). Shares are read on every DAV request, so a change applies at once on every instance.
/// </summary>
public sealed class ShareFunctions(IShareStore shares, ShareGrants grants)
{
    const int MaxBodyBytes = 4 * 1024;

    [Function("ManageSharesList")]
    public async Task<IActionResult> List(
        [HttpTrigger(AuthorizationLevel.Function, "GET", Route = ManagementRoutes.Shares)] HttpRequest req,
        CancellationToken ct)
    {
        var owner = RouteValue(req, "owner");
        if (!Names.IsValidUserName(owner))
            return InvalidUserName(owner);
        var rows = await shares.GetForOwnerAsync(owner!, ct);
        return new JsonResult(rows.Select(ShareResponse.From).ToList());
    }

    [Function("ManageSharesPut")]
    public async Task<IActionResult> Put(
        [HttpTrigger(AuthorizationLevel.Function, "PUT", Route = ManagementRoutes.Share)] HttpRequest req,
        CancellationToken ct)
    {
        var (owner, calendar, sharee, error) = Key(req);
        if (error is not null)
            return error;
        var (body, bodyError) = await ReadJsonAsync<ShareRequest>(req, MaxBodyBytes, allowEmpty: true, ct);
        if (bodyError is not null)
            return bodyError;
        var grant = await grants.GrantAsync(owner, calendar, sharee, body?.Access, ct);
        return grant.Status switch
        {
            ShareGrantStatus.Granted => new JsonResult(ShareResponse.From(grant.Share!)),
            ShareGrantStatus.InvalidAccess => Error(StatusCodes.Status400BadRequest, $"Invalid access '{body?.Access}': use \"read\" or \"read-write\"."),
            ShareGrantStatus.Self => Error(StatusCodes.Status400BadRequest, "A user cannot share a calendar with themselves."),
            ShareGrantStatus.OwnerNotFound => UserNotFound(owner),
            ShareGrantStatus.ShareeNotFound => UserNotFound(sharee),
            _ => Error(StatusCodes.Status404NotFound, $"User '{owner}' has no calendar '{calendar}'."),
        };
    }

    [Function("ManageSharesDelete")]
    public async Task<IActionResult> Delete(
        [HttpTrigger(AuthorizationLevel.Function, "DELETE", Route = ManagementRoutes.Share)] HttpRequest req,
        CancellationToken ct)
    {
        var (owner, calendar, sharee, error) = Key(req);
        if (error is not null)
            return error;
        return await shares.DeleteAsync(owner, calendar, sharee, ct)
            ? new NoContentResult()
            : Error(StatusCodes.Status404NotFound, $"Calendar '{calendar}' of '{owner}' is not shared with '{sharee}'.");
    }

    static (string Owner, string Calendar, string Sharee, IActionResult? Error) Key(HttpRequest req)
    {
        var owner = RouteValue(req, "owner");
        var calendar = RouteValue(req, "calendar");
        var sharee = RouteValue(req, "sharee");
        if (!Names.IsValidUserName(owner))
            return ("", "", "", InvalidUserName(owner));
        if (!Names.IsValidUserName(sharee))
            return ("", "", "", InvalidUserName(sharee));
        if (!Names.IsValidSegment(calendar, Names.MaxCalendarName))
            return ("", "", "", Error(StatusCodes.Status400BadRequest, $"Invalid calendar name '{calendar}'."));
        return (owner!, calendar!, sharee!, null);
    }

}

/// <summary>Body of PUT manage/users/{owner}/calendars/{calendar}/shares/{sharee}: access "read" (default) or "read-write".</summary>
public sealed record ShareRequest(string? Access);

/// <summary>A share as the management API shows it.</summary>
public sealed record ShareResponse(string Owner, string Calendar, string Sharee, string Access)
{
    public static ShareResponse From(CalendarShare s) => new(s.Owner, s.Calendar, s.Sharee, CalendarShare.Format(s.Access));
}

using Caldera.Imip.Outbound;
using Caldera.Storage;
using Caldera.Storage.Imip.Outbound;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using static Caldera.Functions.Management.ManagementHttp;

namespace Caldera.Functions.Management;

/// <summary>
/// Outbound invitation emails: a user's status rows (newest first, optionally one status), and resending failed or
/// held ones — all of the user's, or one by id — with the same stored message and Message-ID. Function-level keys.
/// </summary>
public sealed class OutboundImipFunctions(OutboundImipStatusStore statuses, OutboundImipResender resender, IUserStore users)
{
    const int DefaultLimit = 100;

    [Function("ManageOutboundList")]
    public async Task<IActionResult> List(
        [HttpTrigger(AuthorizationLevel.Function, "GET", Route = ManagementRoutes.ImipOutbound)] HttpRequest req,
        CancellationToken ct)
    {
        if (await CheckUserAsync(req, ct) is { } error)
            return error;
        var status = req.Query["status"].FirstOrDefault();
        if (status is not null and not (OutboundImipStatus.Queued or OutboundImipStatus.Sent or OutboundImipStatus.Failed or OutboundImipStatus.Held))
            return Error(StatusCodes.Status400BadRequest, $"Unknown status '{status}': use queued, sent, failed or held.");
        var limit = int.TryParse(req.Query["limit"].FirstOrDefault(), out var n) ? Math.Clamp(n, 1, OutboundImipStatusStore.MaxList) : DefaultLimit;
        return new JsonResult(await statuses.ListAsync(RouteValue(req, "user")!, limit, ct, status), Json);
    }

    /// <summary>Every failed or held email of the user back on the queue; answers the rows re-queued.</summary>
    [Function("ManageOutboundResendAll")]
    public async Task<IActionResult> ResendAll(
        [HttpTrigger(AuthorizationLevel.Function, "POST", Route = ManagementRoutes.ImipOutboundResend)] HttpRequest req,
        CancellationToken ct)
    {
        if (await CheckUserAsync(req, ct) is { } error)
            return error;
        return new JsonResult(await resender.ResendAllAsync(RouteValue(req, "user")!, ct), Json);
    }

    [Function("ManageOutboundResendOne")]
    public async Task<IActionResult> ResendOne(
        [HttpTrigger(AuthorizationLevel.Function, "POST", Route = ManagementRoutes.ImipOutboundResendOne)] HttpRequest req,
        CancellationToken ct)
    {
        if (await CheckUserAsync(req, ct) is { } error)
            return error;
        var id = RouteValue(req, "id");
        if (!OutboundImipIds.IsValid(id))
            return Error(StatusCodes.Status400BadRequest, "The id is not an outbound email id (32 hex digits).");
        var (result, row) = await resender.ResendAsync(RouteValue(req, "user")!, id!, ct);
        return result switch
        {
            ResendResult.NotFound => Error(StatusCodes.Status404NotFound, $"No outbound email {id}."),
            ResendResult.NotResendable => Error(StatusCodes.Status409Conflict, $"Email {id} is {row!.Status}; only failed or held emails are resent."),
            _ => new JsonResult(row, Json),
        };
    }

    async Task<IActionResult?> CheckUserAsync(HttpRequest req, CancellationToken ct)
    {
        var name = RouteValue(req, "user");
        if (!Names.IsValidUserName(name))
            return InvalidUserName(name);
        if (await users.GetUserAsync(name!, ct) is null)
            return UserNotFound(name!);
        return null;
    }
}

using Caldera.Storage;
using Caldera.Storage.Imip;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using static Caldera.Functions.Management.ManagementHttp;

namespace Caldera.Functions.Management;

/// <summary>
/// What became of inbound iMIP messages: a user's status rows (newest first), and those of unknown recipients.
/// Function-level keys, like the rest of manage/.
/// </summary>
public sealed class ImipStatusFunctions(ImipStatusStore statuses, IUserStore users)
{
    const int DefaultLimit = 100;

    [Function("ManageImipList")]
    public async Task<IActionResult> List(
        [HttpTrigger(AuthorizationLevel.Function, "GET", Route = ManagementRoutes.ImipStatus)] HttpRequest req,
        CancellationToken ct)
    {
        var name = RouteValue(req, "user");
        if (!Names.IsValidUserName(name))
            return InvalidUserName(name);
        if (await users.GetUserAsync(name!, ct) is null)
            return UserNotFound(name!);
        return new JsonResult(await statuses.ListAsync(name, Limit(req), ct), Json);
    }

    [Function("ManageImipUnknown")]
    public async Task<IActionResult> ListUnknown(
        [HttpTrigger(AuthorizationLevel.Function, "GET", Route = ManagementRoutes.ImipUnknown)] HttpRequest req,
        CancellationToken ct) =>
        new JsonResult(await statuses.ListAsync(null, Limit(req), ct), Json);

    static int Limit(HttpRequest req) =>
        int.TryParse(req.Query["limit"].FirstOrDefault(), out var n) ? Math.Clamp(n, 1, ImipStatusStore.MaxList) : DefaultLimit;
}

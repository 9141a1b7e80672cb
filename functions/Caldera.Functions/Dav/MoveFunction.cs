using Caldera.Dav;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;

namespace Caldera.Functions.Dav;

public sealed class MoveFunction(IDavEngine engine) : DavFunction(engine)
{
    [Function("WebdavMove")]
    public Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "MOVE", Route = Route)] HttpRequest req,
        CancellationToken ct) => HandleAsync(req, ct);
}

using Caldera.Dav;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;

namespace Caldera.Functions.Dav;

public sealed class PropfindFunction(IDavEngine engine) : DavFunction(engine)
{
    [Function("WebdavPropfind")]
    public Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "PROPFIND", Route = Route)] HttpRequest req,
        CancellationToken ct) => HandleAsync(req, ct);
}

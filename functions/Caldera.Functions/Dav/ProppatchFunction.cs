using Caldera.Dav;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;

namespace Caldera.Functions.Dav;

public sealed class ProppatchFunction(IDavEngine engine) : DavFunction(engine)
{
    [Function("WebdavProppatch")]
    public Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "PROPPATCH", Route = Route)] HttpRequest req,
        CancellationToken ct) => HandleAsync(req, ct);
}

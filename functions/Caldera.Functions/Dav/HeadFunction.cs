using Caldera.Dav;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;

namespace Caldera.Functions.Dav;

public sealed class HeadFunction(IDavEngine engine) : DavFunction(engine)
{
    [Function("WebdavHead")]
    public Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "HEAD", Route = Route)] HttpRequest req,
        CancellationToken ct) => HandleAsync(req, ct);
}

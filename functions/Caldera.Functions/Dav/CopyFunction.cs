using Caldera.Dav;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;

namespace Caldera.Functions.Dav;

public sealed class CopyFunction(IDavEngine engine) : DavFunction(engine)
{
    [Function("WebdavCopy")]
    public Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "COPY", Route = Route)] HttpRequest req,
        CancellationToken ct) => HandleAsync(req, ct);
}

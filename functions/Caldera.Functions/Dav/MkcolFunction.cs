using Caldera.Dav;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;

namespace Caldera.Functions.Dav;

public sealed class MkcolFunction(IDavEngine engine) : DavFunction(engine)
{
    [Function("WebdavMkcol")]
    public Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "MKCOL", Route = Route)] HttpRequest req,
        CancellationToken ct) => HandleAsync(req, ct);
}

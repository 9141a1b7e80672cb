using Caldera.Dav;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;

namespace Caldera.Functions.Dav;

public sealed class GetFunction(IDavEngine engine) : DavFunction(engine)
{
    [Function("WebdavGet")]
    public Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "GET", Route = Route)] HttpRequest req,
        CancellationToken ct) => HandleAsync(req, ct);
}

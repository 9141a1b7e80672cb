using Caldera.Dav;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;

namespace Caldera.Functions.Dav;

public sealed class PutFunction(IDavEngine engine) : DavFunction(engine)
{
    [Function("WebdavPut")]
    public Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "PUT", Route = Route)] HttpRequest req,
        CancellationToken ct) => HandleAsync(req, ct);
}

using Caldera.Dav;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;

namespace Caldera.Functions.Dav;

public sealed class DeleteFunction(IDavEngine engine) : DavFunction(engine)
{
    [Function("WebdavDelete")]
    public Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "DELETE", Route = Route)] HttpRequest req,
        CancellationToken ct) => HandleAsync(req, ct);
}

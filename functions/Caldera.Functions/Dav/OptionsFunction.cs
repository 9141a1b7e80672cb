using Caldera.Dav;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;

namespace Caldera.Functions.Dav;

public sealed class OptionsFunction(IDavEngine engine) : DavFunction(engine)
{
    [Function("WebdavOptions")]
    public Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "OPTIONS", Route = Route)] HttpRequest req,
        CancellationToken ct) => HandleAsync(req, ct);
}

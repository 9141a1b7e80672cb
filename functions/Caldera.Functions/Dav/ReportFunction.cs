using Caldera.Dav;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;

namespace Caldera.Functions.Dav;

public sealed class ReportFunction(IDavEngine engine) : DavFunction(engine)
{
    [Function("WebdavReport")]
    public Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "REPORT", Route = Route)] HttpRequest req,
        CancellationToken ct) => HandleAsync(req, ct);
}

using Caldera.Dav;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;

namespace Caldera.Functions.Dav;

public sealed class MkcalendarFunction(IDavEngine engine) : DavFunction(engine)
{
    [Function("WebdavMkcalendar")]
    public Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "MKCALENDAR", Route = Route)] HttpRequest req,
        CancellationToken ct) => HandleAsync(req, ct);
}

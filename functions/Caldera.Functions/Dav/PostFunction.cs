using Caldera.Dav;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;

namespace Caldera.Functions.Dav;

/// <summary>
/// POST to a scheduling outbox (RFC 6638 §5: free-busy requests). Like every DAV function it is named Webdav… so it
/// sorts after the non-DAV functions whose POST routes (imip, manage/…) it would otherwise shadow.
/// </summary>
public sealed class PostFunction(IDavEngine engine) : DavFunction(engine)
{
    [Function("WebdavPost")]
    public Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "POST", Route = Route)] HttpRequest req,
        CancellationToken ct) => HandleAsync(req, ct);
}

using Microsoft.AspNetCore.Http;

namespace Caldera.Dav;

/// <summary>The WebDAV/CalDAV protocol engine: one request in, the whole response written.</summary>
public interface IDavEngine
{
    Task HandleAsync(HttpContext context, CancellationToken ct);
}

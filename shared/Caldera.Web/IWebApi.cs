using Microsoft.AspNetCore.Http;

namespace Caldera.Web;

/// <summary>The JSON API of the web page (everything under /web/api/): writes the whole response.</summary>
public interface IWebApi
{
    Task HandleAsync(HttpContext context, CancellationToken ct);
}

/// <summary>The page's static files (everything else under /web/): writes the whole response.</summary>
public interface IWebAssets
{
    Task HandleAsync(HttpContext context, CancellationToken ct);
}

namespace Caldera.Web;

/// <summary>
/// Where the web page lives. Function routes are matched by the Functions host in function-name order, so both web
/// functions are named to sort before the <c>Webdav…</c> catch-all ("WebApi" &lt; "WebAssets" &lt; "Webdav", ignoring case),
/// and the API sorts before the assets whose route also covers it.
/// </summary>
public static class WebRoutes
{
    /// <summary>The page's base path (what the local host prints and the DAV root redirects browsers to).</summary>
    public const string BasePath = "/web/";

    public const string ApiFunction = "WebApi";
    public const string ApiRoute = "web/api/{*path}";

    public const string AssetsFunction = "WebAssets";
    public const string AssetsRoute = "web/{*path}";
}

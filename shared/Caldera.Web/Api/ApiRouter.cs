namespace Caldera.Web.Api;

/// <summary>
/// One route of the API: a method and a path pattern below /web/api/ ("{}" matches one segment). Every route needs
/// a session except those marked <see cref="Anonymous"/> (signing in).
/// </summary>
public sealed record ApiRoute(string Method, string Pattern, Func<ApiContext, Task> Handler, bool Anonymous = false)
{
    public string[] Parts { get; } = Pattern.Split('/');

    public bool Matches(IReadOnlyList<string> segments) =>
        Parts.Length == segments.Count && Parts.Select((p, i) => p == "{}" || p == segments[i]).All(x => x);
}

/// <summary>A resource's routes (one class per resource).</summary>
public interface IApiEndpoints
{
    IEnumerable<ApiRoute> Routes { get; }
}

/// <summary>
/// Finds the route for a method and path (HEAD is answered as GET, without the body); when only the method is wrong,
/// which methods the path has (405).
/// </summary>
public sealed class ApiRouter(IEnumerable<IApiEndpoints> endpoints)
{
    readonly IReadOnlyList<ApiRoute> _routes = endpoints.SelectMany(e => e.Routes).ToList();

    public (ApiRoute? Route, IReadOnlyList<string> Allowed) Match(string method, IReadOnlyList<string> segments)
    {
        var onPath = _routes.Where(r => r.Matches(segments)).ToList();
        var wanted = method.Equals("HEAD", StringComparison.OrdinalIgnoreCase) ? "GET" : method;
        return (onPath.FirstOrDefault(r => r.Method.Equals(wanted, StringComparison.OrdinalIgnoreCase)), onPath.Select(r => r.Method).ToList());
    }
}

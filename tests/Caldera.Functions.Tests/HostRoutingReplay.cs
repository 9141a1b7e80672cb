using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.Routing.Template;

namespace Caldera.Functions.Tests;

/// <summary>
/// The Azure Functions host's HTTP routing rules, replayed over function metadata (see
/// shared/reference/azure-functions-facts.md §1): functions are ordered by name (OrdinalIgnoreCase), their routes
/// (prefixed by routePrefix) are tried in that order with legacy template matching, the first route that matches
/// wins, a method mismatch falls through to the next function, and nothing matching is a 404.
/// Start-up validation: routes starting with admin/runtime are refused; two functions with the same route string
/// conflict when their methods intersect (no methods intersect everything).
/// </summary>
public sealed class HostRoutingReplay
{
    readonly List<(HttpFunctionEntry Function, TemplateMatcher Matcher)> _routes;

    public HostRoutingReplay(IEnumerable<HttpFunctionEntry> functions, string routePrefix = "")
    {
        Functions = [.. functions.OrderBy(f => f.Name, StringComparer.OrdinalIgnoreCase)];
        var prefix = routePrefix.Trim('/');
        _routes = [.. Functions.Select(f => (f, new TemplateMatcher(
            TemplateParser.Parse(prefix.Length == 0 ? f.Route : $"{prefix}/{f.Route}"), new RouteValueDictionary())))];
    }

    /// <summary>The functions in the order the host tries them.</summary>
    public IReadOnlyList<HttpFunctionEntry> Functions { get; }

    /// <summary>The function the host would invoke, or null for the host's 404.</summary>
    public HttpFunctionEntry? Resolve(string method, string path)
    {
        var pathString = new PathString(path.StartsWith('/') ? path : "/" + path);
        foreach (var (function, matcher) in _routes)
        {
            if (matcher.TryMatch(pathString, new RouteValueDictionary()) && function.Accepts(method))
                return function;
        }
        return null;
    }

    /// <summary>The host's start-up errors for these functions (empty when it would start).</summary>
    public IReadOnlyList<string> StartupErrors()
    {
        var errors = new List<string>();
        foreach (var f in Functions)
        {
            var route = f.Route.ToLowerInvariant();
            if (route.StartsWith("admin", StringComparison.Ordinal) || route.StartsWith("runtime", StringComparison.Ordinal))
                errors.Add($"{f.Name}: route '{f.Route}' conflicts with the host's built-in routes");
        }
        for (var i = 0; i < Functions.Count; i++)
        for (var j = i + 1; j < Functions.Count; j++)
        {
            var (a, b) = (Functions[i], Functions[j]);
            if (string.Equals(a.Route, b.Route, StringComparison.OrdinalIgnoreCase) &&
                (a.AllMethods || b.AllMethods || a.Methods!.Intersect(b.Methods!, StringComparer.OrdinalIgnoreCase).Any()))
                errors.Add($"{a.Name} and {b.Name}: same route '{a.Route}' with intersecting methods");
        }
        return errors;
    }
}

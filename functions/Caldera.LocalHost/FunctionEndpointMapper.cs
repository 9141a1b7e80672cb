using System.Reflection;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Abstractions;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.Routing.Constraints;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Caldera.LocalHost;

/// <summary>
/// Serves the HTTP-triggered functions of an assembly on plain ASP.NET Core, with the Functions host's routing rules:
/// routes come from the functions' own <c>[HttpTrigger]</c> attributes (no second list), are prefixed with
/// host.json's <c>extensions.http.routePrefix</c>, and are tried in function-name order (OrdinalIgnoreCase) in a
/// legacy <see cref="RouteCollection"/> whose routes carry an <see cref="HttpMethodRouteConstraint"/>: the first
/// route match wins and a method mismatch falls through to the next function, unmatched is 404. Non-anonymous
/// functions need the local function key in <c>x-functions-key</c> or <c>?code=</c>.
/// </summary>
public sealed class FunctionEndpointMapper
{
    public const string FunctionKeyHeader = "x-functions-key";
    public const string FunctionKeyQuery = "code";

    readonly byte[] _functionKey;
    readonly ILogger _logger;
    readonly RouteCollection _routes = new();

    public FunctionEndpointMapper(
        Assembly functionsAssembly,
        string routePrefix,
        string functionKey,
        IInlineConstraintResolver constraintResolver,
        ILogger<FunctionEndpointMapper> logger)
    {
        ArgumentException.ThrowIfNullOrEmpty(functionKey);
        _functionKey = Encoding.UTF8.GetBytes(functionKey);
        _logger = logger;
        RoutePrefix = routePrefix.Trim('/');
        Functions = Discover(functionsAssembly);
        Validate(Functions);
        foreach (var function in Functions)
        {
            var template = RoutePrefix.Length == 0 ? function.Route : $"{RoutePrefix}/{function.Route}";
            var constraints = function.AllMethods
                ? null
                : new Dictionary<string, object> { ["httpMethod"] = new HttpMethodRouteConstraint([.. function.Methods!]) };
            _routes.Add(new Route(new FunctionRouter(this, function), function.Name, template, null, constraints, null, constraintResolver));
        }
    }

    public string RoutePrefix { get; }

    /// <summary>The mapped functions, in the order the host tries them (by name, OrdinalIgnoreCase).</summary>
    public IReadOnlyList<HttpFunction> Functions { get; }

    /// <summary>Reads every method with <c>[Function]</c> whose parameters include an <c>[HttpTrigger]</c>.</summary>
    public static IReadOnlyList<HttpFunction> Discover(Assembly assembly)
    {
        var found = new List<HttpFunction>();
        foreach (var type in assembly.GetTypes())
        {
            foreach (var method in type.GetMethods(BindingFlags.Public | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly))
            {
                var function = method.GetCustomAttribute<FunctionAttribute>();
                if (function is null)
                    continue;
                var trigger = method.GetParameters()
                    .Select(p => p.GetCustomAttribute<HttpTriggerAttribute>())
                    .FirstOrDefault(a => a is not null);
                if (trigger is null)
                    continue; // not an HTTP function (queue triggers are not served here)
                CheckSignature(function.Name, method);
                found.Add(new HttpFunction(
                    function.Name,
                    (trigger.Route ?? function.Name).Trim('/'),
                    trigger.Methods is { Length: > 0 } m ? m : null,
                    trigger.AuthLevel,
                    type,
                    method));
            }
        }
        return [.. found.OrderBy(f => f.Name, StringComparer.OrdinalIgnoreCase)];
    }

    static void CheckSignature(string name, MethodInfo method)
    {
        foreach (var p in method.GetParameters())
        {
            if (p.ParameterType != typeof(HttpRequest) && p.ParameterType != typeof(CancellationToken))
                throw new NotSupportedException(
                    $"Function {name}: parameter '{p.Name}' of type {p.ParameterType.Name} cannot be served by the local host; " +
                    "HTTP functions take only HttpRequest (and optionally CancellationToken).");
        }
        var r = method.ReturnType;
        var ok = r == typeof(void) || r == typeof(Task) || typeof(IActionResult).IsAssignableFrom(r) ||
                 r.IsGenericType && r.GetGenericTypeDefinition() == typeof(Task<>) &&
                 typeof(IActionResult).IsAssignableFrom(r.GetGenericArguments()[0]);
        if (!ok)
            throw new NotSupportedException($"Function {name}: return type {r.Name} is not IActionResult, Task<IActionResult>, Task or void.");
    }

    /// <summary>The host's start-up checks: reserved route prefixes and same-route functions with intersecting methods.</summary>
    static void Validate(IReadOnlyList<HttpFunction> functions)
    {
        foreach (var f in functions)
        {
            var route = f.Route.ToLowerInvariant();
            if (route.StartsWith("admin", StringComparison.Ordinal) || route.StartsWith("runtime", StringComparison.Ordinal))
                throw new InvalidOperationException($"Function {f.Name}: the route '{f.Route}' conflicts with the host's built-in admin/runtime routes.");
        }
        for (var i = 0; i < functions.Count; i++)
        for (var j = i + 1; j < functions.Count; j++)
        {
            var a = functions[i];
            var b = functions[j];
            if (!string.Equals(a.Route, b.Route, StringComparison.OrdinalIgnoreCase))
                continue;
            if (a.AllMethods || b.AllMethods || a.Methods!.Intersect(b.Methods!, StringComparer.OrdinalIgnoreCase).Any())
                throw new InvalidOperationException($"The functions {a.Name} and {b.Name} have the same route '{a.Route}' and intersecting methods.");
        }
    }

    /// <summary>Reads <c>extensions.http.routePrefix</c> from a host.json (the host's default is "api").</summary>
    public static string ReadRoutePrefix(string hostJsonPath)
    {
        if (!File.Exists(hostJsonPath))
            throw new FileNotFoundException($"host.json not found at {hostJsonPath}; it is copied next to the Functions assembly by the build.", hostJsonPath);
        using var doc = JsonDocument.Parse(File.ReadAllText(hostJsonPath), new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
        if (doc.RootElement.TryGetProperty("extensions", out var ext) &&
            ext.TryGetProperty("http", out var http) &&
            http.TryGetProperty("routePrefix", out var prefix) &&
            prefix.ValueKind == JsonValueKind.String)
            return prefix.GetString()!;
        return "api";
    }

    /// <summary>Terminal middleware: route, authorize, invoke, or 404.</summary>
    public async Task HandleAsync(HttpContext context)
    {
        var routeContext = new RouteContext(context);
        await _routes.RouteAsync(routeContext);
        if (routeContext.Handler is null)
        {
            context.Response.StatusCode = StatusCodes.Status404NotFound;
            return;
        }
        context.Features.Set<IRoutingFeature>(new RoutingFeature { RouteData = routeContext.RouteData });
        context.Request.RouteValues = new RouteValueDictionary(routeContext.RouteData.Values);
        await routeContext.Handler(context);
    }

    bool IsAuthorized(HttpContext context)
    {
        string? presented = context.Request.Headers[FunctionKeyHeader];
        if (string.IsNullOrEmpty(presented))
            presented = context.Request.Query[FunctionKeyQuery];
        return !string.IsNullOrEmpty(presented) &&
               CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(presented), _functionKey);
    }

    async Task InvokeAsync(HttpFunction function, HttpContext context, RouteData routeData)
    {
        if (function.RequiresKey && !IsAuthorized(context))
        {
            context.Response.StatusCode = StatusCodes.Status401Unauthorized;
            return;
        }
        object? instance = null;
        try
        {
            if (!function.Method.IsStatic)
                instance = ActivatorUtilities.CreateInstance(context.RequestServices, function.DeclaringType);
            var args = function.Method.GetParameters()
                .Select(p => p.ParameterType == typeof(HttpRequest) ? (object)context.Request : context.RequestAborted)
                .ToArray();
            var returned = function.Method.Invoke(instance, BindingFlags.DoNotWrapExceptions, null, args, null);
            var result = returned as IActionResult;
            if (returned is Task task)
            {
                await task;
                var type = task.GetType();
                if (type.IsGenericType)
                    result = type.GetProperty(nameof(Task<object>.Result))!.GetValue(task) as IActionResult;
            }
            if (result is not null)
                await result.ExecuteResultAsync(new ActionContext(context, routeData, new ActionDescriptor()));
        }
        catch (Exception e) when (!context.RequestAborted.IsCancellationRequested)
        {
            _logger.LogError(e, "Function {Function} failed on {Method} {Path}", function.Name, context.Request.Method, context.Request.Path);
            if (!context.Response.HasStarted)
            {
                context.Response.Clear();
                context.Response.StatusCode = StatusCodes.Status500InternalServerError;
            }
        }
        finally
        {
            switch (instance)
            {
                case IAsyncDisposable ad: await ad.DisposeAsync(); break;
                case IDisposable d: d.Dispose(); break;
            }
        }
    }

    /// <summary>The route target: a match hands the request to this function.</summary>
    sealed class FunctionRouter(FunctionEndpointMapper mapper, HttpFunction function) : IRouter
    {
        public Task RouteAsync(RouteContext context)
        {
            var routeData = context.RouteData;
            context.Handler = httpContext => mapper.InvokeAsync(function, httpContext, routeData);
            return Task.CompletedTask;
        }

        public VirtualPathData? GetVirtualPath(VirtualPathContext context) => null;
    }
}

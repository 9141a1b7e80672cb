using System.Reflection;
using Caldera.Functions.Management;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.Routing.Template;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.DependencyInjection;

namespace Caldera.Functions.Web;

/// <summary>
/// The management functions (<c>Manage…</c>, route <c>manage/…</c>) found by their attributes, so that an administrator
/// signed in another way than with the function key reaches exactly the same operations, with the same validation,
/// through <see cref="WebAdminFunction"/>. Nothing is listed by hand: a new management function is mirrored as it lands.
/// </summary>
public sealed class ManagementMirror
{
    const string Prefix = "manage/";

    sealed record Entry(string[] Methods, TemplateMatcher Matcher, Type Type, MethodInfo Method);

    readonly List<Entry> _entries = [];

    public ManagementMirror()
    {
        foreach (var type in typeof(ManagementFunctions).Assembly.GetTypes())
        foreach (var method in type.GetMethods(BindingFlags.Public | BindingFlags.Instance))
        {
            if (method.GetCustomAttribute<FunctionAttribute>() is not { } function || !function.Name.StartsWith("Manage", StringComparison.Ordinal))
                continue;
            var trigger = method.GetParameters().Select(p => p.GetCustomAttribute<HttpTriggerAttribute>()).FirstOrDefault(t => t is not null);
            if (trigger?.Route is not { } route || !route.StartsWith(Prefix, StringComparison.Ordinal))
                continue;
            var template = TemplateParser.Parse(route[Prefix.Length..]);
            _entries.Add(new Entry(trigger.Methods ?? [], new TemplateMatcher(template, new RouteValueDictionary()), type, method));
        }
    }

    /// <summary>How many management functions are mirrored (for tests).</summary>
    public int Count => _entries.Count;

    /// <summary>Runs the management function for <paramref name="method"/> and <paramref name="path"/> (without "manage/"), or null when none matches.</summary>
    public async Task<IActionResult?> InvokeAsync(HttpRequest req, string method, string path, CancellationToken ct)
    {
        var values = new RouteValueDictionary();
        var entry = _entries.FirstOrDefault(e =>
            e.Methods.Contains(method, StringComparer.OrdinalIgnoreCase) && e.Matcher.TryMatch("/" + path, values = new RouteValueDictionary()));
        if (entry is null)
            return null;
        // The management functions read their route values from the request, as under their own route.
        foreach (var (key, value) in values)
            req.RouteValues[key] = value;
        var instance = ActivatorUtilities.CreateInstance(req.HttpContext.RequestServices, entry.Type);
        try
        {
            var result = entry.Method.Invoke(instance, BindingFlags.DoNotWrapExceptions, null, [req, ct], null);
            return await (Task<IActionResult>)result!;
        }
        finally
        {
            (instance as IDisposable)?.Dispose();
        }
    }
}

using Microsoft.AspNetCore.Http;

namespace Caldera.Functions.Observability;

/// <summary>
/// The kind of resource a request path names, for logs: never the user, calendar or object names themselves.
/// Follows the URL space of ARCHITECTURE.md (/principals/{user}/, /calendars/{user}/{calendar}/{object}).
/// </summary>
public static class PathClassifier
{
    public const string Root = "root";
    public const string Principal = "principal";
    public const string Home = "home";
    public const string Calendar = "calendar";
    public const string Object = "object";
    public const string Other = "other";

    public static string Classify(PathString path)
    {
        var value = path.Value;
        if (string.IsNullOrEmpty(value) || value == "/")
            return Root;
        Span<Range> parts = stackalloc Range[6];
        var span = value.AsSpan();
        var count = span.Split(parts, '/', StringSplitOptions.RemoveEmptyEntries);
        if (count == 0)
            return Root;
        var first = span[parts[0]];
        if (first.SequenceEqual("principals"))
            return count == 2 ? Principal : Other;
        if (first.SequenceEqual("calendars"))
            return count switch
            {
                2 => Home,
                3 => Calendar,
                4 => Object,
                _ => Other,
            };
        return Other;
    }
}

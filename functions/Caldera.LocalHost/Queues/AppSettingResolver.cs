using System.Text;

namespace Caldera.LocalHost.Queues;

/// <summary>
/// Resolves <c>%Name%</c> segments of trigger arguments from app settings, as the host's name resolver does; text
/// outside the percent signs is literal. A setting is looked up as <c>Name</c>, then with <c>__</c> read as
/// <c>:</c> (how <c>Section__Key</c> environment variables appear in configuration).
/// </summary>
public static class AppSettingResolver
{
    /// <summary>Throws <see cref="InvalidOperationException"/> naming <paramref name="functionName"/> when a setting is missing or empty.</summary>
    public static string Resolve(string template, IConfiguration configuration, string functionName)
    {
        ArgumentNullException.ThrowIfNull(template);
        var result = new StringBuilder(template.Length);
        var i = 0;
        while (i < template.Length)
        {
            var open = template.IndexOf('%', i);
            if (open < 0)
            {
                result.Append(template, i, template.Length - i);
                break;
            }
            var close = template.IndexOf('%', open + 1);
            if (close < 0)
                throw new InvalidOperationException($"Function {functionName}: '{template}' has a '%' without its closing '%'.");
            var name = template[(open + 1)..close];
            var value = Lookup(configuration, name) ?? throw new InvalidOperationException(
                $"Function {functionName}: the app setting '{name}' used in '{template}' is not set " +
                $"(looked up '{name}'{(name.Contains("__", StringComparison.Ordinal) ? $" and '{name.Replace("__", ":", StringComparison.Ordinal)}'" : "")}).");
            result.Append(template, i, open - i).Append(value);
            i = close + 1;
        }
        return result.ToString();
    }

    static string? Lookup(IConfiguration configuration, string name)
    {
        if (name.Length == 0)
            return null;
        var value = configuration[name];
        if (string.IsNullOrEmpty(value) && name.Contains("__", StringComparison.Ordinal))
            value = configuration[name.Replace("__", ":", StringComparison.Ordinal)];
        return string.IsNullOrEmpty(value) ? null : value;
    }
}

namespace Caldera.Calendars.Query;

/// <summary>Substring matching under the collations RFC 4791 §7.5 requires.</summary>
public static class TextMatcher
{
    public static readonly IReadOnlyList<string> Collations = ["i;ascii-casemap", "i;octet"];

    public static bool IsSupported(string collation) => Collations.Contains(collation);

    public static bool Matches(TextMatch match, string? value)
    {
        var found = value is not null && (match.Collation == "i;octet"
            ? value.Contains(match.Value, StringComparison.Ordinal)
            : AsciiUpper(value).Contains(AsciiUpper(match.Value), StringComparison.Ordinal));
        return found != match.Negate;
    }

    /// <summary>RFC 4790 §9.2 i;ascii-casemap: only a-z fold to A-Z (OrdinalIgnoreCase would also fold é/É, the Kelvin sign...).</summary>
    static string AsciiUpper(string s) =>
        string.Create(s.Length, s, static (span, source) =>
        {
            for (int i = 0; i < source.Length; i++)
                span[i] = source[i] is >= 'a' and <= 'z' ? (char)(source[i] - 32) : source[i];
        });
}

namespace Caldera.Calendars.Query;

/// <summary>Substring matching under the collations RFC 4791 §7.5 requires.</summary>
public static class TextMatcher
{
    public static readonly IReadOnlyList<string> Collations = ["i;ascii-casemap", "i;octet"];

    public static bool IsSupported(string collation) => Collations.Contains(collation);

    public static bool Matches(TextMatch match, string? value)
    {
        var found = value is not null && value.Contains(match.Value,
            match.Collation == "i;octet" ? StringComparison.Ordinal : StringComparison.OrdinalIgnoreCase);
        return found != match.Negate;
    }
}

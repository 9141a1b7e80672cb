using System.Globalization;
using System.Text;

namespace Caldera.Calendars.Query;

/// <summary>
/// Substring matching under the collations of RFC 4791 §7.5: <c>i;ascii-casemap</c> and <c>i;octet</c> (RFC 4790 §9)
/// and <c>i;unicode-casemap</c> (RFC 5051).
/// </summary>
public static class TextMatcher
{
    public const string AsciiCasemap = "i;ascii-casemap";
    public const string Octet = "i;octet";
    public const string UnicodeCasemap = "i;unicode-casemap";

    public static readonly IReadOnlyList<string> Collations = [AsciiCasemap, Octet, UnicodeCasemap];

    public static bool IsSupported(string collation) => Collations.Contains(collation);

    public static bool Matches(TextMatch match, string? value)
    {
        var found = value is not null && match.Collation switch
        {
            Octet => value.Contains(match.Value, StringComparison.Ordinal),
            UnicodeCasemap => UnicodeFold(value).Contains(UnicodeFold(match.Value), StringComparison.Ordinal),
            _ => AsciiUpper(value).Contains(AsciiUpper(match.Value), StringComparison.Ordinal),
        };
        return found != match.Negate;
    }

    /// <summary>RFC 4790 §9.2 i;ascii-casemap: only a-z fold to A-Z (OrdinalIgnoreCase would also fold é/É, the Kelvin sign...).</summary>
    static string AsciiUpper(string s) =>
        string.Create(s.Length, s, static (span, source) =>
        {
            for (int i = 0; i < source.Length; i++)
                span[i] = source[i] is >= 'a' and <= 'z' ? (char)(source[i] - 32) : source[i];
        });

    /// <summary>
    /// RFC 5051 i;unicode-casemap canonicalises each string by mapping every character to its titlecase form and
    /// then decomposing it (NFKD). This approximates it with .NET: NFKD, then the invariant upper-case mapping (a
    /// simple, one-to-one Unicode case fold from the runtime's own tables: "é"/"É", "σ"/"ς"/"Σ", "ж"/"Ж" meet), then
    /// NFKD again. Known differences: titlecase vs uppercase digraphs (ǅ), and — because the server runs with
    /// InvariantGlobalization, where the runtime has no normalisation data and leaves non-ASCII text as it is —
    /// precomposed and decomposed forms ("é" vs "e"+U+0301) and compatibility forms (ligatures, full-width letters)
    /// are not unified; with ICU available they would be.
    /// </summary>
    public static string UnicodeFold(string s)
    {
        string decomposed;
        try
        {
            decomposed = s.Normalize(NormalizationForm.FormKD);
        }
        catch (Exception e) when (e is ArgumentException or PlatformNotSupportedException)
        {
            decomposed = s; // lone surrogates cannot be normalised
        }
        var upper = decomposed.ToUpperInvariant();
        try
        {
            return upper.Normalize(NormalizationForm.FormKD);
        }
        catch (Exception e) when (e is ArgumentException or PlatformNotSupportedException)
        {
            return upper;
        }
    }
}

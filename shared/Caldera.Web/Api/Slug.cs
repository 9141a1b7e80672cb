using System.Globalization;
using System.Text;

namespace Caldera.Web.Api;

/// <summary>Ids made from names: lower-case ASCII letters, digits and single dashes (accents dropped), bounded.</summary>
public static class Slug
{
    public const int MaxLength = 40;

    public static string From(string? text, string fallback)
    {
        var sb = new StringBuilder();
        foreach (var c in (text ?? "").Normalize(NormalizationForm.FormD))
        {
            if (CharUnicodeInfo.GetUnicodeCategory(c) == UnicodeCategory.NonSpacingMark)
                continue;
            if (char.IsAsciiLetterOrDigit(c))
                sb.Append(char.ToLowerInvariant(c));
            else if (sb.Length > 0 && sb[^1] != '-')
                sb.Append('-');
            if (sb.Length >= MaxLength)
                break;
        }
        var slug = sb.ToString().Trim('-');
        return slug.Length == 0 ? fallback : slug;
    }

    /// <summary><paramref name="slug"/>, then slug-2, slug-3, … (for the attempt number).</summary>
    public static string Numbered(string slug, int attempt) => attempt <= 1 ? slug : $"{slug}-{attempt}";
}

namespace Caldera.Web.Api;

/// <summary>Ids made from names: lower-case letters, digits and single dashes, bounded in length.</summary>
public static class Slug
{
    public const int MaxLength = 40;

    /// <param name="asciiOnly">Only ASCII letters and digits (feed ids must be); otherwise any letter, lower-cased.</param>
    public static string From(string? text, string fallback, bool asciiOnly = false)
    {
        var chars = new List<char>();
        foreach (var c in text ?? "")
        {
            if (asciiOnly ? char.IsAsciiLetterOrDigit(c) : char.IsLetterOrDigit(c) && !char.IsSurrogate(c))
                chars.Add(char.ToLowerInvariant(c));
            else if (chars.Count > 0 && chars[^1] != '-')
                chars.Add('-');
            if (chars.Count >= MaxLength)
                break;
        }
        var slug = new string(chars.ToArray()).Trim('-');
        return slug.Length == 0 ? fallback : slug;
    }

    /// <summary><paramref name="slug"/>, then slug-2, slug-3, … (for the attempt number).</summary>
    public static string Numbered(string slug, int attempt) => attempt <= 1 ? slug : $"{slug}-{attempt}";
}

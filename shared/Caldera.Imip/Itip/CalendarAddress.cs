namespace Caldera.Imip.Itip;

/// <summary>Calendar user addresses as iTIP compares them: "mailto:" URIs, case-insensitive (RFC 5546 §3.1).</summary>
public static class CalendarAddress
{
    /// <summary>The bare lower-case email of a mailto: URI or an address; null for other schemes or blanks.</summary>
    public static string? Normalize(Uri? uri) => uri is null ? null : Normalize(uri.OriginalString);

    public static string? Normalize(string? value)
    {
        if (string.IsNullOrWhiteSpace(value))
            return null;
        var text = Uri.UnescapeDataString(value.Trim());
        if (text.StartsWith("mailto:", StringComparison.OrdinalIgnoreCase))
            text = text["mailto:".Length..];
        else if (text.Contains(':'))
            return null; // another scheme (urn:, http:): not an email address
        text = text.Trim().ToLowerInvariant();
        // No address has a control character or a blank inside; refusing them keeps forged line breaks out of the
        // logs and status rows that show addresses.
        if (text.Any(c => char.IsControl(c) || char.IsWhiteSpace(c)))
            return null;
        // "mailto:sip:x@y" (Ical.Net prefixes mailto: to some other schemes) is not an email either.
        if (text.Contains(':'))
            return null;
        return text.Length is > 0 and <= 320 && text.IndexOf('@') > 0 ? text : null;
    }

    public static bool Same(string? a, string? b) => a is not null && b is not null && a == b;
}

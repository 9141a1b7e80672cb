namespace Caldera.Dav.Scheduling;

/// <summary>Calendar user addresses (RFC 5545 CAL-ADDRESS) as the outbox compares them: mailto: URIs, case-insensitively.</summary>
public static class CalendarUserAddress
{
    /// <summary>The lower-case email of a mailto: address, or null for another scheme or one that is no plain address.</summary>
    public static string? Email(string address)
    {
        if (!address.StartsWith("mailto:", StringComparison.OrdinalIgnoreCase))
            return null;
        string email;
        try { email = Uri.UnescapeDataString(address["mailto:".Length..]).Trim(); }
        catch (UriFormatException) { return null; }
        // One @, no blanks or control characters (they never belong to an address, and would reach logs and replies).
        return email.Length is > 2 and <= 320 && email.IndexOf('@') > 0 && email.IndexOf('@') == email.LastIndexOf('@')
            && !email.Any(c => char.IsControl(c) || char.IsWhiteSpace(c))
            ? email.ToLowerInvariant()
            : null;
    }
}

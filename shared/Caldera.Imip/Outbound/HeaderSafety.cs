using System.Text;
using Caldera.Imip.Itip;
using MimeKit;

namespace Caldera.Imip.Outbound;

/// <summary>
/// Keeps what goes into an outbound header harmless: addresses are validated (one mailbox, a domain, no control
/// characters, so no CR/LF can start a header of its own), free text (SUMMARY, names) loses control characters.
/// </summary>
public static class HeaderSafety
{
    public const int MaxSubjectText = 200;
    public const int MaxName = 100;

    static readonly ParserOptions Strict = CreateStrict();

    static ParserOptions CreateStrict()
    {
        var options = ParserOptions.Default.Clone();
        options.AllowAddressesWithoutDomain = false;
        options.AddressParserComplianceMode = RfcComplianceMode.Strict;
        return options;
    }

    /// <summary>The lower-case bare address, or null when <paramref name="value"/> is not exactly one plain email address.</summary>
    public static string? Address(string? value)
    {
        if (value is null || value.Any(char.IsControl))
            return null;
        var normalized = CalendarAddress.Normalize(value);
        if (normalized is null || normalized.Contains(',') || normalized.Contains('<') || normalized.Contains('"'))
            return null;
        return MailboxAddress.TryParse(Strict, normalized, out var mailbox) &&
               string.Equals(mailbox.Address, normalized, StringComparison.OrdinalIgnoreCase) &&
               normalized.IndexOf('@') is > 0 and var at && at < normalized.Length - 1
            ? normalized
            : null;
    }

    /// <summary>"Name &lt;address&gt;" or "address" as one mailbox; null for anything else (groups, lists, control characters).</summary>
    public static MailboxAddress? ParseMailbox(string? value)
    {
        if (string.IsNullOrWhiteSpace(value) || value.Any(char.IsControl))
            return null;
        if (!InternetAddressList.TryParse(Strict, value, out var list) || list.Count != 1 || list[0] is not MailboxAddress mailbox)
            return null;
        return Address(mailbox.Address) is { } address ? new MailboxAddress(Text(mailbox.Name, MaxName), address) : null;
    }

    /// <summary>Free text for a header or a line: control characters (CR, LF, TAB, …) become spaces, runs of blanks one, clipped.</summary>
    public static string Text(string? value, int max)
    {
        if (string.IsNullOrEmpty(value))
            return "";
        var builder = new StringBuilder(Math.Min(value.Length, max + 1));
        var blank = false;
        foreach (var c in value)
        {
            var space = char.IsControl(c) || char.IsWhiteSpace(c) || char.GetUnicodeCategory(c) is System.Globalization.UnicodeCategory.Format
                or System.Globalization.UnicodeCategory.LineSeparator or System.Globalization.UnicodeCategory.ParagraphSeparator;
            if (space)
            {
                blank = builder.Length > 0;
                continue;
            }
            if (blank)
                builder.Append(' ');
            blank = false;
            builder.Append(c);
            if (builder.Length >= max)
                break;
        }
        var text = builder.ToString();
        // Never end inside a surrogate pair.
        return text.Length > 0 && char.IsHighSurrogate(text[^1]) ? text[..^1] : text;
    }
}

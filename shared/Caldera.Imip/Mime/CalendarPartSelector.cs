using MimeKit;

namespace Caldera.Imip.Mime;

/// <summary>
/// Chooses the one calendar a message carries. Only a calendar part with a method parameter (RFC 6047 §2.4)
/// is iTIP content; a part without one (application/ics, a plain .ics attachment) may only repeat it. Clients
/// often send the same calendar twice (Gmail's inline part plus invite.ics, Outlook's inline part plus an
/// attachment): identical copies count as one, any difference refuses the message rather than guessing which
/// copy the sender's user saw.
/// </summary>
internal static class CalendarPartSelector
{
    public static (string Method, string Text) Select(IReadOnlyList<MimePart> parts, ImipLimits limits)
    {
        if (parts.Count == 0)
            throw new MailRefusedException(ImipRefusalCodes.NotCalendar, "The message has no text/calendar part.");

        var decoded = parts
            .Select(part => (Method: MethodOf(part), Text: CalendarCharset.Decode(StrictTransferDecoder.Decode(part, limits.MaxCalendarBytes), part.ContentType)))
            .ToList();

        var withMethod = decoded.Where(d => d.Method is not null).ToList();
        if (withMethod.Count == 0)
            throw new MailRefusedException(ImipRefusalCodes.NoMethod,
                "No calendar part of the message has a method parameter, so it is not an iTIP message.");

        var methods = withMethod.Select(d => d.Method!).Distinct(StringComparer.Ordinal).ToList();
        if (methods.Count > 1)
            throw new MailRefusedException(ImipRefusalCodes.ConflictingParts,
                $"The message's calendar parts have different methods ({string.Join(", ", methods)}).");

        var chosen = withMethod[0];
        var normalized = CalendarTextNormalizer.Normalize(chosen.Text);
        if (decoded.Any(d => !string.Equals(CalendarTextNormalizer.Normalize(d.Text), normalized, StringComparison.Ordinal)))
            throw new MailRefusedException(ImipRefusalCodes.ConflictingParts,
                "The message's calendar parts hold different calendars.");
        return (chosen.Method!, chosen.Text);
    }

    // The method is an iCalendar token (RFC 5545 iana-token / x-name); anything else is no method at all.
    private static string? MethodOf(MimePart part)
    {
        if (!part.ContentType.IsMimeType("text", "calendar")
            || !part.ContentType.Parameters.TryGetValue("method", out string? value))
            return null;
        var method = value.Trim();
        return method.Length > 0 && method.All(c => char.IsAsciiLetterOrDigit(c) || c == '-')
            ? method.ToUpperInvariant()
            : null;
    }
}

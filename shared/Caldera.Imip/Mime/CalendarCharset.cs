using System.Text;
using MimeKit;

namespace Caldera.Imip.Mime;

/// <summary>
/// Turns a calendar part's decoded bytes into text with the part's charset (MimeKit resolves names and aliases;
/// iCalendar's default, UTF-8, when there is none). Decoding is strict: bytes that are not valid in the charset,
/// or a charset nobody knows, refuse the message instead of becoming replacement characters in a calendar.
/// </summary>
internal static class CalendarCharset
{
    static CalendarCharset()
    {
        // .NET only has UTF-*, ASCII and Latin-1 built in; mail also comes as windows-125x, ISO-8859-x, KOI8-R, ….
        Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);
    }

    public static string Decode(byte[] bytes, ContentType type)
    {
        var encoding = Strict(type);
        string text;
        try
        {
            text = encoding.GetString(bytes);
        }
        catch (DecoderFallbackException)
        {
            throw StrictTransferDecoder.Broken($"its bytes are not valid {encoding.WebName}");
        }
        return text.Length > 0 && text[0] == '\uFEFF' ? text[1..] : text;
    }

    private static Encoding Strict(ContentType type)
    {
        if (string.IsNullOrWhiteSpace(type.Charset))
            return new UTF8Encoding(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);
        Encoding? known;
        try
        {
            known = type.CharsetEncoding;
        }
        catch (Exception e) when (e is ArgumentException or NotSupportedException)
        {
            known = null;
        }
        if (known is null)
            throw StrictTransferDecoder.Broken($"its charset '{type.Charset}' is unknown");
        var strict = (Encoding)known.Clone();
        strict.DecoderFallback = DecoderFallback.ExceptionFallback;
        return strict;
    }
}

using System.Text;

namespace Caldera.Calendars;

/// <summary>
/// The byte-order marks a calendar body may start with. PUT strips a UTF-8 BOM, so stored bodies are plain UTF-8;
/// bodies stored before that still start with one, and Ical.Net would read U+FEFF as part of "BEGIN". Every reader
/// of stored bodies goes through <see cref="Read"/>.
/// </summary>
public static class CalendarText
{
    static readonly byte[] Utf8Bom = [0xEF, 0xBB, 0xBF];

    /// <summary>UTF-16 (FF FE, FE FF) and UTF-32 (FF FE 00 00, 00 00 FE FF): text/calendar is UTF-8 only (RFC 5545 §6).</summary>
    public static bool HasForeignBom(ReadOnlySpan<byte> body) =>
        body.StartsWith((ReadOnlySpan<byte>)[0xFF, 0xFE]) || body.StartsWith((ReadOnlySpan<byte>)[0xFE, 0xFF])
        || body.StartsWith((ReadOnlySpan<byte>)[0x00, 0x00, 0xFE, 0xFF]);

    /// <summary>The body without a leading UTF-8 BOM (the same array when there is none).</summary>
    public static byte[] WithoutBom(byte[] body) => body.AsSpan().StartsWith(Utf8Bom) ? body[Utf8Bom.Length..] : body;

    /// <summary>A stored body as text, a leading UTF-8 BOM dropped; invalid bytes become U+FFFD (it was validated at PUT).</summary>
    public static string Read(byte[] body) =>
        Encoding.UTF8.GetString(body.AsSpan().StartsWith(Utf8Bom) ? body.AsSpan(Utf8Bom.Length) : body);
}

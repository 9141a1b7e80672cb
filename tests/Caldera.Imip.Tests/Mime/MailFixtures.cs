using System.Text;

namespace Caldera.Imip.Tests.Mime;

/// <summary>Loads the .eml fixtures and builds the messages that are better made in code (huge, deep, edge cases).</summary>
internal static class MailFixtures
{
    public static string PathOf(string name) => Path.Combine(AppContext.BaseDirectory, "Fixtures", name);

    public static Stream Open(string name) => File.OpenRead(PathOf(name));

    /// <summary>The calendar text a fixture carries, exactly as its sender wrote it (CRLF, UTF-8 on disk).</summary>
    public static string Expected(string name) => File.ReadAllText(PathOf(Path.Combine("Expected", name)), Encoding.UTF8);

    /// <summary>A message from text written with \n line ends; each char is one byte (Latin-1), so \u0080-\u00FF write raw bytes.</summary>
    public static MemoryStream Eml(string text) =>
        new(Encoding.Latin1.GetBytes(text.ReplaceLineEndings("\n").Replace("\n", "\r\n")));

    public static string Base64Lines(byte[] bytes)
    {
        var encoded = Convert.ToBase64String(bytes);
        return string.Join("\n", Enumerable.Range(0, (encoded.Length + 75) / 76).Select(i => encoded.Substring(i * 76, Math.Min(76, encoded.Length - i * 76))));
    }

    public const string Headers = """
        From: Olivia Organizer <organizer@example.com>
        To: alice@example.com
        Subject: Invitation
        Date: Mon, 1 Mar 2027 09:15:00 +0000
        Message-ID: <generated@example.com>
        MIME-Version: 1.0

        """;

    public static string Calendar(string method = "REQUEST", string summary = "Generated", string uid = "generated-1@example.com") => $"""
        BEGIN:VCALENDAR
        PRODID:-//Caldera//Tests//EN
        VERSION:2.0
        METHOD:{method}
        BEGIN:VEVENT
        UID:{uid}
        DTSTAMP:20270301T091500Z
        DTSTART:20270315T100000Z
        DTEND:20270315T110000Z
        SUMMARY:{summary}
        ORGANIZER:mailto:organizer@example.com
        ATTENDEE;PARTSTAT=NEEDS-ACTION:mailto:alice@example.com
        END:VEVENT
        END:VCALENDAR

        """.ReplaceLineEndings("\r\n");

    /// <summary>A text/calendar part (headers and body) in 7bit.</summary>
    public static string CalendarPart(string contentType = "text/calendar; charset=utf-8; method=REQUEST", string? calendar = null) => $"""
        Content-Type: {contentType}
        Content-Transfer-Encoding: 7bit

        {calendar ?? Calendar()}
        """;

    /// <summary>A message whose calendar part sits inside <paramref name="depth"/> nested multiparts.</summary>
    public static MemoryStream Nested(int depth)
    {
        var text = new StringBuilder(Headers.TrimEnd('\n') + "\n");
        for (var i = 0; i < depth; i++)
            text.Append($"Content-Type: multipart/mixed; boundary=\"level-{i}\"\n\n--level-{i}\n");
        text.Append(CalendarPart());
        for (var i = depth - 1; i >= 0; i--)
            text.Append($"\n--level-{i}--\n");
        return Eml(text.ToString());
    }

    /// <summary>A top-level multipart/mixed around the given parts.</summary>
    public static MemoryStream Mixed(params string[] parts) => Multipart("mixed", Headers.TrimEnd('\n') + "\n", parts);

    public static MemoryStream Multipart(string subtype, string headers, params string[] parts)
    {
        var text = new StringBuilder(headers);
        text.Append($"Content-Type: multipart/{subtype}; boundary=\"outer\"\n\n");
        foreach (var part in parts)
            // The line end before a boundary belongs to the boundary: an empty line keeps the part's own last line end.
            text.Append("--outer\n").Append(part.EndsWith('\n') ? part : part + "\n").Append('\n');
        text.Append("--outer--\n");
        return Eml(text.ToString());
    }
}

/// <summary>
/// A message of any length made up while it is read (a calendar invitation with a huge attachment), so that a
/// 50 MB mail costs the test no memory; it counts what the reader pulled from it.
/// </summary>
internal sealed class HugeMessageStream(long length, bool seekable) : Stream
{
    private static readonly byte[] Prefix = Encoding.ASCII.GetBytes((MailFixtures.Headers + """
        Content-Type: multipart/mixed; boundary="huge"

        --huge
        Content-Type: text/calendar; charset=utf-8; method=REQUEST

        BEGIN:VCALENDAR
        METHOD:REQUEST
        END:VCALENDAR
        --huge
        Content-Type: application/octet-stream; name="video.mp4"
        Content-Disposition: attachment; filename="video.mp4"
        Content-Transfer-Encoding: base64


        """).ReplaceLineEndings("\r\n"));
    private static readonly byte[] Line = Encoding.ASCII.GetBytes(new string('Q', 76) + "\r\n");
    private static readonly byte[] Suffix = Encoding.ASCII.GetBytes("\r\n--huge--\r\n");
    private long position;

    public long BytesRead { get; private set; }
    public override bool CanRead => true;
    public override bool CanSeek => seekable;
    public override bool CanWrite => false;
    public override long Length => seekable ? length : throw new NotSupportedException();
    public override long Position { get => position; set => throw new NotSupportedException(); }

    public override int Read(byte[] buffer, int offset, int count)
    {
        var n = (int)Math.Min(count, length - position);
        for (var i = 0; i < n; i++)
            buffer[offset + i] = ByteAt(position + i);
        position += n;
        BytesRead += n;
        return n;
    }

    private byte ByteAt(long at)
    {
        if (at < Prefix.Length)
            return Prefix[at];
        if (at >= length - Suffix.Length)
            return Suffix[at - (length - Suffix.Length)];
        return Line[(at - Prefix.Length) % Line.Length];
    }

    public override void Flush() { }
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}

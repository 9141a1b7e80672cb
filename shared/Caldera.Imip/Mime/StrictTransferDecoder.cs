using System.Buffers;
using MimeKit;

namespace Caldera.Imip.Mime;

/// <summary>
/// Undoes a part's Content-Transfer-Encoding, refusing what does not decode cleanly. MimeKit's own decoders are
/// lenient (base64 skips characters outside the alphabet, truncated input just ends), which would let a damaged
/// or doctored calendar through as some other text; here invalid characters, misplaced padding, truncation and
/// malformed quoted-printable escapes are refusals. Output stops one byte past the calendar limit.
/// </summary>
internal static class StrictTransferDecoder
{
    public static byte[] Decode(MimePart part, int maxDecodedBytes)
    {
        var output = new CappedOutput(maxDecodedBytes);
        var decoder = DecoderFor(part);
        if (part.Content is { Stream: { } encoded })
        {
            if (encoded.CanSeek)
                encoded.Position = 0;
            var chunk = ArrayPool<byte>.Shared.Rent(16 * 1024);
            try
            {
                int read;
                while ((read = encoded.Read(chunk, 0, chunk.Length)) > 0)
                    decoder.Feed(chunk.AsSpan(0, read), output);
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(chunk);
            }
        }
        decoder.End();
        return output.ToArray();
    }

    private static IStrictDecoder DecoderFor(MimePart part)
    {
        var header = part.Headers[HeaderId.ContentTransferEncoding];
        var name = header?.Trim().ToLowerInvariant();
        return name switch
        {
            null or "" or "7bit" or "8bit" or "binary" => new Identity(),
            "base64" => new Base64(),
            "quoted-printable" => new QuotedPrintable(),
            _ => throw Broken($"the transfer encoding '{header}' is not one a calendar part may use"),
        };
    }

    internal static MailRefusedException Broken(string why) =>
        new(ImipRefusalCodes.BrokenEncoding, $"A calendar part does not decode cleanly: {why}.");

    private interface IStrictDecoder
    {
        void Feed(ReadOnlySpan<byte> input, CappedOutput output);
        void End();
    }

    private sealed class Identity : IStrictDecoder
    {
        public void Feed(ReadOnlySpan<byte> input, CappedOutput output) => output.Write(input);
        public void End() { }
    }

    /// <summary>RFC 2045 §6.8 without the leniency: only the alphabet, line whitespace and final padding.</summary>
    private sealed class Base64 : IStrictDecoder
    {
        private int quantum;   // up to 24 bits collected so far
        private int count;     // characters in the current quantum, padding included
        private int padding;   // '=' seen in the current quantum
        private bool ended;    // a padded quantum closed the data

        public void Feed(ReadOnlySpan<byte> input, CappedOutput output)
        {
            foreach (var c in input)
            {
                if (c is (byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n')
                    continue;
                if (ended)
                    throw Broken("base64 data continues after its padding");
                if (c == (byte)'=')
                {
                    if (count < 2)
                        throw Broken("base64 padding in the wrong place");
                    padding++;
                    quantum <<= 6;
                }
                else
                {
                    var value = ValueOf(c);
                    if (value < 0)
                        throw Broken($"base64 holds the character 0x{c:X2}");
                    if (padding > 0)
                        throw Broken("base64 data after padding");
                    quantum = (quantum << 6) | value;
                }
                if (++count < 4)
                    continue;
                output.Write((byte)(quantum >> 16));
                if (padding < 2)
                    output.Write((byte)(quantum >> 8));
                if (padding < 1)
                    output.Write((byte)quantum);
                ended = padding > 0;
                quantum = count = padding = 0;
            }
        }

        public void End()
        {
            if (count != 0)
                throw Broken("base64 data is truncated");
        }

        private static int ValueOf(byte c) => c switch
        {
            >= (byte)'A' and <= (byte)'Z' => c - 'A',
            >= (byte)'a' and <= (byte)'z' => c - 'a' + 26,
            >= (byte)'0' and <= (byte)'9' => c - '0' + 52,
            (byte)'+' => 62,
            (byte)'/' => 63,
            _ => -1,
        };
    }

    /// <summary>RFC 2045 §6.7: '=' must start a two-digit hex escape or a soft line break.</summary>
    private sealed class QuotedPrintable : IStrictDecoder
    {
        private enum State { Text, Equals, FirstHex, SoftBreakSpace, SoftBreakCr }

        private State state;
        private int high;

        public void Feed(ReadOnlySpan<byte> input, CappedOutput output)
        {
            foreach (var c in input)
            {
                switch (state)
                {
                    case State.Text when c == (byte)'=':
                        state = State.Equals;
                        break;
                    case State.Text:
                        output.Write(c);
                        break;
                    case State.Equals when HexValue(c) is var h and >= 0:
                        high = h;
                        state = State.FirstHex;
                        break;
                    case State.FirstHex when HexValue(c) is var low and >= 0:
                        output.Write((byte)(high << 4 | low));
                        state = State.Text;
                        break;
                    // Transport may add whitespace after the soft break's '=' (RFC 2045 §6.7 rule 3).
                    case State.Equals or State.SoftBreakSpace when c is (byte)' ' or (byte)'\t':
                        state = State.SoftBreakSpace;
                        break;
                    case State.Equals or State.SoftBreakSpace when c == (byte)'\r':
                        state = State.SoftBreakCr;
                        break;
                    case State.Equals or State.SoftBreakSpace or State.SoftBreakCr when c == (byte)'\n':
                        state = State.Text;
                        break;
                    default:
                        throw Broken("quoted-printable holds an '=' that is neither an escape nor a soft line break");
                }
            }
        }

        // A final '=' is a soft break whose line end went to the MIME boundary.
        public void End()
        {
            if (state == State.FirstHex)
                throw Broken("quoted-printable data is truncated");
        }

        private static int HexValue(byte c) => c switch
        {
            >= (byte)'0' and <= (byte)'9' => c - '0',
            >= (byte)'A' and <= (byte)'F' => c - 'A' + 10,
            >= (byte)'a' and <= (byte)'f' => c - 'a' + 10,
            _ => -1,
        };
    }

    /// <summary>Collects decoded bytes and refuses once they pass the calendar limit, before decoding the rest.</summary>
    private sealed class CappedOutput(int maxBytes)
    {
        private readonly MemoryStream bytes = new();

        public void Write(byte b)
        {
            Check(1);
            bytes.WriteByte(b);
        }

        public void Write(ReadOnlySpan<byte> span)
        {
            Check(span.Length);
            bytes.Write(span);
        }

        public byte[] ToArray() => bytes.ToArray();

        private void Check(int adding)
        {
            if (bytes.Length + adding > maxBytes)
                throw new MailRefusedException(ImipRefusalCodes.CalendarTooLarge,
                    $"A calendar part decodes to more than {maxBytes} bytes.");
        }
    }
}

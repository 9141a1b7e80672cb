using System.Buffers;
using MimeKit.IO;

namespace Caldera.Imip.Mime;

/// <summary>
/// Gives the parser the raw message as a seekable stream of at most MaxMessageBytes, refusing as soon as it is
/// longer: a sender must not be able to make us hold (or even read) more than the limit + 1 bytes. A seekable
/// stream (a blob, a file, bytes already in memory) tells its length and is parsed in place, without a copy; any
/// other stream (an HTTP body) is copied into a MemoryBlockStream, which grows in blocks without MemoryStream's
/// doubling copies. MimeKit then parses it persistently: parts are slices of it, not copies.
/// </summary>
internal static class BoundedMessageSource
{
    private const int ChunkSize = 64 * 1024;

    public static Stream Open(Stream raw, long maxBytes)
    {
        if (raw.CanSeek)
            return InPlace(raw, maxBytes);
        var buffer = new MemoryBlockStream();
        var chunk = ArrayPool<byte>.Shared.Rent(ChunkSize);
        try
        {
            long total = 0;
            int read;
            while ((read = raw.Read(chunk, 0, NextRead(chunk.Length, maxBytes, total))) > 0)
                total = Append(buffer, chunk, read, total, maxBytes);
            buffer.Position = 0;
            return buffer;
        }
        catch
        {
            buffer.Dispose();
            throw;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(chunk);
        }
    }

    // Refused without reading a byte when too long; otherwise a window that ends at the stated length even if the
    // stream has more to give. The caller's stream stays open: it is theirs.
    private static BoundStream InPlace(Stream raw, long maxBytes)
    {
        var start = raw.Position;
        if (raw.Length - start > maxBytes)
            throw TooLarge(maxBytes);
        return new BoundStream(raw, start, raw.Length, leaveOpen: true);
    }

    // Never ask for more than one byte beyond the limit: that byte is enough to know the message is too large.
    private static int NextRead(int chunkLength, long maxBytes, long total) =>
        (int)Math.Min(chunkLength, maxBytes + 1 - total);

    private static long Append(MemoryBlockStream buffer, byte[] chunk, int read, long total, long maxBytes)
    {
        total += read;
        if (total > maxBytes)
            throw TooLarge(maxBytes);
        buffer.Write(chunk, 0, read);
        return total;
    }

    private static MailRefusedException TooLarge(long maxBytes) =>
        new(ImipRefusalCodes.TooLarge, $"The message is longer than {maxBytes} bytes.");
}

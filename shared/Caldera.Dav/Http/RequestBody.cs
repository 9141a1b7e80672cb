using Microsoft.AspNetCore.Http;

namespace Caldera.Dav;

/// <summary>Reads a request body up to a limit, refusing larger ones with 413 before buffering them whole.</summary>
public static class RequestBody
{
    public static async Task<byte[]> ReadAsync(HttpRequest request, long maxBytes, CancellationToken ct, XmlElementFactory? onTooLarge = null)
    {
        if (request.ContentLength is { } declared && declared > maxBytes)
            throw TooLarge(maxBytes, onTooLarge);
        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        while (true)
        {
            var read = await request.Body.ReadAsync(chunk, ct);
            if (read == 0)
                break;
            if (buffer.Length + read > maxBytes)
                throw TooLarge(maxBytes, onTooLarge);
            buffer.Write(chunk, 0, read);
        }
        return buffer.ToArray();
    }

    static DavException TooLarge(long maxBytes, XmlElementFactory? condition) =>
        new(413, $"the body is larger than {maxBytes} bytes", condition?.Invoke());
}

public delegate System.Xml.Linq.XElement XmlElementFactory();

using System.Text;
using System.Xml;
using System.Xml.Linq;
using Microsoft.AspNetCore.Http;

namespace Caldera.Dav.Xml;

/// <summary>Reads request XML safely (no DTDs, no resolver, bounded) and writes XML responses.</summary>
public static class DavXml
{
    /// <summary>
    /// Deepest element nesting a request may have (the deepest CalDAV body, a calendar-query filter, needs about 8).
    /// XDocument has no such limit, and code that walks a tree recursively would overflow the stack on a deep one.
    /// </summary>
    public const int MaxDepth = 64;

    /// <summary>
    /// How every XML answer is written. Synchronous: writers fill a memory buffer, and only copying that buffer to
    /// the response is asynchronous (an async XmlWriter pays for a task per node).
    /// </summary>
    internal static readonly XmlWriterSettings WriterSettings = new()
    {
        Encoding = new UTF8Encoding(false),
        Indent = false,
    };

    /// <summary>
    /// Parses an XML body; null when the body is empty. 400 for malformed XML, 413 when too large. Whitespace-only text
    /// is dropped unless <paramref name="load"/> keeps it (PROPPATCH: dead property values are stored as given).
    /// </summary>
    public static async Task<XDocument?> ReadAsync(HttpRequest request, long maxBytes, CancellationToken ct, LoadOptions load = LoadOptions.None)
    {
        var bytes = await RequestBody.ReadAsync(request, maxBytes, ct);
        if (bytes.Length == 0 || bytes.All(b => b is (byte)' ' or (byte)'\r' or (byte)'\n' or (byte)'\t'))
            return null;
        var settings = new XmlReaderSettings
        {
            DtdProcessing = DtdProcessing.Prohibit,
            XmlResolver = null,
            MaxCharactersInDocument = maxBytes,
            MaxCharactersFromEntities = 1024,
            IgnoreComments = true,
            IgnoreProcessingInstructions = true,
            Async = false,
        };
        try
        {
            CheckDepth(bytes, settings);
            using var reader = XmlReader.Create(new MemoryStream(bytes), settings);
            return XDocument.Load(reader, load);
        }
        catch (XmlException e)
        {
            throw DavException.BadRequest("malformed XML: " + e.Message);
        }
    }

    /// <summary>A streaming pass that refuses a body nested deeper than <see cref="MaxDepth"/> before any tree is built.</summary>
    static void CheckDepth(byte[] bytes, XmlReaderSettings settings)
    {
        using var reader = XmlReader.Create(new MemoryStream(bytes), settings);
        while (reader.Read())
            if (reader.NodeType == XmlNodeType.Element && reader.Depth >= MaxDepth)
                throw DavException.BadRequest($"the XML body nests elements deeper than {MaxDepth} levels");
    }

    /// <summary>A small XML body (an error, a 403 mkcalendar-response), written whole; a multistatus goes through <see cref="MultistatusWriter"/>.</summary>
    public static async Task WriteAsync(HttpResponse response, int status, XElement root, CancellationToken ct)
    {
        foreach (var declaration in DavNames.Declarations())
            if (root.Attribute(declaration.Name) is null)
                root.Add(declaration);
        response.StatusCode = status;
        response.ContentType = "application/xml; charset=utf-8";
        using var buffer = new MemoryStream();
        using (var writer = XmlWriter.Create(buffer, WriterSettings))
        {
            new XDocument(new XDeclaration("1.0", "utf-8", null), root).WriteTo(writer);
        }
        response.ContentLength = buffer.Length;
        buffer.Position = 0;
        await buffer.CopyToAsync(response.Body, ct);
    }

    /// <summary>A DAV:error body naming the violated condition, with a human message beside it.</summary>
    public static XElement Error(XElement? condition, string message)
    {
        var error = new XElement(DavNames.D + "error");
        if (condition is not null)
            error.Add(condition);
        error.Add(new XElement(DavNames.X + "message", new XAttribute(XNamespace.Xmlns + "caldera", DavNames.X.NamespaceName), Writable(message)));
        return error;
    }

    /// <summary>
    /// The text with each character XML 1.0 cannot carry replaced by U+FFFD. Messages may quote what the client sent
    /// (a control character in a refused body), and writing one would turn the refusal into a 500.
    /// </summary>
    public static string Writable(string text)
    {
        StringBuilder? clean = null;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            var pair = char.IsHighSurrogate(c) && i + 1 < text.Length && XmlConvert.IsXmlSurrogatePair(text[i + 1], c);
            if (pair || XmlConvert.IsXmlChar(c))
            {
                clean?.Append(c);
                if (pair)
                    clean?.Append(text[++i]);
                continue;
            }
            clean ??= new StringBuilder(text.Length).Append(text, 0, i);
            clean.Append('\uFFFD');
        }
        return clean?.ToString() ?? text;
    }
}

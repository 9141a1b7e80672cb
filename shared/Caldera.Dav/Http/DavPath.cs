using System.Text;

namespace Caldera.Dav;

/// <summary>
/// A request path split into percent-decoded, validated segments. Decoding happens once, here; a segment
/// that decodes to '/', '\', '.', '..', a control character or invalid UTF-8 is refused (400), so no
/// later layer ever sees a path trick.
/// </summary>
public sealed class DavPath
{
    const int MaxSegmentLength = 255;
    const int MaxSegments = 8;
    static readonly UTF8Encoding StrictUtf8 = new(false, true);

    DavPath(IReadOnlyList<string> segments, bool trailingSlash)
    {
        Segments = segments;
        TrailingSlash = trailingSlash;
    }

    public IReadOnlyList<string> Segments { get; }
    public bool TrailingSlash { get; }
    public int Count => Segments.Count;
    public string this[int index] => Segments[index];

    /// <summary>The collection this path is in; the root is its own parent.</summary>
    public DavPath Parent => Count == 0 ? this : new(Segments.Take(Count - 1).ToList(), trailingSlash: true);

    public static DavPath Parse(string rawPath)
    {
        var query = rawPath.IndexOfAny(['?', '#']);
        if (query >= 0)
            rawPath = rawPath[..query];
        if (!rawPath.StartsWith('/'))
            throw DavException.BadRequest("the request target must be an absolute path");
        var parts = rawPath.Split('/');
        var segments = new List<string>();
        for (int i = 1; i < parts.Length; i++)
        {
            bool last = i == parts.Length - 1;
            if (parts[i].Length == 0)
            {
                if (last)
                    break;
                throw DavException.BadRequest("empty path segment");
            }
            segments.Add(DecodeSegment(parts[i]));
            if (segments.Count > MaxSegments)
                throw DavException.NotFound();
        }
        return new DavPath(segments, rawPath.Length > 1 && rawPath.EndsWith('/') || segments.Count == 0);
    }

    public static string DecodeSegment(string raw)
    {
        var bytes = new List<byte>(raw.Length);
        for (int i = 0; i < raw.Length; i++)
        {
            var c = raw[i];
            if (c == '%')
            {
                if (i + 2 >= raw.Length || !IsHex(raw[i + 1]) || !IsHex(raw[i + 2]))
                    throw DavException.BadRequest("bad percent-encoding in the path");
                bytes.Add(Convert.ToByte(raw.Substring(i + 1, 2), 16));
                i += 2;
            }
            else if (char.IsHighSurrogate(c) && i + 1 < raw.Length && char.IsLowSurrogate(raw[i + 1]))
            {
                // A raw (unencoded) character outside the BMP: encode the pair together, not each half as U+FFFD.
                bytes.AddRange(Encoding.UTF8.GetBytes(raw.Substring(i, 2)));
                i++;
            }
            else if (char.IsSurrogate(c))
                throw DavException.BadRequest("the path is not UTF-8");
            else if (c > 0x7F)
                bytes.AddRange(Encoding.UTF8.GetBytes(c.ToString()));
            else
                bytes.Add((byte)c);
        }
        string decoded;
        try
        {
            decoded = StrictUtf8.GetString(bytes.ToArray());
        }
        catch (DecoderFallbackException)
        {
            throw DavException.BadRequest("the path is not UTF-8");
        }
        if (decoded.Length > MaxSegmentLength)
            throw DavException.BadRequest("a path segment is too long");
        if (decoded is "." or ".." || decoded.Any(ch => ch is '/' or '\\' || char.IsControl(ch)))
            throw DavException.BadRequest("the path holds '.', '..', an encoded slash or a control character");
        return decoded;
    }

    static bool IsHex(char c) => char.IsAsciiHexDigit(c);

    /// <summary>Builds an href from segments, percent-encoding each.</summary>
    public static string Href(bool collection, params string[] segments)
    {
        var sb = new StringBuilder("/");
        for (int i = 0; i < segments.Length; i++)
        {
            sb.Append(Uri.EscapeDataString(segments[i]));
            if (i < segments.Length - 1 || collection)
                sb.Append('/');
        }
        return sb.ToString();
    }
}

using System.Xml;
using System.Xml.Linq;
using static Caldera.Dav.Xml.DavNames;

namespace Caldera.Dav.Properties;

/// <summary>
/// The dead properties of one resource (RFC 4918 §4): each property element exactly as the client gave it, in the order
/// set. Stored as one XML string, the elements under a caldera wrapper, whitespace and all; parsed with the same safe
/// reader settings as request bodies (the text is ours, but it carries what a client wrote).
/// </summary>
public sealed class DeadProperties
{
    static readonly XName Wrapper = X + "dead";
    static readonly XmlReaderSettings ReaderSettings = new()
    {
        DtdProcessing = DtdProcessing.Prohibit,
        XmlResolver = null,
        IgnoreComments = true,
        IgnoreProcessingInstructions = true,
    };

    readonly List<XElement> _properties;

    DeadProperties(List<XElement> properties) => _properties = properties;

    public static readonly DeadProperties None = new([]);

    public IReadOnlyList<XElement> All => _properties;

    public XElement? Find(XName name) => _properties.Find(p => p.Name == name);

    /// <summary>The properties of a stored string (null or empty: none).</summary>
    public static DeadProperties Parse(string? stored)
    {
        if (string.IsNullOrEmpty(stored))
            return None;
        using var reader = XmlReader.Create(new StringReader(stored), ReaderSettings);
        return new(XElement.Load(reader, LoadOptions.PreserveWhitespace).Elements().ToList());
    }

    /// <summary>The properties after a set (replacing one of the same name in place) or a remove, as a new set.</summary>
    public DeadProperties With(XName name, XElement? value)
    {
        var list = new List<XElement>(_properties);
        var at = list.FindIndex(p => p.Name == name);
        if (value is null)
        {
            if (at >= 0)
                list.RemoveAt(at);
        }
        else if (at >= 0)
            list[at] = value;
        else
            list.Add(value);
        return new(list);
    }

    /// <summary>The string to store; null when there are none.</summary>
    public string? Serialize() => _properties.Count == 0
        ? null
        : new XElement(Wrapper, new XAttribute(XNamespace.Xmlns + "caldera", X.NamespaceName), _properties).ToString(SaveOptions.DisableFormatting);

    /// <summary>UTF-8 bytes of one property as stored.</summary>
    public static int SizeOf(XElement property) => System.Text.Encoding.UTF8.GetByteCount(property.ToString(SaveOptions.DisableFormatting));

    public int TotalSize => _properties.Sum(SizeOf);
}

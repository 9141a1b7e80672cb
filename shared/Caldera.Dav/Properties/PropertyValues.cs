using System.Xml.Linq;

namespace Caldera.Dav.Properties;

/// <summary>
/// What one node answers to a request: the values it has (200) and the names it does not define (404). A value is
/// XML content (a string, an element or elements; null for an empty element, as propname answers). One instance is
/// refilled node after node while a multistatus is written, so a node costs no lists and no element per property.
/// </summary>
public sealed class PropertyValues
{
    public List<(XName Name, object? Value)> Found { get; } = [];
    public List<XName> Missing { get; } = [];

    public void Clear()
    {
        Found.Clear();
        Missing.Clear();
    }

    /// <summary>The property as one element (what <see cref="Xml.MultistatusWriter"/> writes for it).</summary>
    public static XElement Element(XName name, object? value) => value is WholeProperty whole ? new XElement(whole.Element) : new XElement(name, value);
}

/// <summary>A value that is the whole property element, attributes included: a dead property, written as it was given.</summary>
public sealed record WholeProperty(XElement Element);

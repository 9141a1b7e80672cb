using System.Xml.Linq;

namespace Caldera.Dav.Xml;

/// <summary>XML namespaces and element names the engine reads and writes.</summary>
public static class DavNames
{
    public static readonly XNamespace D = "DAV:";
    public static readonly XNamespace C = "urn:ietf:params:xml:ns:caldav";
    public static readonly XNamespace CS = "http://calendarserver.org/ns/";
    public static readonly XNamespace ICAL = "http://apple.com/ns/ical/";
    public static readonly XNamespace X = "urn:x-caldera";

    /// <summary>The prefixes declared on every root element so they stay short and stable, in declaration order.</summary>
    public static readonly IReadOnlyList<(string Prefix, XNamespace Namespace)> Prefixes =
    [
        ("D", D),
        ("C", C),
        ("CS", CS),
        ("ICAL", ICAL),
    ];

    /// <summary><see cref="Prefixes"/> as attributes for an XElement root.</summary>
    public static IEnumerable<XAttribute> Declarations() =>
        Prefixes.Select(p => new XAttribute(XNamespace.Xmlns + p.Prefix, p.Namespace.NamespaceName));
}

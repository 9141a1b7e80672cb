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

    /// <summary>Namespace declarations put on every root element so prefixes stay short and stable.</summary>
    public static IEnumerable<XAttribute> Declarations() =>
    [
        new(XNamespace.Xmlns + "D", D.NamespaceName),
        new(XNamespace.Xmlns + "C", C.NamespaceName),
        new(XNamespace.Xmlns + "CS", CS.NamespaceName),
        new(XNamespace.Xmlns + "ICAL", ICAL.NamespaceName),
    ];
}

using System.Xml.Linq;
using static Caldera.Dav.Xml.DavNames;

namespace Caldera.Dav.Properties;

public enum PropRequestKind { Prop, AllProp, PropName }

/// <summary>What a PROPFIND or REPORT asks for: named properties (with their request elements), allprop or propname.</summary>
public sealed record PropRequest(PropRequestKind Kind, IReadOnlyList<XElement> Requested)
{
    public static readonly PropRequest AllProp = new(PropRequestKind.AllProp, []);

    /// <summary>Most properties one PROPFIND or REPORT may name: each is read for every resource in the answer.</summary>
    public const int MaxProperties = 4096;

    /// <summary>Reads the DAV:prop / DAV:allprop / DAV:propname child of a PROPFIND or REPORT body.</summary>
    public static PropRequest From(XElement parent, bool required)
    {
        if (parent.Element(D + "propname") is not null)
            return new(PropRequestKind.PropName, []);
        if (parent.Element(D + "allprop") is not null)
            return new(PropRequestKind.AllProp, Bounded(parent.Element(D + "include")?.Elements().ToList() ?? []));
        if (parent.Element(D + "prop") is { } prop)
            return new(PropRequestKind.Prop, Bounded(prop.Elements().ToList()));
        if (required)
            throw DavException.BadRequest($"{parent.Name.LocalName} needs DAV:prop, DAV:allprop or DAV:propname");
        return AllProp;
    }

    static List<XElement> Bounded(List<XElement> names) => names.Count <= MaxProperties ? names
        : throw new DavException(413, $"a request may name at most {MaxProperties} properties; it named {names.Count}");
}

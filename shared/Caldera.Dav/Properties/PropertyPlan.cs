using System.Xml.Linq;

namespace Caldera.Dav.Properties;

/// <summary>
/// A <see cref="PropRequest"/> resolved once per request against the registry, so reading a node does no lookups:
/// the properties allprop lists, and each named property (deduplicated, in request order) with its live property
/// or whether the report computes it (<see cref="PropertyReader.ExtraProperty"/>).
/// </summary>
public sealed class PropertyPlan
{
    public sealed record Entry(XElement Requested, LiveProperty? Live, bool Extra)
    {
        public XName Name => Requested.Name;
    }

    public required PropRequestKind Kind { get; init; }
    /// <summary>For allprop: the registry's allprop properties (only those a node defines are answered).</summary>
    public IReadOnlyList<LiveProperty> AllProp { get; init; } = [];
    /// <summary>For prop: the named properties; for allprop: the DAV:include ones. Undefined ones answer 404.</summary>
    public IReadOnlyList<Entry> Named { get; init; } = [];
}

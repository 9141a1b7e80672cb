using System.Xml.Linq;
using Caldera.Dav.Nodes;
using Caldera.Dav.Xml;

namespace Caldera.Dav.Properties;

/// <summary>
/// Answers a <see cref="PropRequest"/> for nodes from the registry. A report can add properties only it knows
/// (CALDAV:calendar-data) as extra names, computed per node by an <see cref="ExtraProperty"/>. Reading is
/// synchronous: live properties come from what the node already holds.
/// </summary>
public sealed class PropertyReader(PropertyRegistry registry)
{
    /// <summary>The value of a report-computed property for the current node; null answers 404.</summary>
    public delegate object? ExtraProperty(XElement requested);

    public PropertyPlan Plan(PropRequest request, IReadOnlyCollection<XName>? extraNames = null)
    {
        PropertyPlan.Entry Resolve(XElement requested) => extraNames is not null && extraNames.Contains(requested.Name)
            ? new(requested, null, Extra: true)
            : new(requested, registry.Find(requested.Name), Extra: false);
        return request.Kind switch
        {
            PropRequestKind.PropName => new PropertyPlan { Kind = PropRequestKind.PropName },
            // DAV:include names only registry properties allprop leaves out; other names are ignored.
            PropRequestKind.AllProp => new PropertyPlan
            {
                Kind = PropRequestKind.AllProp,
                AllProp = registry.All.Where(p => p.InAllProp).ToList(),
                Named = request.Requested.Where(r => registry.Find(r.Name) is { InAllProp: false }).Select(Resolve).ToList(),
            },
            _ => new PropertyPlan
            {
                Kind = PropRequestKind.Prop,
                Named = request.Requested.DistinctBy(r => r.Name).Select(Resolve).ToList(),
            },
        };
    }

    /// <summary>Fills <paramref name="into"/> (cleared first) with the answer of <paramref name="node"/>.</summary>
    public void Read(DavNode node, DavContext ctx, PropertyPlan plan, PropertyValues into, ExtraProperty? extra = null)
    {
        into.Clear();
        if (plan.Kind == PropRequestKind.PropName)
        {
            foreach (var p in registry.All)
                if (p.Get(node, ctx) is not null)
                    into.Found.Add((p.Name, null));
            foreach (var dead in DeadOf(node))
                into.Found.Add((dead.Name, null));
            return;
        }
        foreach (var p in plan.AllProp)
            if (p.Get(node, ctx) is { } value)
                into.Found.Add((p.Name, value));
        // RFC 4918 §9.1: allprop answers the dead properties too.
        if (plan.Kind == PropRequestKind.AllProp)
            foreach (var dead in DeadOf(node))
                into.Found.Add((dead.Name, new WholeProperty(dead)));
        DeadProperties? deadProperties = null;
        foreach (var entry in plan.Named)
        {
            var value = entry.Extra ? extra?.Invoke(entry.Requested)
                : entry.Live is { } live ? live.Get(node, ctx)
                : (deadProperties ??= DeadProperties.Parse(StoredDead(node))).Find(entry.Name) is { } dead ? new WholeProperty(dead) : null;
            if (value is null)
                into.Missing.Add(entry.Name);
            else
                into.Found.Add((entry.Name, value));
        }
    }

    /// <summary>A node's dead properties, parsed only when a request needs them (never for named live properties).</summary>
    IEnumerable<XElement> DeadOf(DavNode node) => StoredDead(node) is { } stored
        ? DeadProperties.Parse(stored).All.Where(p => registry.Find(p.Name) is null)
        : [];

    static string? StoredDead(DavNode node) => node switch
    {
        CalendarNode c => c.Calendar.DeadProperties,
        ObjectNode o => o.Object.DeadProperties,
        _ => null,
    };

    /// <summary>The answer as elements grouped by status, for reports that work on the values (expand-property).</summary>
    public List<Propstat> ReadPropstats(DavNode node, DavContext ctx, PropRequest request)
    {
        var values = new PropertyValues();
        Read(node, ctx, Plan(request), values);
        return
        [
            new Propstat(200, values.Found.Select(f => PropertyValues.Element(f.Name, f.Value)).ToList()),
            new Propstat(404, values.Missing.Select(m => new XElement(m)).ToList()),
        ];
    }
}

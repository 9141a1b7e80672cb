using System.Xml.Linq;
using Caldera.Dav.Nodes;
using Caldera.Dav.Xml;

namespace Caldera.Dav.Properties;

/// <summary>
/// Answers a <see cref="PropRequest"/> for one node from the registry. A report can add properties only it
/// knows (CALDAV:calendar-data) through <paramref name="extra"/>.
/// </summary>
public sealed class PropertyReader(PropertyRegistry registry)
{
    public delegate Task<object?> ExtraProperty(XElement requested);

    public async Task<List<Propstat>> ReadAsync(DavNode node, DavContext ctx, PropRequest request,
        IReadOnlyDictionary<XName, ExtraProperty>? extra = null)
    {
        var found = new List<XElement>();
        var missing = new List<XElement>();
        switch (request.Kind)
        {
            case PropRequestKind.PropName:
                foreach (var p in registry.All)
                    if (p.Get(node, ctx) is not null)
                        found.Add(new XElement(p.Name));
                break;
            case PropRequestKind.AllProp:
                foreach (var p in registry.All.Where(p => p.InAllProp))
                    if (p.Get(node, ctx) is { } value)
                        found.Add(new XElement(p.Name, value));
                foreach (var included in request.Requested.Where(r => registry.Find(r.Name) is { InAllProp: false }))
                    await AddAsync(included);
                break;
            default:
                foreach (var requested in request.Requested.DistinctBy(r => r.Name))
                    await AddAsync(requested);
                break;
        }
        return [new Propstat(200, found), new Propstat(404, missing)];

        async Task AddAsync(XElement requested)
        {
            object? value = null;
            if (extra is not null && extra.TryGetValue(requested.Name, out var compute))
                value = await compute(requested);
            else if (registry.Find(requested.Name) is { } live)
                value = live.Get(node, ctx);
            if (value is null)
                missing.Add(new XElement(requested.Name));
            else
                found.Add(new XElement(requested.Name, value));
        }
    }
}

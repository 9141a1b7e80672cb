using System.Text;
using System.Xml.Linq;
using Caldera.Dav.Nodes;
using Caldera.Dav.Properties;
using Caldera.Dav.Xml;
using static Caldera.Dav.Xml.DavNames;

namespace Caldera.Dav.Reports;

/// <summary>
/// Writes the responses of calendar object reports: the requested properties of each object, with
/// CALDAV:calendar-data read from the body (reads run a few at a time).
/// </summary>
public sealed class ObjectResponses(PropertyReader reader, DavOptions options)
{
    public async Task AddAsync(Multistatus multistatus, DavContext ctx, IReadOnlyList<ObjectNode> nodes, PropRequest request,
        IReadOnlyDictionary<ObjectNode, byte[]>? bodies = null)
    {
        var wantsData = request.Requested.Any(r => r.Name == C + "calendar-data");
        var loaded = new Dictionary<ObjectNode, byte[]?>();
        if (wantsData)
        {
            var toLoad = nodes.Where(n => bodies is null || !bodies.ContainsKey(n)).ToList();
            using var gate = new SemaphoreSlim(options.BodyReadConcurrency);
            var reads = toLoad.Select(async n =>
            {
                await gate.WaitAsync(ctx.Cancellation);
                try { return (n, await n.Object.GetDataAsync(ctx.Cancellation)); }
                finally { gate.Release(); }
            });
            foreach (var (node, data) in await Task.WhenAll(reads))
                loaded[node] = data;
            if (bodies is not null)
                foreach (var (node, data) in bodies)
                    loaded[node] = data;
        }
        foreach (var node in nodes)
        {
            byte[]? data = null;
            if (wantsData && (data = loaded.GetValueOrDefault(node)) is null)
            {
                multistatus.AddStatus(node.Href, 404); // deleted while we read
                continue;
            }
            var extra = new Dictionary<XName, PropertyReader.ExtraProperty>
            {
                [C + "calendar-data"] = _ => Task.FromResult<object?>(Encoding.UTF8.GetString(data!)),
            };
            multistatus.AddPropstats(node.Href, await reader.ReadAsync(node, ctx, request, extra));
        }
    }
}

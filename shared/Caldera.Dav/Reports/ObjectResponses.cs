using System.Text;
using System.Xml.Linq;
using Caldera.Calendars.Query;
using Caldera.Dav.Nodes;
using Caldera.Dav.Properties;
using Caldera.Dav.Xml;
using static Caldera.Dav.Xml.DavNames;

namespace Caldera.Dav.Reports;

/// <summary>
/// Writes the responses of calendar object reports: the requested properties of each object, with
/// CALDAV:calendar-data read from the body (reads run a few at a time) and shaped as its request element asks
/// (RFC 4791 §9.6: comp/prop, expand, limit-recurrence-set, limit-freebusy-set; see <see cref="CalendarDataFilter"/>).
/// </summary>
public sealed class ObjectResponses(PropertyReader reader, DavOptions options)
{
    /// <summary>Instances one object may expand to in one answer; beyond it the REPORT fails with CALDAV:max-instances.</summary>
    public const int MaxInstances = CalendarDataFilter.DefaultMaxInstances;

    public static DavException TooManyInstances(InstanceLimitException e) =>
        DavException.Forbidden(e.Message, new XElement(C + "max-instances"));

    public async Task AddAsync(Multistatus multistatus, DavContext ctx, IReadOnlyList<ObjectNode> nodes, PropRequest request,
        IReadOnlyDictionary<ObjectNode, byte[]>? bodies = null)
    {
        var dataElement = request.Requested.FirstOrDefault(r => r.Name == C + "calendar-data");
        var wantsData = dataElement is not null;
        // Parsed before any body is read, so a bad request element fails fast.
        var dataRequest = CalendarDataParser.Parse(dataElement);
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
                [C + "calendar-data"] = _ => Task.FromResult<object?>(Render(data!, dataRequest)),
            };
            multistatus.AddPropstats(node.Href, await reader.ReadAsync(node, ctx, request, extra));
        }
    }

    static string Render(byte[] data, CalendarDataRequest request)
    {
        var text = Encoding.UTF8.GetString(data);
        try
        {
            return CalendarDataFilter.Apply(text, request, MaxInstances);
        }
        catch (InstanceLimitException e)
        {
            throw TooManyInstances(e);
        }
        catch (Exception e) when (e is FormatException or ArgumentException or InvalidOperationException)
        {
            return text; // stored data was validated on PUT; what cannot be taken apart is returned whole
        }
    }
}

using System.Xml.Linq;
using Caldera.Calendars;
using Caldera.Calendars.Query;
using Caldera.Dav.Nodes;
using Caldera.Dav.Properties;
using Microsoft.Extensions.Logging;
using static Caldera.Dav.Xml.DavNames;

namespace Caldera.Dav.Reports;

/// <summary>
/// The responses of calendar object reports: the requested properties of each object, with CALDAV:calendar-data
/// read from the body (reads run a few at a time) and shaped as its request element asks (RFC 4791 §9.6:
/// comp/prop, expand, limit-recurrence-set, limit-freebusy-set; see <see cref="CalendarDataFilter"/>).
/// <see cref="PrepareAsync"/> does everything that can refuse the request, so a report calls it before it writes
/// its first response (see <see cref="Xml.MultistatusWriter"/>).
/// </summary>
public sealed class ObjectResponses(PropertyReader reader, DavOptions options, ILogger<ObjectResponses>? log = null)
{
    /// <summary>Instances one object may expand to in one answer; beyond it the REPORT fails with CALDAV:max-instances.</summary>
    public const int MaxInstances = CalendarDataFilter.DefaultMaxInstances;

    static readonly XName[] CalendarData = [C + "calendar-data"];

    public static DavException TooManyInstances(InstanceLimitException e) =>
        DavException.Forbidden(e.Message, new XElement(C + "max-instances"));

    /// <summary>
    /// Parses the calendar-data request, reads the bodies not in <paramref name="bodies"/> (given in the order of
    /// <paramref name="nodes"/>, null where the caller has none) and, when the request expands recurrences, renders every calendar-data: expansion
    /// is the one rendering that can refuse (CALDAV:max-instances, 403), and it must do so before the 207 starts.
    /// Other renderings cannot fail and happen while writing, one response at a time.
    /// </summary>
    public async Task<PreparedObjectResponses> PrepareAsync(DavContext ctx, IReadOnlyList<ObjectNode> nodes, PropRequest request,
        IReadOnlyList<byte[]?>? bodies = null)
    {
        var dataElement = request.Requested.FirstOrDefault(r => r.Name == C + "calendar-data");
        // Parsed before any body is read, so a bad request element fails fast.
        var dataRequest = CalendarDataParser.Parse(dataElement);
        var plan = reader.Plan(request, CalendarData);
        if (dataElement is null)
            return new PreparedObjectResponses(reader, ctx, plan, nodes, null, null);
        var data = await ReadBodiesAsync(ctx, nodes, bodies);
        string?[]? rendered = null;
        if (dataRequest.Expand is not null)
        {
            rendered = new string?[nodes.Count];
            for (int i = 0; i < nodes.Count; i++)
                rendered[i] = data[i] is { } body ? Render(body, dataRequest) : null;
        }
        return new PreparedObjectResponses(reader, ctx, plan, nodes, data, rendered is null ? d => Render(d, dataRequest) : null, rendered);
    }

    async Task<byte[]?[]> ReadBodiesAsync(DavContext ctx, IReadOnlyList<ObjectNode> nodes, IReadOnlyList<byte[]?>? known)
    {
        using var gate = new SemaphoreSlim(options.BodyReadConcurrency);
        return await Task.WhenAll(nodes.Select(async (n, i) =>
        {
            if (known?[i] is { } body)
                return body;
            await gate.WaitAsync(ctx.Cancellation);
            try { return await n.Object.GetDataAsync(ctx.Cancellation); }
            finally { gate.Release(); }
        }));
    }

    string Render(byte[] data, CalendarDataRequest request)
    {
        var text = CalendarText.Read(data);
        try
        {
            return CalendarDataFilter.Apply(text, request, MaxInstances);
        }
        catch (InstanceLimitException e)
        {
            throw TooManyInstances(e);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // Stored data was validated on PUT (or predates a check); what cannot be taken apart is returned whole.
            log?.LogWarning(e, "calendar-data returned unshaped: the stored body could not be taken apart");
            return text;
        }
    }
}

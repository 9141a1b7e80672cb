using System.Xml.Linq;
using Caldera.Dav.Nodes;
using Caldera.Dav.Properties;
using Caldera.Dav.Xml;
using static Caldera.Dav.Xml.DavNames;

namespace Caldera.Dav.Reports;

/// <summary>CALDAV:calendar-multiget (RFC 4791 §7.9): the named objects of this calendar; unknown ones answer 404.</summary>
public sealed class CalendarMultigetReport(ObjectResponses responses, DavOptions options) : IReport
{
    public XName Name => C + "calendar-multiget";

    public bool AppliesTo(DavNode node) => node is CalendarNode;

    public async Task RunAsync(DavContext ctx, DavNode node, XElement body)
    {
        var calendar = (CalendarNode)node;
        var request = PropRequest.From(body, required: false);
        var hrefs = body.Elements(D + "href").Select(h => h.Value.Trim()).Distinct().ToList();
        if (hrefs.Count > options.MaxMultigetHrefs)
            throw DavException.Forbidden($"at most {options.MaxMultigetHrefs} hrefs per multiget");
        var elsewhere = new List<string>();
        var wanted = new Dictionary<string, string>(); // object name → href as the client wrote it
        foreach (var href in hrefs)
        {
            var name = NameIn(calendar, href);
            if (name is null)
                elsewhere.Add(href);
            else
                wanted.TryAdd(name, href);
        }
        var found = await calendar.Calendar.GetObjectsAsync(wanted.Keys.ToList(), ctx.Cancellation);
        var nodes = found.Select(o => new ObjectNode(calendar, o)).ToList();
        var prepared = await responses.PrepareAsync(ctx, nodes, request);
        using var multistatus = new MultistatusWriter(ctx.Response, ctx.Cancellation);
        foreach (var href in elsewhere)
            await multistatus.WriteStatusAsync(href, 404);
        await prepared.WriteAsync(multistatus);
        foreach (var missing in wanted.Keys.Except(found.Select(f => f.Name)))
            await multistatus.WriteStatusAsync(wanted[missing], 404);
        await multistatus.CompleteAsync();
    }

    /// <summary>The object name an href points at inside this calendar, or null if it points elsewhere.</summary>
    static string? NameIn(CalendarNode calendar, string href)
    {
        try
        {
            var path = Uri.TryCreate(href, UriKind.Absolute, out var abs) && abs.Scheme is "http" or "https"
                ? DavPath.Parse(abs.AbsolutePath)
                : DavPath.Parse(href);
            if (path.Count != 4 || path.TrailingSlash)
                return null;
            var parent = DavPath.Href(true, path[0], path[1], path[2]);
            return parent == calendar.Href ? path[3] : null;
        }
        catch (DavException)
        {
            return null;
        }
    }
}

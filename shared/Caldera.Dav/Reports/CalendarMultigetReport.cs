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
        var multistatus = new Multistatus();
        var wanted = new Dictionary<string, string>(); // object name → href as the client wrote it
        foreach (var href in hrefs)
        {
            var name = NameIn(calendar, href);
            if (name is null)
                multistatus.AddStatus(href, 404);
            else
                wanted.TryAdd(name, href);
        }
        var found = await calendar.Calendar.GetObjectsAsync(wanted.Keys.ToList(), ctx.Cancellation);
        var nodes = found.Select(o => new ObjectNode(calendar, o)).ToList();
        await responses.AddAsync(multistatus, ctx, nodes, request);
        foreach (var missing in wanted.Keys.Except(found.Select(f => f.Name)))
            multistatus.AddStatus(wanted[missing], 404);
        await DavXml.WriteAsync(ctx.Response, 207, multistatus.Root, ctx.Cancellation);
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

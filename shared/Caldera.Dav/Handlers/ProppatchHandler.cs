using System.Xml.Linq;
using Caldera.Calendars.Providers;
using Caldera.Dav.Nodes;
using Caldera.Dav.Properties;
using Caldera.Dav.Xml;
using static Caldera.Dav.Xml.DavNames;

namespace Caldera.Dav.Handlers;

/// <summary>PROPPATCH (RFC 4918 §9.2): every instruction in document order, applied all together or not at all.</summary>
public sealed class ProppatchHandler(NodeResolver resolver, DavOptions options) : IMethodHandler
{
    public IReadOnlyList<string> Methods => ["PROPPATCH"];

    public async Task HandleAsync(DavContext ctx)
    {
        var body = await DavXml.ReadAsync(ctx.Request, options.MaxXmlBodySize, ctx.Cancellation);
        if (body?.Root is not { } root || root.Name != D + "propertyupdate")
            throw DavException.BadRequest("the body must be DAV:propertyupdate");
        var node = await resolver.ResolveAsync(ctx, ctx.Path) ?? throw DavException.NotFound();

        var update = new CalendarPropertyUpdate();
        var manageable = node is CalendarNode { Calendar: IManageableCalendar m } c && c.Calendar.Privileges.HasFlag(CalendarPrivileges.WriteProperties) ? m : null;
        foreach (var instruction in root.Elements().Where(e => e.Name == D + "set" || e.Name == D + "remove"))
        {
            foreach (var prop in instruction.Element(D + "prop")?.Elements() ?? [])
            {
                update.Apply(prop, instruction.Name == D + "remove", creating: false);
            }
        }
        List<Propstat> propstats;
        if (manageable is null)
        {
            // Nothing here can be changed by this principal: every property fails with 403.
            var names = root.Descendants(D + "prop").SelectMany(p => p.Elements()).Select(p => new XElement(p.Name)).ToList();
            propstats = [new Propstat(403, names, new XElement(D + "need-privileges",
                new XElement(D + "resource", new XElement(D + "href", node.Href), new XElement(D + "privilege", new XElement(D + "write-properties")))))];
        }
        else
        {
            if (!update.Failed && !await manageable.UpdatePropertiesAsync(update.Changes, ctx.Cancellation))
                throw DavException.NotFound();
            propstats = update.Propstats();
        }
        using var multistatus = new MultistatusWriter(ctx.Response, ctx.Cancellation);
        await multistatus.WriteResponseAsync(node.Href, propstats);
        await multistatus.CompleteAsync();
    }
}

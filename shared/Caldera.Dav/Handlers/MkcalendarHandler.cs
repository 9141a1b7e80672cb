using System.Xml.Linq;
using Caldera.Calendars.Manager;
using Caldera.Calendars.Providers.Store;
using Caldera.Dav.Nodes;
using Caldera.Dav.Properties;
using Caldera.Dav.Xml;
using static Caldera.Dav.Xml.DavNames;

namespace Caldera.Dav.Handlers;

/// <summary>
/// MKCALENDAR (RFC 4791 §5.3.1) and extended MKCOL (RFC 5689): a new calendar in the user's own store, with its
/// initial properties set atomically; if one fails, nothing is created.
/// </summary>
public sealed class MkcalendarHandler(NodeResolver resolver, StoreCalendarProvider store, DavOptions options, TimeProvider time) : IMethodHandler
{
    public IReadOnlyList<string> Methods => ["MKCALENDAR", "MKCOL"];

    public async Task HandleAsync(DavContext ctx)
    {
        var mkcol = ctx.Request.Method.Equals("MKCOL", StringComparison.OrdinalIgnoreCase);
        var s = ctx.Path.Segments;
        if (s.Count != 3 || s[0] != Hrefs.Calendars)
            throw await MkcolLocation.RefusalAsync(ctx, resolver, mkcol);
        if (s[1] != ctx.User)
            throw DavException.NotFound();
        var name = s[2];
        if (!CalendarRules.IsAllowedName(name))
            throw DavException.Forbidden("that calendar name is not allowed");
        // The scheduling inbox and outbox always exist in the home (RFC 6638 §2.1–2.2), so their names are taken.
        if (Caldera.Calendars.Scheduling.ScheduleCollections.IsReserved(name))
            throw MkcolLocation.Occupied(mkcol);

        var body = await DavXml.ReadAsync(ctx.Request, options.MaxXmlBodySize, ctx.Cancellation);
        var expectedRoot = mkcol ? D + "mkcol" : C + "mkcalendar";
        if (body?.Root is { } root && root.Name != expectedRoot)
            throw DavException.BadRequest($"the body must be {expectedRoot.LocalName}");
        if (mkcol && body is null)
            throw DavException.Forbidden("plain collections are not supported here; send an extended MKCOL with a calendar resourcetype",
                new XElement(D + "valid-resourcetype"));

        var update = new CalendarPropertyUpdate();
        var dead = new DeadPropertyUpdate();
        foreach (var prop in body?.Root!.Elements(D + "set").SelectMany(e => e.Element(D + "prop")?.Elements() ?? []) ?? [])
        {
            // Apple Calendar sends schedule-calendar-transp with MKCALENDAR; it is kept as PROPPATCH keeps it.
            if (prop.Name == ScheduleTransparency.Property)
            {
                if (ScheduleTransparencyProperty.Normalize(prop, out var reason) is { } value)
                {
                    dead.Add(value, remove: false);
                    update.Accept(prop.Name);
                }
                else
                    update.Refuse(prop.Name, 409, null, reason);
            }
            else
                update.Apply(prop, remove: false, creating: true);
        }
        if (mkcol && body!.Root!.Descendants(D + "resourcetype").FirstOrDefault() is null)
            throw DavException.Forbidden("extended MKCOL must set a calendar resourcetype", new XElement(D + "valid-resourcetype"));

        if (await resolver.ResolveCalendarAsync(ctx, ctx.User, name) is not null)
            throw MkcolLocation.Occupied(mkcol);
        if (update.Failed)
        {
            var response = new XElement(mkcol ? D + "mkcol-response" : C + "mkcalendar-response");
            foreach (var propstat in update.Propstats())
                response.Add(new XElement(D + "propstat",
                    new XElement(D + "prop", propstat.Properties),
                    new XElement(D + "status", Multistatus.StatusLine(propstat.Status)),
                    propstat.Error is null ? null : new XElement(D + "error", propstat.Error),
                    propstat.Description is null ? null : new XElement(D + "responsedescription", propstat.Description)));
            await DavXml.WriteAsync(ctx.Response, 403, response, ctx.Cancellation);
            return;
        }
        bool created;
        try
        {
            var initial = dead.IsEmpty ? update.Changes : update.Changes with { DeadProperties = dead.Edit };
            created = await store.CreateCalendarAsync(ctx.User, name, initial, update.Components ?? CalendarRules.DefaultComponents, time.GetUtcNow(), ctx.Cancellation);
        }
        catch (Caldera.Storage.Quota.QuotaExceededException)
        {
            throw WriteOutcome.QuotaExceeded();
        }
        if (!created)
            throw MkcolLocation.Occupied(mkcol);
        ctx.Response.StatusCode = 201;
        ctx.Response.Headers.Location = Hrefs.Calendar(ctx.User, name);
        ctx.Response.Headers.CacheControl = "no-cache";
    }
}

using System.Xml.Linq;
using Caldera.Calendars.Providers;
using Caldera.Calendars.Providers.Store;
using Caldera.Dav.Nodes;
using Caldera.Dav.Properties;
using Caldera.Dav.Xml;
using Caldera.Storage;
using static Caldera.Dav.Xml.DavNames;

namespace Caldera.Dav.Handlers;

/// <summary>
/// PROPPATCH (RFC 4918 §9.2): every instruction in document order, applied all together or not at all. Live calendar
/// properties are validated by <see cref="CalendarPropertyUpdate"/>; any other name is a dead property of the calendar
/// or object (<see cref="DeadPropertyUpdate"/>), written in the same store write as the live ones.
/// </summary>
public sealed class ProppatchHandler(NodeResolver resolver, PropertyRegistry registry, DavOptions options) : IMethodHandler
{
    /// <summary>Most property instructions one PROPPATCH may hold; a resource keeps at most 32 dead properties anyway.</summary>
    public const int MaxProperties = 100;

    public IReadOnlyList<string> Methods => ["PROPPATCH"];

    public async Task HandleAsync(DavContext ctx)
    {
        var body = await DavXml.ReadAsync(ctx.Request, options.MaxXmlBodySize, ctx.Cancellation, LoadOptions.PreserveWhitespace);
        if (body?.Root is not { } root || root.Name != D + "propertyupdate")
            throw DavException.BadRequest("the body must be DAV:propertyupdate");
        var node = await resolver.ResolveAsync(ctx, ctx.Path) ?? throw DavException.NotFound();

        var named = root.Elements().Where(e => e.Name == D + "set" || e.Name == D + "remove").Elements(D + "prop").Elements().ToList();
        if (named.Count > MaxProperties)
        {
            // RFC 4918 §9.2.1: 507, the server cannot record that much; nothing is applied.
            await WriteAllAsync(ctx, node, new Propstat(507, [.. named.Select(p => new XElement(p.Name))], null));
            return;
        }
        if (node is OutboxNode or CalendarNode { IsScheduleInbox: true })
        {
            await WriteAllAsync(ctx, node, [.. SchedulingCollectionRefusal(root).Propstats()]);
            return;
        }
        var update = new CalendarPropertyUpdate();
        var dead = new DeadPropertyUpdate();
        foreach (var instruction in root.Elements().Where(e => e.Name == D + "set" || e.Name == D + "remove"))
        {
            var remove = instruction.Name == D + "remove";
            foreach (var prop in instruction.Element(D + "prop")?.Elements() ?? [])
            {
                if (node is CalendarNode && prop.Name == ScheduleTransparency.Property)
                {
                    // A live property kept with the calendar's dead ones (see ScheduleTransparencyProperty); removing it means opaque.
                    string? reason = null;
                    var value = remove ? null : ScheduleTransparencyProperty.Normalize(prop, out reason);
                    if (remove || value is not null)
                    {
                        dead.Add(value ?? new XElement(prop.Name), remove);
                        update.Accept(prop.Name);
                    }
                    else
                        update.Refuse(prop.Name, 409, null, reason);
                }
                else if (node is CalendarNode or ObjectNode && DeadPropertyUpdate.IsDead(prop.Name, registry))
                {
                    dead.Add(prop, remove);
                    update.Accept(prop.Name);
                }
                else if (node is ObjectNode)
                    update.Refuse(prop.Name, 403, new XElement(D + "cannot-modify-protected-property"));
                else
                    update.Apply(prop, remove, creating: false);
            }
        }
        List<Propstat> propstats;
        if (Manageable(node) is not { } manageable)
        {
            // Nothing here can be changed by this principal: every property fails with 403.
            var names = root.Descendants(D + "prop").SelectMany(p => p.Elements()).Select(p => new XElement(p.Name)).ToList();
            propstats = [new Propstat(403, names, new XElement(D + "need-privileges",
                new XElement(D + "resource", new XElement(D + "href", node.Href), new XElement(D + "privilege", new XElement(D + "write-properties")))))];
        }
        else
        {
            if (!update.Failed)
            {
                if (!await WriteAsync(node, manageable, update, dead, ctx.Cancellation))
                    throw DavException.NotFound();
                foreach (var name in dead.Refused)
                    update.Refuse(name, 507, null);
            }
            propstats = update.Propstats();
        }
        await WriteAllAsync(ctx, node, [.. propstats]);
    }

    /// <summary>
    /// The inbox and outbox have no properties a client may change (RFC 6638 §9.2: schedule-default-calendar-URL is kept
    /// by the server here, following the owner's calendars): protected names say so, others lack write-properties.
    /// </summary>
    static CalendarPropertyUpdate SchedulingCollectionRefusal(XElement root)
    {
        var refusal = new CalendarPropertyUpdate();
        foreach (var prop in root.Elements().Where(e => e.Name == D + "set" || e.Name == D + "remove").Elements(D + "prop").Elements())
            if (CalendarPropertyUpdate.IsProtected(prop.Name))
                refusal.Refuse(prop.Name, 403, new XElement(D + "cannot-modify-protected-property"));
            else
                refusal.Refuse(prop.Name, 403, new XElement(D + "need-privileges"), "the scheduling inbox and outbox keep no client properties");
        return refusal;
    }

    static async Task WriteAllAsync(DavContext ctx, DavNode node, params Propstat[] propstats)
    {
        using var multistatus = new MultistatusWriter(ctx.Response, ctx.Cancellation);
        await multistatus.WriteResponseAsync(node.Href, propstats);
        await multistatus.CompleteAsync();
    }

    /// <summary>The calendar that stores this node's properties, when the principal may write them (RFC 3744 write-properties).</summary>
    static IManageableCalendar? Manageable(DavNode node) => node switch
    {
        CalendarNode { Calendar: IManageableCalendar m } c when c.Calendar.Privileges.HasFlag(CalendarPrivileges.WriteProperties) => m,
        ObjectNode { Parent.Calendar: IManageableCalendar m } o when o.Parent.Calendar.Privileges.HasFlag(CalendarPrivileges.WriteProperties) => m,
        _ => null,
    };

    /// <summary>One store write with every change; false when the resource is gone. Dead ones may still be refused (<see cref="DeadPropertyUpdate.Refused"/>).</summary>
    static async Task<bool> WriteAsync(DavNode node, IManageableCalendar calendar, CalendarPropertyUpdate update, DeadPropertyUpdate dead, CancellationToken ct)
    {
        var edit = dead.IsEmpty ? null : new DeadPropertiesEdit(dead.Edit);
        if (node is not ObjectNode item)
            return await calendar.UpdatePropertiesAsync(update.Changes with { DeadProperties = edit }, ct);
        if (edit is null)
            return true;
        return (await calendar.UpdateObjectPropertiesAsync(item.Object.Name, edit, ct)).Status switch
        {
            WriteStatus.NotFound or WriteStatus.CalendarNotFound => false,
            WriteStatus.Conflict => throw new DavException(503, "the calendar kept changing; try again"),
            _ => true,
        };
    }
}

using System.Globalization;
using Caldera.Calendars;
using Caldera.Calendars.Query;
using System.Xml.Linq;
using Caldera.Calendars.Providers;
using Caldera.Calendars.Providers.Subscriptions;
using Caldera.Dav.Nodes;
using static Caldera.Dav.Xml.DavNames;

namespace Caldera.Dav.Properties;

/// <summary>
/// Every live property the engine knows. PROPFIND and PROPPATCH only iterate this list, so allprop,
/// propname and 404 propstats follow from it.
/// </summary>
public sealed class PropertyRegistry
{
    readonly Dictionary<XName, LiveProperty> _byName;

    public PropertyRegistry(DavOptions options, Caldera.Storage.Quota.QuotaOptions? quota = null)
    {
        All =
        [
            new(D + "resourcetype", (n, _) => ResourceType(n)),
            new(D + "displayname", (n, _) => n switch
            {
                PrincipalNode p => p.User.DisplayName,
                CalendarNode c => c.Calendar.DisplayName,
                _ => null,
            }),
            new(D + "getetag", (n, _) => n is ObjectNode o ? o.Object.ETag : null),
            new(D + "getcontenttype", (n, _) => n is ObjectNode o ? o.Object.ContentType : null),
            new(D + "getcontentlength", (n, _) => n is ObjectNode o ? o.Object.Size.ToString(CultureInfo.InvariantCulture) : null),
            new(D + "getlastmodified", (n, _) => n switch
            {
                ObjectNode o => o.Object.LastModified.ToString("R", CultureInfo.InvariantCulture),
                CalendarNode { Calendar.LastModified: { } m } => m.ToString("R", CultureInfo.InvariantCulture),
                _ => null,
            }),
            new(D + "current-user-principal", (_, ctx) => Href(Hrefs.Principal(ctx.User)), InAllProp: false),
            new(D + "principal-URL", (n, _) => n is PrincipalNode p ? Href(p.Href) : null, InAllProp: false),
            new(D + "principal-collection-set", (_, _) => Href("/" + Hrefs.Principals + "/"), InAllProp: false),
            new(D + "owner", (n, _) => OwnerOf(n) is { } owner ? Href(Hrefs.Principal(owner)) : null, InAllProp: false),
            new(D + "current-user-privilege-set", (n, _) => Privileges.ElementsFor(n), InAllProp: false),
            // RFC 3744 §5.5 / §5.3 on calendars and objects, from the provider's privileges for the asking principal.
            new(D + "acl", (n, ctx) => n is CalendarNode or ObjectNode or OutboxNode ? Privileges.Acl(Hrefs.Principal(ctx.User), n) : null, InAllProp: false),
            new(D + "supported-privilege-set", (n, _) => n is CalendarNode or ObjectNode or OutboxNode ? Privileges.SupportedSet(n) : null, InAllProp: false),
            new(D + "supported-report-set", (n, _) => SupportedReports(n), InAllProp: false),
            // RFC 5995 §3.2.1: where a POST creates a new object, only where the user could PUT one.
            new(D + "add-member", (n, _) => n is CalendarNode c && Handlers.AddMember.HrefFor(c) is { } href ? Href(href) : null, InAllProp: false),
            new(D + "sync-token", (n, _) => n is CalendarNode c ? c.Calendar.SyncToken : null, InAllProp: false),
            new(C + "calendar-home-set", (n, _) => n is PrincipalNode p ? Href(Hrefs.Home(p.User.UserName)) : null, InAllProp: false),
            new(C + "calendar-user-address-set", (n, _) => n is PrincipalNode p
                ? new[] { Href("mailto:" + p.User.Email), Href(p.Href) }
                : null, InAllProp: false),
            // RFC 6638 §2.1–2.4, §9: where the principal's scheduling collections are, and what kind of calendar user it is.
            new(C + "schedule-inbox-URL", (n, _) => n is PrincipalNode p ? Href(Hrefs.Inbox(p.User.UserName)) : null, InAllProp: false),
            new(C + "schedule-outbox-URL", (n, _) => n is PrincipalNode p ? Href(Hrefs.Outbox(p.User.UserName)) : null, InAllProp: false),
            new(C + "calendar-user-type", (n, _) => n is PrincipalNode ? "INDIVIDUAL" : null, InAllProp: false),
            new(C + "schedule-default-calendar-URL", (n, _) => n is CalendarNode { IsScheduleInbox: true, ScheduleDefaultCalendar: { } href } ? Href(href) : null, InAllProp: false),
            new(C + "schedule-calendar-transp", (n, _) => n is CalendarNode { IsScheduleInbox: false } c ? ScheduleTransparencyProperty.Value(c.Calendar) : null, InAllProp: false),
            new(C + "schedule-tag", (n, _) => n is ObjectNode { Object.ScheduleTag: { } tag } ? tag : null, InAllProp: false),
            new(C + "calendar-description", (n, _) => n is CalendarNode c ? c.Calendar.Description : null),
            new(C + "calendar-timezone", (n, _) => n is CalendarNode c ? c.Calendar.TimeZone : null),
            // RFC 7809 §5.2: read off calendar-timezone (see CalendarTimeZoneId), so the two always agree.
            new(C + "calendar-timezone-id", (n, _) => n is CalendarNode c ? CalendarTimeZoneId.Of(c.Calendar.TimeZone) : null, InAllProp: false),
            new(C + "supported-calendar-component-set", (n, _) => n is CalendarNode c
                ? c.Calendar.SupportedComponents.Select(x => new XElement(C + "comp", new XAttribute("name", x)))
                : null),
            new(C + "supported-calendar-data", (n, _) => n is CalendarNode
                ? new XElement(C + "calendar-data", new XAttribute("content-type", "text/calendar"), new XAttribute("version", "2.0"))
                : null),
            new(C + "min-date-time", (n, _) => n is CalendarNode ? Reports.DateLimits.MinText : null, InAllProp: false),
            new(C + "max-date-time", (n, _) => n is CalendarNode ? Reports.DateLimits.MaxText : null, InAllProp: false),
            new(C + "max-resource-size", (n, _) => n is CalendarNode ? options.MaxResourceSize.ToString(CultureInfo.InvariantCulture) : null),
            new(C + "max-instances", (n, _) => n is CalendarNode ? CalendarObjectParser.MaxInstances.ToString(CultureInfo.InvariantCulture) : null),
            new(CS + "getctag", (n, _) => n is CalendarNode c ? c.Calendar.CTag : null),
            new(ICAL + "calendar-color", (n, _) => n is CalendarNode c ? c.Calendar.Color : null),
            new(ICAL + "calendar-order", (n, _) => n is CalendarNode { Calendar.Order: { } order } ? order.ToString(CultureInfo.InvariantCulture) : null),
            new(X + "feed-status", (n, _) => n is CalendarNode { Calendar: IFeedStatus f } ? f.FeedStatus : null, InAllProp: false),
            .. QuotaProperties.Create(quota ?? new Caldera.Storage.Quota.QuotaOptions()),
            .. CalendarServerProperties.Create(),
        ];
        _byName = All.ToDictionary(p => p.Name);
    }

    public IReadOnlyList<LiveProperty> All { get; }

    public LiveProperty? Find(XName name) => _byName.GetValueOrDefault(name);

    static XElement Href(string href) => new(D + "href", href);

    static string? OwnerOf(DavNode node) => node switch
    {
        PrincipalNode p => p.User.UserName,
        HomeNode h => h.Owner,
        CalendarNode c => c.Calendar.Owner,
        ObjectNode o => o.Parent.Calendar.Owner,
        OutboxNode b => b.Owner,
        _ => null,
    };

    static IEnumerable<XElement> ResourceType(DavNode node) => node switch
    {
        ObjectNode => [],
        PrincipalNode => [new XElement(D + "collection"), new XElement(D + "principal")],
        CalendarNode { IsScheduleInbox: true } => [new XElement(D + "collection"), new XElement(C + "schedule-inbox")],
        CalendarNode => [new XElement(D + "collection"), new XElement(C + "calendar")],
        OutboxNode => [new XElement(D + "collection"), new XElement(C + "schedule-outbox")],
        _ => [new XElement(D + "collection")],
    };

    static IEnumerable<XElement> SupportedReports(DavNode node)
    {
        IEnumerable<XName> reports = node switch
        {
            CalendarNode c when c.Calendar.SyncToken is not null => [C + "calendar-multiget", C + "calendar-query", D + "sync-collection"],
            CalendarNode => [C + "calendar-multiget", C + "calendar-query"],
            _ => [],
        };
        if (node is CalendarNode { IsScheduleInbox: false } or HomeNode)
            reports = reports.Append(C + "free-busy-query");
        return reports.Concat(Reports.Principals.PrincipalReportSet.For(node))
            .Select(r => new XElement(D + "supported-report", new XElement(D + "report", new XElement(r))));
    }
}

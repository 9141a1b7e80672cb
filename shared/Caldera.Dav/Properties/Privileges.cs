using System.Xml.Linq;
using Caldera.Calendars.Providers;
using Caldera.Dav.Nodes;
using static Caldera.Dav.Xml.DavNames;

namespace Caldera.Dav.Properties;

/// <summary>RFC 3744 privilege names for what a principal holds on a node.</summary>
public static class Privileges
{
    public static CalendarPrivileges Of(DavNode node) => node switch
    {
        // RFC 6638 §2.2: the owner reads the inbox and removes what was delivered; only the server adds to it.
        CalendarNode { IsScheduleInbox: true } or ObjectNode { Parent.IsScheduleInbox: true } => CalendarPrivileges.Read | CalendarPrivileges.Unbind,
        CalendarNode c => c.Calendar.Privileges,
        ObjectNode o => o.Parent.Calendar.Privileges,
        HomeNode or PrincipalNode => CalendarPrivileges.All,
        _ => CalendarPrivileges.Read,
    };

    /// <summary>What the asking principal holds on <paramref name="node"/>: <see cref="Of"/>, plus the scheduling privileges on the inbox and outbox.</summary>
    public static IEnumerable<XElement> ElementsFor(DavNode node) => Elements(Of(node)).Concat(node switch
    {
        CalendarNode { IsScheduleInbox: true } => Scheduling(Deliver),
        OutboxNode => Scheduling(Send),
        _ => [],
    });

    /// <summary>RFC 6638 §6.1: CALDAV:schedule-deliver on an inbox aggregates these.</summary>
    static readonly (XName Aggregate, XName[] Parts) Deliver =
        (C + "schedule-deliver", [C + "schedule-deliver-invite", C + "schedule-deliver-reply", C + "schedule-query-freebusy"]);

    /// <summary>RFC 6638 §6.2: CALDAV:schedule-send on an outbox aggregates these.</summary>
    static readonly (XName Aggregate, XName[] Parts) Send =
        (C + "schedule-send", [C + "schedule-send-invite", C + "schedule-send-reply", C + "schedule-send-freebusy"]);

    static IEnumerable<XElement> Scheduling((XName Aggregate, XName[] Parts) set) =>
        set.Parts.Prepend(set.Aggregate).Select(n => new XElement(D + "privilege", new XElement(n)));

    public static IEnumerable<XElement> Elements(CalendarPrivileges p)
    {
        var names = new List<XName>();
        if (p.HasFlag(CalendarPrivileges.Read))
            names.AddRange([D + "read", D + "read-current-user-privilege-set", C + "read-free-busy"]);
        if (p == CalendarPrivileges.All)
            names.Add(D + "write");
        if (p.HasFlag(CalendarPrivileges.WriteProperties))
            names.Add(D + "write-properties");
        if (p.HasFlag(CalendarPrivileges.WriteContent))
            names.Add(D + "write-content");
        if (p.HasFlag(CalendarPrivileges.Bind))
            names.Add(D + "bind");
        if (p.HasFlag(CalendarPrivileges.Unbind))
            names.Add(D + "unbind");
        return names.Select(n => new XElement(D + "privilege", new XElement(n)));
    }

    /// <summary>DAV:acl content: one protected ACE granting the asking principal what the provider allows it.</summary>
    public static XElement Acl(string principalHref, DavNode node) =>
        new(D + "ace",
            new XElement(D + "principal", new XElement(D + "href", principalHref)),
            new XElement(D + "grant", ElementsFor(node)),
            new XElement(D + "protected"));

    /// <summary>DAV:supported-privilege-set content: the privileges Caldera knows, as an RFC 3744 §3.3 aggregation tree.</summary>
    /// <remarks>The inbox adds CALDAV:schedule-deliver and the outbox CALDAV:schedule-send (RFC 6638 §6), each under DAV:all.</remarks>
    public static XElement SupportedSet(DavNode node) =>
        Supported(D + "all", "any operation",
            Supported(D + "read", "read calendars and objects",
                Supported(C + "read-free-busy", "free-busy information")),
            Supported(D + "read-current-user-privilege-set", "read the current user's privileges"),
            Supported(D + "write", "any change",
                Supported(D + "write-properties", "change calendar properties"),
                Supported(D + "write-content", "change objects"),
                Supported(D + "bind", "add objects"),
                Supported(D + "unbind", "remove objects")),
            node switch
            {
                CalendarNode { IsScheduleInbox: true } => Supported(C + "schedule-deliver", "deliver scheduling messages",
                    Supported(C + "schedule-deliver-invite", "deliver invitations"),
                    Supported(C + "schedule-deliver-reply", "deliver replies"),
                    Supported(C + "schedule-query-freebusy", "ask for free-busy time")),
                OutboxNode => Supported(C + "schedule-send", "send scheduling messages",
                    Supported(C + "schedule-send-invite", "send invitations"),
                    Supported(C + "schedule-send-reply", "send replies"),
                    Supported(C + "schedule-send-freebusy", "ask others for free-busy time")),
                _ => null,
            });

    static XElement Supported(XName privilege, string description, params XElement?[] children) =>
        new(D + "supported-privilege",
            new XElement(D + "privilege", new XElement(privilege)),
            new XElement(D + "description", new XAttribute(XNamespace.Xml + "lang", "en"), description),
            children);

    /// <summary>403 with DAV:need-privileges (RFC 3744 §7.1.1) for the resource and privilege that were missing.</summary>
    public static DavException Denied(string href, string privilege) =>
        DavException.Forbidden($"you lack the {privilege} privilege on {href}",
            new XElement(D + "need-privileges",
                new XElement(D + "resource", new XElement(D + "href", href), new XElement(D + "privilege", new XElement(D + privilege)))));
}

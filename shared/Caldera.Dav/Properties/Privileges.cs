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
        CalendarNode c => c.Calendar.Privileges,
        ObjectNode o => o.Parent.Calendar.Privileges,
        HomeNode or PrincipalNode => CalendarPrivileges.All,
        _ => CalendarPrivileges.Read,
    };

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
    public static XElement Acl(string principalHref, CalendarPrivileges p) =>
        new(D + "ace",
            new XElement(D + "principal", new XElement(D + "href", principalHref)),
            new XElement(D + "grant", Elements(p)),
            new XElement(D + "protected"));

    /// <summary>DAV:supported-privilege-set content: the privileges Caldera knows, as an RFC 3744 §3.3 aggregation tree.</summary>
    public static XElement SupportedSet() =>
        Supported(D + "all", "any operation",
            Supported(D + "read", "read calendars and objects",
                Supported(C + "read-free-busy", "free-busy information")),
            Supported(D + "read-current-user-privilege-set", "read the current user's privileges"),
            Supported(D + "write", "any change",
                Supported(D + "write-properties", "change calendar properties"),
                Supported(D + "write-content", "change objects"),
                Supported(D + "bind", "add objects"),
                Supported(D + "unbind", "remove objects")));

    static XElement Supported(XName privilege, string description, params XElement[] children) =>
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

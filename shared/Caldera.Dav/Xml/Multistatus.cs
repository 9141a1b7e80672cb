using System.Xml.Linq;
using static Caldera.Dav.Xml.DavNames;

namespace Caldera.Dav.Xml;

/// <summary>Builds a DAV:multistatus (RFC 4918 §13) response by response.</summary>
public sealed class Multistatus(XName? rootName = null)
{
    readonly XElement _root = new(rootName ?? D + "multistatus");

    public XElement Root => _root;

    public static string StatusLine(int status) => status switch
    {
        200 => "HTTP/1.1 200 OK",
        403 => "HTTP/1.1 403 Forbidden",
        404 => "HTTP/1.1 404 Not Found",
        409 => "HTTP/1.1 409 Conflict",
        424 => "HTTP/1.1 424 Failed Dependency",
        507 => "HTTP/1.1 507 Insufficient Storage",
        _ => $"HTTP/1.1 {status} Status",
    };

    /// <summary>A response with one propstat per status; empty groups are skipped.</summary>
    public void AddPropstats(string href, IEnumerable<Propstat> propstats)
    {
        var response = new XElement(D + "response", new XElement(D + "href", href));
        foreach (var group in propstats.Where(p => p.Properties.Count > 0))
        {
            var propstat = new XElement(D + "propstat",
                new XElement(D + "prop", group.Properties),
                new XElement(D + "status", StatusLine(group.Status)));
            if (group.Error is not null)
                propstat.Add(new XElement(D + "error", group.Error));
            response.Add(propstat);
        }
        _root.Add(response);
    }

    public void AddStatus(string href, int status) =>
        _root.Add(new XElement(D + "response", new XElement(D + "href", href), new XElement(D + "status", StatusLine(status))));

    public void Add(XElement element) => _root.Add(element);
}

/// <summary>Properties that share a status inside one response.</summary>
public sealed record Propstat(int Status, List<XElement> Properties, XElement? Error = null);

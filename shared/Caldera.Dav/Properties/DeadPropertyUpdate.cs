using System.Xml.Linq;
using Caldera.Storage;

namespace Caldera.Dav.Properties;

/// <summary>
/// The dead-property instructions of one PROPPATCH, in document order, applied to whatever the resource holds when the
/// store writes (<see cref="Edit"/>). A set that does not fit the limits is refused with 507 (RFC 4918 §9.2.1: the server
/// did not have sufficient space to record the property); any refusal refuses the whole edit. Removing a property that
/// is not there succeeds (RFC 4918 §14.23).
/// </summary>
public sealed class DeadPropertyUpdate
{
    /// <summary>Per resource: properties, bytes of one property, bytes of all (XML as stored, UTF-8).</summary>
    public const int MaxCount = 32, MaxPropertyBytes = 4 * 1024, MaxTotalBytes = 16 * 1024;

    readonly List<(XName Name, XElement? Value)> _instructions = [];
    readonly HashSet<XName> _refused = [];

    public bool IsEmpty => _instructions.Count == 0;

    /// <summary>Names refused with 507 by the last <see cref="Edit"/>.</summary>
    public IReadOnlyCollection<XName> Refused => _refused;

    /// <summary>Whether a property is dead: neither a live property nor a protected one.</summary>
    public static bool IsDead(XName name, PropertyRegistry registry) => registry.Find(name) is null && !CalendarPropertyUpdate.IsProtected(name);

    /// <summary>Records one DAV:set or DAV:remove of a dead property.</summary>
    public void Add(XElement prop, bool remove) => _instructions.Add((prop.Name, remove ? null : Detached(prop)));

    /// <summary>The store's edit: the stored properties with every instruction applied, or a refusal.</summary>
    public bool Edit(string? current, out string? updated)
    {
        _refused.Clear();
        var properties = DeadProperties.Parse(current);
        foreach (var (name, value) in _instructions)
        {
            var next = properties.With(name, value);
            if (value is not null && (DeadProperties.SizeOf(value) > MaxPropertyBytes || next.All.Count > MaxCount || next.TotalSize > MaxTotalBytes))
                _refused.Add(name);
            else
                properties = next;
        }
        updated = properties.Serialize();
        return _refused.Count == 0;
    }

    /// <summary>
    /// A copy of the property element that keeps what its ancestors gave it (RFC 4918 §4.3): the in-scope prefixed
    /// namespace declarations (a value may hold QNames) and xml:lang.
    /// </summary>
    static XElement Detached(XElement prop)
    {
        var copy = new XElement(prop);
        foreach (var ancestor in prop.Ancestors())
        {
            foreach (var declaration in ancestor.Attributes().Where(a => a.IsNamespaceDeclaration && a.Name.Namespace == XNamespace.Xmlns))
                if (copy.Attribute(declaration.Name) is null)
                    copy.Add(new XAttribute(declaration));
            if (ancestor.Attribute(XNamespace.Xml + "lang") is { } lang && copy.Attribute(lang.Name) is null)
                copy.Add(new XAttribute(lang));
        }
        return copy;
    }
}

using System.Text;
using System.Xml;
using System.Xml.Linq;

namespace Caldera.Fuzz.Tests.Mutation;

/// <summary>
/// Structure-aware mutations of an XML request body: drop, duplicate, nest, move and rename elements, swap
/// namespaces, and put odd values in attributes and text. The result is written back as XML (so it gets past the
/// parser and reaches the body readers); a byte mutation on top sometimes breaks the XML itself.
/// </summary>
public sealed class XmlMutations
{
    static readonly XNamespace[] Namespaces = ["DAV:", "urn:ietf:params:xml:ns:caldav", "http://calendarserver.org/ns/", "http://apple.com/ns/ical/", "", "urn:x-fuzz"];

    static readonly string[] Attributes =
        ["name", "start", "end", "collation", "negate-condition", "match-type", "test", "content-type", "version", "novalue", "namespace", "xml:lang"];

    readonly IReadOnlyList<byte[]> _seeds;
    readonly XName[] _names;

    public XmlMutations(IReadOnlyList<byte[]> seeds)
    {
        _seeds = seeds;
        _names = seeds.Select(TryLoad).OfType<XDocument>().SelectMany(d => d.Descendants()).Select(e => e.Name).Distinct().ToArray();
    }

    public byte[] Mutate(byte[] seed, Random random, int steps)
    {
        var doc = TryLoad(seed);
        if (doc?.Root is null)
            return ByteMutations.Mutate(seed, _seeds, random);
        for (var i = 0; i < steps; i++)
            Step(doc, random);
        var bytes = Encoding.UTF8.GetBytes(doc.ToString(SaveOptions.DisableFormatting));
        return random.Next(5) == 0 ? ByteMutations.Mutate(bytes, _seeds, random) : bytes;
    }

    void Step(XDocument doc, Random random)
    {
        var elements = doc.Root!.DescendantsAndSelf().ToList();
        var target = elements[random.Next(elements.Count)];
        switch (random.Next(10))
        {
            case 0 when target.Parent is not null:
                target.Remove();
                break;
            case 1 when target.Parent is not null: // duplicate, a few or many times
                {
                    var times = random.Next(4) == 0 ? random.Next(50, 3000) : random.Next(1, 4);
                    for (var i = 0; i < times; i++)
                        target.AddAfterSelf(new XElement(target));
                    break;
                }
            case 2: // nest the element in copies of itself
                {
                    var depth = random.Next(4) == 0 ? random.Next(100, 2000) : random.Next(2, 20);
                    var inner = new XElement(target);
                    for (var i = 0; i < depth; i++)
                        inner = new XElement(target.Name, inner);
                    target.Add(inner);
                    break;
                }
            case 3:
                target.Name = Namespaces[random.Next(Namespaces.Length)] + target.Name.LocalName;
                break;
            case 4 when _names.Length > 0:
                target.Name = _names[random.Next(_names.Length)];
                break;
            case 5:
                {
                    var name = Attributes[random.Next(Attributes.Length)];
                    var xname = name == "xml:lang" ? XNamespace.Xml + "lang" : (XName)name;
                    target.SetAttributeValue(xname, Value(random));
                    break;
                }
            case 6 when !target.HasElements:
                target.Value = Value(random);
                break;
            case 7 when target.Parent is not null: // move under another element
                {
                    var parent = elements[random.Next(elements.Count)];
                    if (parent == target || parent.Ancestors().Contains(target))
                        break;
                    target.Remove();
                    parent.Add(target);
                    break;
                }
            case 8: // an element nobody expects
                target.Add(new XElement(Namespaces[random.Next(Namespaces.Length)] + ("x-" + random.Next(100)), Value(random)));
                break;
            default:
                target.RemoveAttributes();
                break;
        }
    }

    static string Value(Random random)
    {
        var pool = random.Next(3) switch { 0 => OddValues.Common, 1 => OddValues.Temporal, _ => OddValues.Rules };
        return Xml(pool[random.Next(pool.Length)]);
    }

    /// <summary>Only characters XML can carry (an odd value must break the reader, not the writer of the test).</summary>
    static string Xml(string value) => new(value.Where(XmlConvert.IsXmlChar).ToArray());

    static XDocument? TryLoad(byte[] bytes)
    {
        try
        {
            using var stream = new MemoryStream(bytes);
            return XDocument.Load(stream, LoadOptions.PreserveWhitespace);
        }
        catch (XmlException)
        {
            return null;
        }
    }
}

using System.Xml.Linq;
using Caldera.Dav.Properties;

namespace Caldera.Dav.Tests;

public class DeadPropertyUpdateTests
{
    static readonly XNamespace E = "urn:example:client";

    static XElement Props(string inner) => XElement.Parse(
        $"<D:propertyupdate xmlns:D=\"DAV:\" xmlns:q=\"urn:example:qnames\" xml:lang=\"fr\"><D:set><D:prop>{inner}</D:prop></D:set></D:propertyupdate>",
        LoadOptions.PreserveWhitespace).Descendants(XName.Get("prop", "DAV:")).Single();

    static string? Apply(DeadPropertyUpdate update, string? current = null)
    {
        Assert.True(update.Edit(current, out var updated));
        return updated;
    }

    [Fact]
    public void What_ancestors_give_a_property_is_kept_with_it()
    {
        var update = new DeadPropertyUpdate();
        update.Add(Props("<E:kind xmlns:E=\"urn:example:client\">q:value</E:kind>").Elements().Single(), remove: false);
        var stored = DeadProperties.Parse(Apply(update)).Find(E + "kind")!;
        Assert.Equal("fr", stored.Attribute(XNamespace.Xml + "lang")?.Value); // RFC 4918 §4.3: xml:lang in scope
        Assert.Equal("urn:example:qnames", stored.GetNamespaceOfPrefix("q")?.NamespaceName); // the QName in the value still resolves
        Assert.Equal("q:value", stored.Value);
    }

    [Fact]
    public void Sets_and_removes_apply_in_order_to_what_is_stored()
    {
        var first = new DeadPropertyUpdate();
        first.Add(new XElement(E + "a", "1"), remove: false);
        first.Add(new XElement(E + "b", "2"), remove: false);
        var stored = Apply(first);

        var second = new DeadPropertyUpdate();
        second.Add(new XElement(E + "a"), remove: true);
        second.Add(new XElement(E + "gone"), remove: true); // absent: not an error
        second.Add(new XElement(E + "b", "3"), remove: false);
        var after = DeadProperties.Parse(Apply(second, stored));
        Assert.Equal(["3"], after.All.Select(p => p.Value));

        var last = new DeadPropertyUpdate();
        last.Add(new XElement(E + "b"), remove: true);
        Assert.Null(Apply(last, after.Serialize()));
    }

    [Theory]
    [InlineData(DeadPropertyUpdate.MaxPropertyBytes + 50, 1)]
    [InlineData(100, DeadPropertyUpdate.MaxCount + 1)]
    [InlineData(3500, 5)]
    public void Beyond_a_limit_the_property_is_refused_and_the_edit_too(int bytes, int count)
    {
        var update = new DeadPropertyUpdate();
        for (var i = 0; i < count; i++)
            update.Add(new XElement(E + $"p{i}", new string('x', bytes - 40)), remove: false);
        Assert.False(update.Edit(null, out _));
        Assert.Equal([E + $"p{count - 1}"], update.Refused);
    }
}

using System.Net;
using System.Xml.Linq;
using static Caldera.Functions.Tests.Dav.DavHelpers;

namespace Caldera.Functions.Tests.Dav;

/// <summary>PROPPATCH (RFC 4918 §9.2): every instruction applies or none does.</summary>
[Collection(CalderaServerCollection.Name)]
public sealed class ProppatchTests(CalderaServerFixture server)
{
    const string Alice = CalderaServerFixture.Alice;

    const string TimeZone =
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Caldera tests//EN\r\nBEGIN:VTIMEZONE\r\nTZID:Europe/Berlin\r\n" +
        "BEGIN:STANDARD\r\nDTSTART:19701025T030000\r\nTZOFFSETFROM:+0200\r\nTZOFFSETTO:+0100\r\nRRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU\r\nEND:STANDARD\r\n" +
        "BEGIN:DAYLIGHT\r\nDTSTART:19700329T020000\r\nTZOFFSETFROM:+0100\r\nTZOFFSETTO:+0200\r\nRRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU\r\nEND:DAYLIGHT\r\n" +
        "END:VTIMEZONE\r\nEND:VCALENDAR\r\n";

    static string Update(params XElement[] instructions) =>
        new XElement(D + "propertyupdate",
            new XAttribute(XNamespace.Xmlns + "D", D.NamespaceName), new XAttribute(XNamespace.Xmlns + "C", C.NamespaceName),
            new XAttribute(XNamespace.Xmlns + "I", ICAL.NamespaceName), instructions).ToString();

    static XElement Set(params XElement[] props) => new(D + "set", new XElement(D + "prop", props));
    static XElement Remove(params XName[] props) => new(D + "remove", new XElement(D + "prop", props.Select(p => new XElement(p))));

    static readonly XName[] Editable = [D + "displayname", C + "calendar-description", ICAL + "calendar-color", ICAL + "calendar-order", C + "calendar-timezone"];

    async Task<XElement> ReadAsync(HttpClient client, string path)
    {
        var response = await PropfindAsync(client, path, "0", Editable);
        Assert.Equal((HttpStatusCode)207, response.Status);
        return response.Responses()[path];
    }

    [Fact]
    public async Task Set_calendar_properties_and_read_them_back()
    {
        using var client = server.CreateClient(Alice);
        var path = await MakeCalendarAsync(client, Alice, Unique("pp-set"));
        var result = await PatchAsync(client, path, Update(Set(
            new XElement(D + "displayname", "Work & play"),
            new XElement(C + "calendar-description", "Things to do"),
            new XElement(ICAL + "calendar-color", "#FF8800FF"),
            new XElement(ICAL + "calendar-order", "3"),
            new XElement(C + "calendar-timezone", TimeZone))));
        foreach (var name in Editable)
            Assert.Equal(200, result.StatusOf(name));

        var read = await ReadAsync(client, path);
        Assert.Equal("Work & play", read.Prop(D + "displayname").Value);
        Assert.Equal("Things to do", read.Prop(C + "calendar-description").Value);
        Assert.Equal("#FF8800FF", read.Prop(ICAL + "calendar-color").Value);
        Assert.Equal("3", read.Prop(ICAL + "calendar-order").Value);
        var tz = read.Prop(C + "calendar-timezone").Value;
        Assert.Contains("TZID:Europe/Berlin", tz);
        Assert.Contains("BEGIN:VTIMEZONE", tz);
    }

    [Theory]
    [InlineData("getetag")]
    [InlineData("resourcetype")]
    public async Task A_protected_property_fails_403_the_rest_424_and_nothing_changes(string protectedName)
    {
        using var client = server.CreateClient(Alice);
        var path = await MakeCalendarAsync(client, Alice, Unique("pp-prot"));
        var before = await ReadAsync(client, path);
        var result = await PatchAsync(client, path, Update(Set(
            new XElement(D + "displayname", "Should not stick"),
            new XElement(ICAL + "calendar-color", "#123456"),
            new XElement(D + protectedName, protectedName == "resourcetype" ? new XElement(D + "collection") : "\"abc\""))));
        Assert.Equal(403, result.StatusOf(D + protectedName));
        Assert.Equal(424, result.StatusOf(D + "displayname"));
        Assert.Equal(424, result.StatusOf(ICAL + "calendar-color"));
        // RFC 4918 §16: cannot-modify-protected-property in the propstat's error.
        var failed = result.Elements(D + "propstat").Single(ps => ps.Element(D + "prop")!.Element(D + protectedName) is not null);
        Assert.NotNull(failed.Element(D + "error")?.Element(D + "cannot-modify-protected-property"));

        var after = await ReadAsync(client, path);
        Assert.Equal(before.Prop(D + "displayname").Value, after.Prop(D + "displayname").Value);
        Assert.Equal(404, after.StatusOf(ICAL + "calendar-color"));
    }

    [Theory]
    [InlineData("red")]
    [InlineData("#12345")]
    [InlineData("#GGGGGG")]
    public async Task An_invalid_color_fails_and_nothing_changes(string color)
    {
        using var client = server.CreateClient(Alice);
        var path = await MakeCalendarAsync(client, Alice, Unique("pp-color"));
        await PatchAsync(client, path, Update(Set(new XElement(ICAL + "calendar-color", "#00FF00"))));
        var result = await PatchAsync(client, path, Update(Set(
            new XElement(D + "displayname", "Changed?"),
            new XElement(ICAL + "calendar-color", color))));
        var colorStatus = result.StatusOf(ICAL + "calendar-color");
        Assert.True(colorStatus is 403 or 409, $"color gave {colorStatus}");
        Assert.Equal(424, result.StatusOf(D + "displayname"));

        var after = await ReadAsync(client, path);
        Assert.Equal("#00FF00", after.Prop(ICAL + "calendar-color").Value);
        Assert.NotEqual("Changed?", after.Prop(D + "displayname").Value);
    }

    [Fact]
    public async Task An_invalid_timezone_fails_with_valid_calendar_data()
    {
        using var client = server.CreateClient(Alice);
        var path = await MakeCalendarAsync(client, Alice, Unique("pp-tz"));
        var result = await PatchAsync(client, path, Update(Set(new XElement(C + "calendar-timezone", Event("not-a-timezone")))));
        Assert.Equal(403, result.StatusOf(C + "calendar-timezone"));
        Assert.Equal(404, (await ReadAsync(client, path)).StatusOf(C + "calendar-timezone"));
    }

    [Fact]
    public async Task Remove_clears_properties()
    {
        using var client = server.CreateClient(Alice);
        var path = await MakeCalendarAsync(client, Alice, Unique("pp-rm"));
        await PatchAsync(client, path, Update(Set(
            new XElement(C + "calendar-description", "temporary"),
            new XElement(ICAL + "calendar-color", "#ABCDEF"),
            new XElement(ICAL + "calendar-order", "7"))));
        Assert.Equal("temporary", (await ReadAsync(client, path)).Prop(C + "calendar-description").Value);

        var result = await PatchAsync(client, path, Update(Remove(C + "calendar-description", ICAL + "calendar-color", ICAL + "calendar-order")));
        Assert.Equal(200, result.StatusOf(C + "calendar-description"));
        Assert.Equal(200, result.StatusOf(ICAL + "calendar-color"));

        var after = await ReadAsync(client, path);
        Assert.Equal(404, after.StatusOf(C + "calendar-description"));
        Assert.Equal(404, after.StatusOf(ICAL + "calendar-color"));
        Assert.Equal(404, after.StatusOf(ICAL + "calendar-order"));
    }

    [Fact]
    public async Task Set_then_remove_in_one_request_is_applied_in_document_order()
    {
        using var client = server.CreateClient(Alice);
        var path = await MakeCalendarAsync(client, Alice, Unique("pp-order"));
        await PatchAsync(client, path, Update(
            Set(new XElement(C + "calendar-description", "first")),
            Remove(C + "calendar-description"),
            Set(new XElement(ICAL + "calendar-color", "#010203")),
            Remove(ICAL + "calendar-color"),
            Set(new XElement(ICAL + "calendar-color", "#040506"))));
        var after = await ReadAsync(client, path);
        Assert.Equal(404, after.StatusOf(C + "calendar-description"));
        Assert.Equal("#040506", after.Prop(ICAL + "calendar-color").Value);
    }
}

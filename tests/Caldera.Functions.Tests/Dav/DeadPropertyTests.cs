using System.Net;
using System.Net.Http.Json;
using System.Xml.Linq;
using static Caldera.Functions.Tests.Dav.DavHelpers;

namespace Caldera.Functions.Tests.Dav;

/// <summary>
/// Dead properties (RFC 4918 §4, §9.2, §14.23): any property the server does not define is stored as given on a calendar
/// or a calendar object, listed by allprop and propname, copied by COPY, moved by MOVE and gone with DELETE.
/// </summary>
[Collection(CalderaServerCollection.Name)]
public sealed class DeadPropertyTests(CalderaServerFixture server)
{
    const string Alice = CalderaServerFixture.Alice;
    const string Bob = CalderaServerFixture.Bob;
    static readonly XNamespace E = "urn:example:client";
    static readonly XNamespace F = "urn:example:other";

    /// <summary>A value with what must survive: a prefixed attribute, xml:lang, mixed content, a nested namespace, whitespace.</summary>
    const string RichValue =
        "<E:settings xmlns:E=\"urn:example:client\" E:mode=\"dark\" plain=\"a &amp; b\" xml:lang=\"de-CH\">" +
        "Grüezi <E:b level=\"2\">fett</E:b> und <F:x xmlns:F=\"urn:example:other\" F:k=\"v\"/>\n  <E:empty/>  tail</E:settings>";

    static string Patch(string instructions) =>
        $"<D:propertyupdate xmlns:D=\"DAV:\" xmlns:I=\"http://apple.com/ns/ical/\">{instructions}</D:propertyupdate>";

    static string SetOf(params string[] props) => $"<D:set><D:prop>{string.Concat(props)}</D:prop></D:set>";
    static string RemoveOf(params string[] props) => $"<D:remove><D:prop>{string.Concat(props)}</D:prop></D:remove>";

    static string Simple(string local, string value) => $"<E:{local} xmlns:E=\"urn:example:client\">{value}</E:{local}>";

    static async Task<XElement> PatchAsync(HttpClient client, string path, string body)
    {
        var response = await SendAsync(client, Xml(Proppatch, path, body));
        Assert.True((int)response.Status == 207, response.ToString());
        return Parse(response).Root!.Elements(D + "response").Single();
    }

    /// <summary>The multistatus with whitespace kept (dead values are compared node for node).</summary>
    static XDocument Parse(DavResponse response) => XDocument.Parse(response.Text, LoadOptions.PreserveWhitespace);

    static async Task<Dictionary<string, XElement>> PropfindXmlAsync(HttpClient client, string path, string depth, string body)
    {
        var response = await SendAsync(client, Xml(Propfind, path, body, depth));
        Assert.True((int)response.Status == 207, response.ToString());
        return Parse(response).Root!.Elements(D + "response").ToDictionary(r => r.Element(D + "href")!.Value);
    }

    static Task<Dictionary<string, XElement>> NamedAsync(HttpClient client, string path, string depth, params XName[] names) =>
        PropfindXmlAsync(client, path, depth, PropfindBody(names));

    const string AllProp = "<D:propfind xmlns:D=\"DAV:\"><D:allprop/></D:propfind>";
    const string PropName = "<D:propfind xmlns:D=\"DAV:\"><D:propname/></D:propfind>";

    /// <summary>The element without namespace declarations (prefixes may differ; names, attributes and content may not).</summary>
    static XElement Canonical(XElement e)
    {
        var copy = new XElement(e);
        foreach (var element in copy.DescendantsAndSelf())
            element.Attributes().Where(a => a.IsNamespaceDeclaration).Remove();
        return copy;
    }

    static void AssertSame(string expected, XElement actual) =>
        Assert.True(XNode.DeepEquals(Canonical(XElement.Parse(expected, LoadOptions.PreserveWhitespace)), Canonical(actual)),
            $"expected {expected}\nactual   {actual}");

    async Task<(string Calendar, string Object)> CalendarWithObjectAsync(HttpClient client, string prefix)
    {
        var calendar = await MakeCalendarAsync(client, Alice, Unique(prefix));
        await PutNewAsync(client, calendar + "a.ics", Event("a-uid"));
        return (calendar, calendar + "a.ics");
    }

    [Fact]
    public async Task Removing_a_property_that_is_not_there_is_200()
    {
        using var client = server.CreateClient(Alice);
        var (calendar, item) = await CalendarWithObjectAsync(client, "dp-rm");
        foreach (var path in new[] { calendar, item })
        {
            // calendar-order is live on a calendar (and absent there); on an object it is a protected name.
            var live = path == calendar ? "<I:calendar-order/>" : "";
            var result = await PatchAsync(client, path, Patch(RemoveOf("<E:absent xmlns:E=\"urn:example:client\"/>", live)));
            Assert.Equal(200, result.StatusOf(E + "absent"));
            if (path == calendar)
                Assert.Equal(200, result.StatusOf(ICAL + "calendar-order"));
        }
    }

    [Fact]
    public async Task A_dead_property_on_a_calendar_comes_back_exactly_and_is_listed_by_allprop_and_propname()
    {
        using var client = server.CreateClient(Alice);
        var calendar = await MakeCalendarAsync(client, Alice, Unique("dp-cal"));
        var result = await PatchAsync(client, calendar, Patch(SetOf(RichValue, Simple("plain", "x"))));
        Assert.Equal(200, result.StatusOf(E + "settings"));
        Assert.Equal(200, result.StatusOf(E + "plain"));

        var named = (await NamedAsync(client, calendar, "0", E + "settings", E + "missing"))[calendar];
        AssertSame(RichValue, named.Prop(E + "settings"));
        Assert.Equal(404, named.StatusOf(E + "missing"));

        var all = (await PropfindXmlAsync(client, calendar, "0", AllProp))[calendar];
        AssertSame(RichValue, all.Prop(E + "settings"));
        Assert.Equal("x", all.Prop(E + "plain").Value);
        Assert.Equal(200, all.StatusOf(D + "displayname")); // live properties are still there

        var names = (await PropfindXmlAsync(client, calendar, "0", PropName))[calendar];
        Assert.True(names.Prop(E + "settings").IsEmpty);
        Assert.True(names.Prop(E + "plain").IsEmpty);

        // Overwritten, then removed.
        await PatchAsync(client, calendar, Patch(SetOf(Simple("plain", "y")) + RemoveOf("<E:settings xmlns:E=\"urn:example:client\"/>")));
        var after = (await NamedAsync(client, calendar, "0", E + "settings", E + "plain"))[calendar];
        Assert.Equal(404, after.StatusOf(E + "settings"));
        Assert.Equal("y", after.Prop(E + "plain").Value);
    }

    [Fact]
    public async Task A_dead_property_on_an_object_is_kept_through_a_put_and_does_not_change_the_etag()
    {
        using var client = server.CreateClient(Alice);
        var (calendar, item) = await CalendarWithObjectAsync(client, "dp-obj");
        var etag = (await PropfindAsync(client, item, "0", D + "getetag")).Responses()[item].Prop(D + "getetag").Value;
        var result = await PatchAsync(client, item, Patch(SetOf(RichValue)));
        Assert.Equal(200, result.StatusOf(E + "settings"));

        var object0 = (await NamedAsync(client, item, "0", E + "settings", D + "getetag"))[item];
        AssertSame(RichValue, object0.Prop(E + "settings"));
        Assert.Equal(etag, object0.Prop(D + "getetag").Value);
        var listing = await PropfindXmlAsync(client, calendar, "1", AllProp);
        AssertSame(RichValue, listing[item].Prop(E + "settings"));
        Assert.Null(listing[calendar].StatusOf(E + "settings"));
        Assert.True((await PropfindXmlAsync(client, calendar, "1", PropName))[item].Prop(E + "settings").IsEmpty);

        // RFC 4918 §9.7.1: a PUT replaces the body; the resource's properties are not otherwise affected.
        var put = Put(item, Event("a-uid", "changed"));
        var replaced = await SendAsync(client, put);
        Assert.True(replaced.Status == HttpStatusCode.NoContent, replaced.ToString());
        AssertSame(RichValue, (await NamedAsync(client, item, "0", E + "settings"))[item].Prop(E + "settings"));
    }

    [Fact]
    public async Task Limits_are_refused_with_507_and_nothing_is_applied()
    {
        using var client = server.CreateClient(Alice);
        var (calendar, item) = await CalendarWithObjectAsync(client, "dp-lim");
        foreach (var path in new[] { calendar, item })
        {
            // One value above 4 KiB.
            var big = await PatchAsync(client, path, Patch(SetOf(Simple("ok", "fine"), Simple("big", new string('x', 5000)))));
            Assert.Equal(507, big.StatusOf(E + "big"));
            Assert.Equal(424, big.StatusOf(E + "ok"));

            // A 33rd property.
            var many = await PatchAsync(client, path, Patch(SetOf(Enumerable.Range(0, 33).Select(i => Simple($"p{i}", "v")).ToArray())));
            Assert.Equal(507, many.StatusOf(E + "p32"));
            Assert.Equal(424, many.StatusOf(E + "p0"));

            // More than 16 KiB in all: the fifth value of 3.5 KiB does not fit.
            var total = await PatchAsync(client, path, Patch(SetOf(Enumerable.Range(0, 5).Select(i => Simple($"t{i}", new string('y', 3500))).ToArray())));
            Assert.Equal(507, total.StatusOf(E + "t4"));
            Assert.Equal(424, total.StatusOf(E + "t0"));

            var names = (await PropfindXmlAsync(client, path, "0", PropName))[path];
            Assert.DoesNotContain(names.Descendants(), e => e.Name.Namespace == E);

            // Within the limits: 32 properties are fine.
            var fits = await PatchAsync(client, path, Patch(SetOf(Enumerable.Range(0, 32).Select(i => Simple($"p{i}", "v")).ToArray())));
            Assert.Equal(200, fits.StatusOf(E + "p31"));
        }
    }

    [Fact]
    public async Task One_failing_instruction_applies_nothing()
    {
        using var client = server.CreateClient(Alice);
        var (calendar, item) = await CalendarWithObjectAsync(client, "dp-atom");
        var onCalendar = await PatchAsync(client, calendar, Patch(SetOf(Simple("kept", "no"), "<I:calendar-color>red</I:calendar-color>")));
        Assert.Equal(424, onCalendar.StatusOf(E + "kept"));
        Assert.True(onCalendar.StatusOf(ICAL + "calendar-color") is 403 or 409);
        var onObject = await PatchAsync(client, item, Patch(SetOf(Simple("kept", "no"), "<D:getetag>\"x\"</D:getetag>")));
        Assert.Equal(424, onObject.StatusOf(E + "kept"));
        Assert.Equal(403, onObject.StatusOf(D + "getetag"));
        foreach (var path in new[] { calendar, item })
            Assert.Equal(404, (await NamedAsync(client, path, "0", E + "kept"))[path].StatusOf(E + "kept"));
    }

    [Fact]
    public async Task Copy_copies_move_moves_delete_removes_and_a_new_calendar_starts_empty()
    {
        using var client = server.CreateClient(Alice);
        var (calendar, item) = await CalendarWithObjectAsync(client, "dp-cm");
        var other = await MakeCalendarAsync(client, Alice, Unique("dp-cm2"));
        await PatchAsync(client, item, Patch(SetOf(RichValue)));
        await PatchAsync(client, calendar, Patch(SetOf(Simple("mine", "1"))));

        async Task TransferAsync(HttpMethod method, string from, string to)
        {
            var request = new HttpRequestMessage(method, from);
            request.Headers.Add("Destination", to);
            var response = await SendAsync(client, request);
            Assert.True(response.Status == HttpStatusCode.Created, response.ToString());
        }

        await TransferAsync(Copy, item, other + "copy.ics");
        AssertSame(RichValue, (await NamedAsync(client, other + "copy.ics", "0", E + "settings"))[other + "copy.ics"].Prop(E + "settings"));
        AssertSame(RichValue, (await NamedAsync(client, item, "0", E + "settings"))[item].Prop(E + "settings"));

        await TransferAsync(Move, item, calendar + "moved.ics");
        AssertSame(RichValue, (await NamedAsync(client, calendar + "moved.ics", "0", E + "settings"))[calendar + "moved.ics"].Prop(E + "settings"));
        Assert.Equal(HttpStatusCode.NotFound, (await PropfindAsync(client, item, "0", E + "settings")).Status);

        Assert.Equal(HttpStatusCode.NoContent, (await SendAsync(client, new HttpRequestMessage(HttpMethod.Delete, other + "copy.ics"))).Status);
        await PutNewAsync(client, other + "copy.ics", Event("a-uid"));
        Assert.Equal(404, (await NamedAsync(client, other + "copy.ics", "0", E + "settings"))[other + "copy.ics"].StatusOf(E + "settings"));

        Assert.Equal(HttpStatusCode.NoContent, (await SendAsync(client, new HttpRequestMessage(HttpMethod.Delete, calendar))).Status);
        var again = await MakeCalendarAsync(client, Alice, calendar.Split('/')[^2]);
        Assert.Equal(404, (await NamedAsync(client, again, "0", E + "mine"))[again].StatusOf(E + "mine"));
    }

    [Fact]
    public async Task Another_user_sees_them_only_through_a_share_and_cannot_write_them()
    {
        using var alice = server.CreateClient(Alice);
        using var bob = server.CreateClient(Bob);
        var (calendar, item) = await CalendarWithObjectAsync(alice, "dp-usr");
        await PatchAsync(alice, calendar, Patch(SetOf(Simple("mine", "1"))));
        await PatchAsync(alice, item, Patch(SetOf(Simple("mine", "2"))));

        foreach (var path in new[] { calendar, item })
        {
            Assert.Equal(HttpStatusCode.NotFound, (await PropfindAsync(bob, path, "0", E + "mine")).Status);
            Assert.Equal(HttpStatusCode.NotFound, (await SendAsync(bob, Xml(Proppatch, path, Patch(SetOf(Simple("mine", "bob")))))).Status);
        }

        var name = calendar.Split('/')[^2];
        foreach (var access in new[] { "read", "read-write" })
        {
            using (var manage = server.CreateManagementClient())
            using (var shared = await manage.PutAsJsonAsync($"manage/users/{Alice}/calendars/{name}/shares/{Bob}", new { access }))
                Assert.Equal(HttpStatusCode.OK, shared.StatusCode);
            var bobCalendar = CalendarPath(Bob, $"app-generated--shared--{Alice}--{name}");
            // Bob may read the calendar, so he reads its properties; write-properties is never granted by a share.
            Assert.Equal("1", (await NamedAsync(bob, bobCalendar, "0", E + "mine"))[bobCalendar].Prop(E + "mine").Value);
            Assert.Equal("2", (await NamedAsync(bob, bobCalendar + "a.ics", "0", E + "mine"))[bobCalendar + "a.ics"].Prop(E + "mine").Value);
            foreach (var path in new[] { bobCalendar, bobCalendar + "a.ics" })
            {
                var refused = await PatchAsync(bob, path, Patch(SetOf(Simple("mine", "bob")) + RemoveOf(Simple("mine", ""))));
                Assert.Equal(403, refused.StatusOf(E + "mine"));
            }
        }
        Assert.Equal("1", (await NamedAsync(alice, calendar, "0", E + "mine"))[calendar].Prop(E + "mine").Value);
        Assert.Equal("2", (await NamedAsync(alice, item, "0", E + "mine"))[item].Prop(E + "mine").Value);
    }

    [Fact]
    public async Task A_changed_object_property_is_in_the_sync_delta_and_a_no_op_is_not()
    {
        using var client = server.CreateClient(Alice);
        var (calendar, item) = await CalendarWithObjectAsync(client, "dp-sync");
        static string Sync(string token) =>
            $"<D:sync-collection xmlns:D=\"DAV:\"><D:sync-token>{token}</D:sync-token><D:sync-level>1</D:sync-level><D:prop><D:getetag/></D:prop></D:sync-collection>";
        async Task<string> TokenAsync() => (await PropfindAsync(client, calendar, "0", D + "sync-token")).Responses()[calendar].Prop(D + "sync-token").Value;
        async Task<IReadOnlyCollection<string>> DeltaAsync(string token) =>
            (await SendAsync(client, Xml(Report, calendar, Sync(token), "1"))).Responses().Keys.ToList();

        var before = await TokenAsync();
        await PatchAsync(client, item, Patch(SetOf(Simple("mine", "1"))));
        Assert.Equal([item], await DeltaAsync(before));
        var after = await TokenAsync();
        await PatchAsync(client, item, Patch(RemoveOf(Simple("absent", ""))));
        Assert.Equal(after, await TokenAsync()); // nothing changed, nothing written
        Assert.Empty(await DeltaAsync(after));
    }

    [Fact]
    public async Task The_home_and_the_principal_keep_no_dead_properties()
    {
        using var client = server.CreateClient(Alice);
        foreach (var path in new[] { $"/calendars/{Alice}/", $"/principals/{Alice}/" })
            Assert.Equal(403, (await PatchAsync(client, path, Patch(SetOf(Simple("mine", "1"))))).StatusOf(E + "mine"));
    }
}

using System.Net;
using Caldera.Functions.Tests.Dav;
using static Caldera.Functions.Tests.Dav.DavHelpers;

namespace Caldera.Functions.Tests.Principals;

/// <summary>Prefer: return=minimal (RFC 7240, RFC 8144) and Brief: t on PROPFIND and REPORT.</summary>
[Collection(CalderaServerCollection.Name)]
public sealed class PreferMinimalTests(CalderaServerFixture server)
{
    const string Alice = CalderaServerFixture.Alice;
    const string Ns = """xmlns:D="DAV:" xmlns:C="urn:ietf:params:xml:ns:caldav" """;

    static int NotFoundPropstats(DavResponse response) => response.Xml.Root!.Descendants(D + "propstat")
        .Count(p => MultistatusExtensions.ParseStatus(p.Element(D + "status")!.Value) == 404);

    static string? Applied(DavResponse response) =>
        response.Headers.TryGetValues("Preference-Applied", out var values) ? string.Join(",", values) : null;

    [Fact]
    public async Task Propfind_with_prefer_minimal_drops_404_propstats_and_says_so()
    {
        using var client = server.CreateClient(Alice);
        var path = await MakeCalendarAsync(client, Alice, Unique("min"));
        var props = new[] { D + "displayname", C + "calendar-description", CS + "no-such-thing" };

        var full = await PropfindAsync(client, path, "0", props);
        Assert.Equal(1, NotFoundPropstats(full)); // one 404 propstat holding both missing properties
        Assert.Equal(404, full.Responses()[path].StatusOf(CS + "no-such-thing"));
        Assert.Null(Applied(full));

        var request = Xml(Propfind, path, PropfindBody(props), "0");
        request.Headers.Add("Prefer", "return=minimal");
        var minimal = await SendAsync(client, request);
        Assert.True(minimal.Status == (HttpStatusCode)207, minimal.ToString());
        Assert.Equal(0, NotFoundPropstats(minimal));
        Assert.Equal("return=minimal", Applied(minimal));
        var response = minimal.Responses()[path];
        Assert.Equal(path.TrimEnd('/').Split('/')[^1], response.Prop(D + "displayname").Value);
        Assert.Null(response.StatusOf(CS + "no-such-thing"));
    }

    [Fact]
    public async Task Brief_t_on_depth_1_drops_responses_left_empty()
    {
        using var client = server.CreateClient(Alice);
        var path = await MakeCalendarAsync(client, Alice, Unique("brief"));
        await PutNewAsync(client, path + "one.ics", Event(Unique("uid")));
        await PutNewAsync(client, path + "two.ics", Event(Unique("uid")));
        // The objects have neither property: without Brief they answer 404 propstats, with Brief they vanish.
        var props = new[] { D + "displayname", CS + "getctag" };
        var full = await PropfindAsync(client, path, "1", props);
        Assert.Equal(3, full.Responses().Count);

        var request = Xml(Propfind, path, PropfindBody(props), "1");
        request.Headers.Add("Brief", "t");
        var brief = await SendAsync(client, request);
        Assert.Equal(new[] { path }, brief.Responses().Keys);
        Assert.Equal(0, NotFoundPropstats(brief));
        Assert.Equal("return=minimal", Applied(brief));

        var off = Xml(Propfind, path, PropfindBody(props), "1");
        off.Headers.Add("Brief", "f");
        off.Headers.Add("Prefer", "return=representation");
        var notMinimal = await SendAsync(client, off);
        Assert.Equal(3, notMinimal.Responses().Count);
        Assert.Null(Applied(notMinimal));
    }

    [Fact]
    public async Task Report_with_prefer_minimal_drops_404_propstats_but_keeps_404_responses()
    {
        using var client = server.CreateClient(Alice);
        var path = await MakeCalendarAsync(client, Alice, Unique("minr"));
        await PutNewAsync(client, path + "a.ics", Event(Unique("uid")));
        var body = $"""<C:calendar-multiget {Ns}><D:prop><D:getetag/><D:displayname/></D:prop><D:href>{path}a.ics</D:href><D:href>{path}gone.ics</D:href></C:calendar-multiget>""";

        var full = await SendAsync(client, Xml(Report, path, body, "1"));
        Assert.Equal(1, NotFoundPropstats(full));

        var request = Xml(Report, path, body, "1");
        request.Headers.Add("Prefer", "handling=lenient, return=minimal");
        var minimal = await SendAsync(client, request);
        Assert.Equal(0, NotFoundPropstats(minimal));
        Assert.Equal("return=minimal", Applied(minimal));
        var responses = minimal.Responses();
        Assert.NotEmpty(responses[path + "a.ics"].Prop(D + "getetag").Value);
        Assert.Equal(404, responses[path + "gone.ics"].ResponseStatus()); // the href's own status is not a propstat
    }
}

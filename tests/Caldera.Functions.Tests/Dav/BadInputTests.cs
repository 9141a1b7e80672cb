using System.Net;
using System.Text;
using static Caldera.Functions.Tests.Dav.DavHelpers;

namespace Caldera.Functions.Tests.Dav;

/// <summary>Hostile or broken requests: odd paths sent byte for byte, malformed and dangerous XML, oversized bodies.</summary>
[Collection(CalderaServerCollection.Name)]
public sealed class BadInputTests(CalderaServerFixture server)
{
    const string Alice = CalderaServerFixture.Alice;

    // Each target is sent byte for byte over TCP (HttpClient would normalise dot segments). All but the NUL cases reach
    // the engine, which answers with a DAV:error body; Kestrel itself refuses a decoded NUL with a bare 400.
    [Theory]
    [InlineData("/calendars/alice/%2e%2e/bob/", 400)]
    [InlineData("/calendars/alice/%2E%2E/", 400)]
    [InlineData("/calendars/alice/../bob/", 400)]
    [InlineData("/calendars/alice/default/../../bob/default/", 400)]
    [InlineData("/calendars/alice/./default/", 400)]
    [InlineData("/calendars/alice/default%2Fx/", 400)]
    [InlineData("/calendars/alice/default%2fx.ics", 400)]
    [InlineData("/calendars/alice/default%5C..%5Cx/", 400)]
    [InlineData("/calendars/alice/%0A/", 400)]
    [InlineData("/calendars/alice/default/a%0D%0AX-Injected:%201.ics", 400)]
    [InlineData("/calendars/alice/%zz/", 400)]
    [InlineData("/calendars/alice/default/%e.ics", 400)]
    [InlineData("/calendars/alice/default/%C3%28.ics", 400)]
    [InlineData("/calendars//alice/", 400)]
    [InlineData("/nothing-here/", 404)]
    [InlineData("/nothing-here/x.ics", 404)]
    [InlineData("/calendars/alice/default/a/b/c/d/e/f/g/h/i.ics", 404)]
    public async Task Odd_paths_reach_the_engine_and_are_refused(string target, int expected)
    {
        foreach (var method in new[] { "PROPFIND", "GET", "PUT", "DELETE" })
        {
            var (status, text) = await SendOddAsync(method, target);
            Assert.True(status == expected, $"{method} {target} gave {status}: {text}");
            Assert.Contains("<D:error", text);
            Assert.DoesNotContain("X-Injected", text.Split("\r\n\r\n")[0]);
        }
    }

    [Theory]
    [InlineData("/calendars/alice/%00/")]
    [InlineData("/calendars/alice/default/a%00.ics")]
    public async Task A_nul_in_the_path_is_400(string target)
    {
        foreach (var method in new[] { "PROPFIND", "GET", "PUT", "DELETE" })
        {
            var (status, text) = await SendOddAsync(method, target);
            Assert.True(status == 400, $"{method} {target} gave {status}: {text}");
        }
    }

    Task<(int Status, string Text)> SendOddAsync(string method, string target)
    {
        var body = method == "PROPFIND"
            ? """<?xml version="1.0"?><D:propfind xmlns:D="DAV:"><D:prop><D:displayname/></D:prop></D:propfind>"""
            : null;
        return RawAsync(server.BaseUri, method, target, Alice, server.PasswordOf(Alice), body);
    }

    [Fact]
    public async Task A_dot_dot_path_does_not_reach_another_users_data()
    {
        using var bob = server.CreateClient(CalderaServerFixture.Bob);
        var calendar = await MakeCalendarAsync(bob, CalderaServerFixture.Bob, Unique("bobcal"));
        await PutNewAsync(bob, calendar + "bobs.ics", Event(Unique("uid"), "Bob's plans"));
        var name = calendar.Split('/', StringSplitOptions.RemoveEmptyEntries)[^1];
        foreach (var target in new[] { $"/calendars/alice/../bob/{name}/bobs.ics", $"/calendars/alice/%2e%2e/bob/{name}/bobs.ics", $"/calendars/alice/default/%2e%2e/%2e%2e/bob/{name}/bobs.ics" })
        {
            var (status, text) = await RawAsync(server.BaseUri, "GET", target, Alice, server.PasswordOf(Alice));
            Assert.True(status is 400 or 404, $"GET {target} gave {status}");
            Assert.DoesNotContain("Bob's plans", text);
        }
    }

    [Theory]
    [InlineData("PROPFIND", "/calendars/alice/", "<D:propfind xmlns:D=\"DAV:\"><D:prop><D:displayname></D:prop></D:propfind>")]
    [InlineData("PROPFIND", "/calendars/alice/", "not xml at all")]
    [InlineData("PROPPATCH", "/calendars/alice/default/", "<D:propertyupdate xmlns:D=\"DAV:\"><D:set>")]
    [InlineData("REPORT", "/calendars/alice/default/", "<C:calendar-query xmlns:C=\"urn:ietf:params:xml:ns:caldav\"")]
    [InlineData("MKCALENDAR", "/calendars/alice/malformed-xml/", "<C:mkcalendar xmlns:C=\"urn:ietf:params:xml:ns:caldav\"><x:y/></C:mkcalendar>")]
    public async Task Malformed_xml_is_400(string method, string path, string body)
    {
        using var client = server.CreateClient(Alice);
        var response = await SendAsync(client, Xml(new HttpMethod(method), path, body, "0"));
        Assert.Equal(HttpStatusCode.BadRequest, response.Status);
        if (method == "MKCALENDAR")
            Assert.Equal(HttpStatusCode.NotFound, (await PropfindAsync(client, path, "0", D + "resourcetype")).Status);
    }

    [Theory]
    [InlineData("PROPFIND", "/calendars/alice/")]
    [InlineData("PROPPATCH", "/calendars/alice/default/")]
    [InlineData("REPORT", "/calendars/alice/default/")]
    public async Task Xml_with_a_dtd_or_external_entity_is_400_and_never_resolved(string method, string path)
    {
        using var client = server.CreateClient(Alice);
        var xxe = """
            <?xml version="1.0"?>
            <!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>
            <D:propertyupdate xmlns:D="DAV:"><D:set><D:prop><D:displayname>&e;</D:displayname></D:prop></D:set></D:propertyupdate>
            """;
        if (method == "PROPFIND")
            xxe = xxe.Replace("D:propertyupdate", "D:propfind").Replace("<D:set><D:prop><D:displayname>&e;</D:displayname></D:prop></D:set>", "<D:prop><D:displayname/>&e;</D:prop>");
        else if (method == "REPORT")
            xxe = xxe.Replace("D:propertyupdate", "D:sync-collection").Replace("<D:set><D:prop><D:displayname>&e;</D:displayname></D:prop></D:set>", "<D:sync-token>&e;</D:sync-token><D:prop><D:getetag/></D:prop>");
        var response = await SendAsync(client, Xml(new HttpMethod(method), path, xxe, "0"));
        Assert.Equal(HttpStatusCode.BadRequest, response.Status);
        Assert.DoesNotContain("root:", response.Text);

        // An internal entity expansion bomb is refused too.
        var bomb = """
            <?xml version="1.0"?>
            <!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]>
            <D:propfind xmlns:D="DAV:"><D:prop><D:displayname/></D:prop>&lol2;</D:propfind>
            """;
        Assert.Equal(HttpStatusCode.BadRequest, (await SendAsync(client, Xml(Propfind, "/calendars/alice/", bomb, "0"))).Status);

        var displayName = await PropfindAsync(client, "/calendars/alice/default/", "0", D + "displayname");
        Assert.DoesNotContain("root:", displayName.Text);
    }

    static string HugePropfind()
    {
        var sb = new StringBuilder("<?xml version=\"1.0\"?><D:propfind xmlns:D=\"DAV:\"><D:prop>");
        while (sb.Length < 1024 * 1024 + 1000)
            sb.Append("<D:displayname/>");
        return sb.Append("</D:prop></D:propfind>").ToString();
    }

    [Fact]
    public async Task An_xml_body_over_one_mebibyte_is_413()
    {
        using var client = server.CreateClient(Alice);
        var response = await SendAsync(client, Xml(Propfind, "/calendars/alice/", HugePropfind(), "0"));
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.Status);

        var chunked = new HttpRequestMessage(Propfind, "/calendars/alice/")
        {
            Content = new StreamContent(new MemoryStream(Encoding.UTF8.GetBytes(HugePropfind()))),
        };
        chunked.Content.Headers.ContentType = new("application/xml");
        chunked.Headers.TransferEncodingChunked = true;
        chunked.Headers.Add("Depth", "0");
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, (await SendAsync(client, chunked)).Status);
    }

    [Fact]
    public async Task An_oversized_proppatch_changes_nothing()
    {
        using var client = server.CreateClient(Alice);
        var path = await MakeCalendarAsync(client, Alice, Unique("big-pp"));
        var body = "<D:propertyupdate xmlns:D=\"DAV:\"><D:set><D:prop><D:displayname>" + new string('z', 1024 * 1024 + 10) +
                   "</D:displayname></D:prop></D:set></D:propertyupdate>";
        var response = await SendAsync(client, Xml(Proppatch, path, body));
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.Status);
        var name = (await PropfindAsync(client, path, "0", D + "displayname")).Responses()[path].Prop(D + "displayname").Value;
        Assert.DoesNotContain("zzzz", name);
    }

    [Theory]
    [InlineData("2")]
    [InlineData("one")]
    public async Task A_bad_depth_is_400(string depth)
    {
        using var client = server.CreateClient(Alice);
        var response = await PropfindAsync(client, "/calendars/alice/", depth, D + "displayname");
        Assert.Equal(HttpStatusCode.BadRequest, response.Status);
    }

    [Fact]
    public async Task A_propfind_body_that_is_not_propfind_is_400()
    {
        using var client = server.CreateClient(Alice);
        var response = await SendAsync(client, Xml(Propfind, "/calendars/alice/", """<D:propertyupdate xmlns:D="DAV:"/>""", "0"));
        Assert.Equal(HttpStatusCode.BadRequest, response.Status);
    }
}

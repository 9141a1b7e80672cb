using System.Net;
using System.Xml.Linq;
using static Caldera.Functions.Tests.Dav.DavHelpers;

namespace Caldera.Functions.Tests.Dav;

/// <summary>RFC 6764 / RFC 4918 / RFC 4791 §6 discovery: from the well-known URI to the calendars of a home.</summary>
[Collection(CalderaServerCollection.Name)]
public sealed class DiscoveryTests(CalderaServerFixture server)
{
    const string Alice = CalderaServerFixture.Alice;

    [Fact]
    public async Task Well_known_caldav_is_a_301_to_the_root_without_credentials()
    {
        using var handler = new HttpClientHandler { AllowAutoRedirect = false };
        using var client = new HttpClient(handler) { BaseAddress = server.BaseUri };
        using var response = await client.SendAsync(new HttpRequestMessage(Propfind, "/.well-known/caldav"));
        Assert.Equal(HttpStatusCode.MovedPermanently, response.StatusCode);
        var location = response.Headers.Location!;
        Assert.Equal("/", location.IsAbsoluteUri ? location.AbsolutePath : location.OriginalString);
    }

    [Theory]
    [InlineData("/")]
    [InlineData("/calendars/alice/default/")]
    public async Task Options_advertises_the_compliance_classes_and_methods_without_auth(string path)
    {
        using var client = server.CreateAnonymousClient();
        using var response = await client.SendAsync(new HttpRequestMessage(HttpMethod.Options, path));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        // RFC 6638 §2: calendar-auto-schedule only where an implicit scheduler is registered (writes then schedule).
        var scheduling = server.Services.GetService(typeof(Caldera.Calendars.Scheduling.IImplicitScheduler)) is not null;
        Assert.Equal("1, 3, calendar-access, extended-mkcol" + (scheduling ? ", calendar-auto-schedule" : ""), string.Join(", ", response.Headers.GetValues("DAV")));
        var allow = response.Content.Headers.Allow.Count > 0
            ? response.Content.Headers.Allow.ToHashSet(StringComparer.OrdinalIgnoreCase)
            : string.Join(",", response.Headers.GetValues("Allow")).Split(',', StringSplitOptions.TrimEntries).ToHashSet(StringComparer.OrdinalIgnoreCase);
        foreach (var method in new[] { "OPTIONS", "GET", "HEAD", "PUT", "DELETE", "PROPFIND", "PROPPATCH", "REPORT", "MKCALENDAR", "MKCOL", "COPY", "MOVE", "POST" })
            Assert.Contains(method, allow);
        Assert.DoesNotContain("LOCK", allow);
    }

    [Fact]
    public async Task Propfind_root_gives_the_current_user_principal()
    {
        using var client = server.CreateClient(Alice);
        var response = await PropfindAsync(client, "/", "0", D + "current-user-principal");
        Assert.Equal((HttpStatusCode)207, response.Status);
        var root = Assert.Single(response.Responses()).Value;
        Assert.Equal("/principals/alice/", root.Prop(D + "current-user-principal").Element(D + "href")!.Value);
    }

    [Fact]
    public async Task Principal_properties()
    {
        using var client = server.CreateClient(Alice);
        var response = await PropfindAsync(client, "/principals/alice/", "0",
            D + "principal-URL", C + "calendar-home-set", C + "calendar-user-address-set", D + "displayname", D + "resourcetype");
        Assert.Equal((HttpStatusCode)207, response.Status);
        var principal = response.Responses()["/principals/alice/"];
        Assert.Equal("/principals/alice/", principal.Prop(D + "principal-URL").Element(D + "href")!.Value);
        Assert.Equal("/calendars/alice/", principal.Prop(C + "calendar-home-set").Element(D + "href")!.Value);
        var addresses = principal.Prop(C + "calendar-user-address-set").Elements(D + "href").Select(h => h.Value).ToList();
        Assert.Contains("mailto:alice@example.com", addresses);
        Assert.Equal("Alice", principal.Prop(D + "displayname").Value);
        var types = principal.Prop(D + "resourcetype").Elements().Select(e => e.Name).ToList();
        Assert.Contains(D + "principal", types);
    }

    [Fact]
    public async Task Home_depth_1_lists_the_default_calendar_with_its_properties()
    {
        using var client = server.CreateClient(Alice);
        var response = await PropfindAsync(client, "/calendars/alice/", "1",
            D + "resourcetype", D + "displayname", D + "owner", D + "current-user-privilege-set", D + "supported-report-set",
            C + "supported-calendar-component-set", CS + "getctag", D + "sync-token");
        Assert.Equal((HttpStatusCode)207, response.Status);
        var responses = response.Responses();
        Assert.True(responses.ContainsKey("/calendars/alice/"), response.Text);
        var home = responses["/calendars/alice/"];
        Assert.Equal([D + "collection"], home.Prop(D + "resourcetype").Elements().Select(e => e.Name));

        var calendar = responses["/calendars/alice/default/"];
        var types = calendar.Prop(D + "resourcetype").Elements().Select(e => e.Name).ToHashSet();
        Assert.True(types.SetEquals([D + "collection", C + "calendar"]), string.Join(",", types));
        Assert.False(string.IsNullOrWhiteSpace(calendar.Prop(D + "displayname").Value));
        Assert.Equal("/principals/alice/", calendar.Prop(D + "owner").Element(D + "href")!.Value);
        var privileges = calendar.Prop(D + "current-user-privilege-set").Elements(D + "privilege").SelectMany(p => p.Elements()).Select(e => e.Name).ToList();
        Assert.Contains(D + "read", privileges);
        Assert.Contains(D + "write-content", privileges);
        var reports = calendar.Prop(D + "supported-report-set").Descendants(D + "report").SelectMany(r => r.Elements()).Select(e => e.Name).ToList();
        Assert.Contains(C + "calendar-multiget", reports);
        Assert.Contains(C + "calendar-query", reports);
        Assert.Contains(D + "sync-collection", reports);
        var comps = calendar.Prop(C + "supported-calendar-component-set").Elements(C + "comp").Select(c => (string?)c.Attribute("name")).ToList();
        Assert.Contains("VEVENT", comps);
        Assert.False(string.IsNullOrWhiteSpace(calendar.Prop(CS + "getctag").Value));
        Assert.False(string.IsNullOrWhiteSpace(calendar.Prop(D + "sync-token").Value));
    }

    [Fact]
    public async Task Allprop_returns_dead_and_allprop_live_properties_of_a_calendar()
    {
        using var client = server.CreateClient(Alice);
        var response = await SendAsync(client, Xml(Propfind, "/calendars/alice/default/",
            """<?xml version="1.0"?><D:propfind xmlns:D="DAV:"><D:allprop/></D:propfind>""", "0"));
        Assert.Equal((HttpStatusCode)207, response.Status);
        var calendar = response.Responses()["/calendars/alice/default/"];
        Assert.Contains(C + "calendar", calendar.Prop(D + "resourcetype").Elements().Select(e => e.Name));
        Assert.False(string.IsNullOrWhiteSpace(calendar.Prop(D + "displayname").Value));
        // RFC 4918 §9.1: allprop leaves out properties that are expensive or defined by other specs as not included.
        Assert.Null(calendar.StatusOf(D + "current-user-privilege-set"));
        // No empty body either: a PROPFIND without a body is allprop (RFC 4918 §9.1).
        var empty = await SendAsync(client, Xml(Propfind, "/calendars/alice/default/", null, "0"));
        Assert.Equal((HttpStatusCode)207, empty.Status);
        Assert.Contains(C + "calendar", empty.Responses()["/calendars/alice/default/"].Prop(D + "resourcetype").Elements().Select(e => e.Name));
    }

    [Fact]
    public async Task Propname_lists_names_without_values()
    {
        using var client = server.CreateClient(Alice);
        var response = await SendAsync(client, Xml(Propfind, "/calendars/alice/default/",
            """<?xml version="1.0"?><D:propfind xmlns:D="DAV:"><D:propname/></D:propfind>""", "0"));
        Assert.Equal((HttpStatusCode)207, response.Status);
        var calendar = response.Responses()["/calendars/alice/default/"];
        var names = calendar.Elements(D + "propstat").Single().Element(D + "prop")!.Elements().ToList();
        Assert.Contains(names, n => n.Name == D + "resourcetype");
        Assert.Contains(names, n => n.Name == CS + "getctag");
        Assert.Contains(names, n => n.Name == D + "sync-token");
        Assert.All(names, n => Assert.True(n.IsEmpty, $"{n.Name} has a value in propname"));
    }

    [Fact]
    public async Task Unknown_property_is_a_404_propstat_beside_the_known_ones()
    {
        using var client = server.CreateClient(Alice);
        XName unknown = XNamespace.Get("urn:example:nothing") + "no-such-property";
        var response = await PropfindAsync(client, "/calendars/alice/default/", "0", D + "displayname", unknown);
        Assert.Equal((HttpStatusCode)207, response.Status);
        var calendar = response.Responses()["/calendars/alice/default/"];
        Assert.Equal(200, calendar.StatusOf(D + "displayname"));
        Assert.Equal(404, calendar.StatusOf(unknown));
    }

    [Fact]
    public async Task Depth_infinity_is_refused_with_propfind_finite_depth()
    {
        using var client = server.CreateClient(Alice);
        var response = await PropfindAsync(client, "/calendars/alice/", "infinity", D + "displayname");
        Assert.Equal(HttpStatusCode.Forbidden, response.Status);
        Assert.Contains(D + "propfind-finite-depth", response.ErrorConditions());
    }
}

using System.Net;
using System.Xml.Linq;
using Caldera.Functions.Tests.Dav;
using static Caldera.Functions.Tests.Dav.DavHelpers;

namespace Caldera.Functions.Tests.Principals;

/// <summary>
/// expand-property (RFC 3253 §3.8) and the RFC 3744 §9 principal reports, as iOS/macOS and Evolution send them
/// during account setup; and that a user only ever finds their own principal.
/// </summary>
[Collection(CalderaServerCollection.Name)]
public sealed class PrincipalReportTests(CalderaServerFixture server)
{
    const string Alice = CalderaServerFixture.Alice;
    const string Ns = """xmlns:D="DAV:" xmlns:C="urn:ietf:params:xml:ns:caldav" """;

    static void NoTraceOfBob(DavResponse response) =>
        Assert.False(response.Text.Contains("bob", StringComparison.OrdinalIgnoreCase), $"bob leaked: {response}");

    [Fact]
    public async Task Expand_property_on_root_nests_the_principal_and_its_home()
    {
        using var client = server.CreateClient(Alice);
        var body = $"""
            <D:expand-property {Ns}>
              <D:property name="current-user-principal">
                <D:property name="displayname"/>
                <D:property name="calendar-user-address-set" namespace="urn:ietf:params:xml:ns:caldav"/>
                <D:property name="calendar-home-set" namespace="urn:ietf:params:xml:ns:caldav">
                  <D:property name="resourcetype"/>
                  <D:property name="owner"/>
                </D:property>
              </D:property>
            </D:expand-property>
            """;
        var response = await SendAsync(client, Xml(Report, "/", body, "0"));
        Assert.True(response.Status == (HttpStatusCode)207, response.ToString());
        var top = Assert.Single(response.Xml.Root!.Elements(D + "response"));
        Assert.Equal("/", top.Element(D + "href")!.Value);
        var principal = Assert.Single(top.Prop(D + "current-user-principal").Elements(D + "response"));
        Assert.Equal("/principals/alice/", principal.Element(D + "href")!.Value);
        Assert.Equal("Alice", principal.Prop(D + "displayname").Value);
        // Not expanded (no nested DAV:property): the hrefs come back as they are.
        var addresses = principal.Prop(C + "calendar-user-address-set").Elements(D + "href").Select(h => h.Value).ToList();
        Assert.Contains("mailto:alice@example.com", addresses);
        var home = Assert.Single(principal.Prop(C + "calendar-home-set").Elements(D + "response"));
        Assert.Equal("/calendars/alice/", home.Element(D + "href")!.Value);
        Assert.NotNull(home.Prop(D + "resourcetype").Element(D + "collection"));
        Assert.Equal("/principals/alice/", home.Prop(D + "owner").Element(D + "href")!.Value);
        NoTraceOfBob(response);
    }

    [Fact]
    public async Task Expand_property_on_a_calendar_expands_owner_and_reports_unknown_properties_as_404()
    {
        using var client = server.CreateClient(Alice);
        var path = await MakeCalendarAsync(client, Alice, Unique("exp"));
        var body = $"""
            <D:expand-property {Ns}>
              <D:property name="owner"><D:property name="displayname"/><D:property name="no-such-prop"/></D:property>
              <D:property name="displayname"/>
              <D:property name="nothing-here" namespace="urn:example"/>
            </D:expand-property>
            """;
        var response = await SendAsync(client, Xml(Report, path, body, "0"));
        Assert.True(response.Status == (HttpStatusCode)207, response.ToString());
        var top = response.Responses()[path];
        Assert.Equal(404, top.StatusOf(XName.Get("nothing-here", "urn:example")));
        var owner = Assert.Single(top.Prop(D + "owner").Elements(D + "response"));
        Assert.Equal("/principals/alice/", owner.Element(D + "href")!.Value);
        Assert.Equal("Alice", owner.Prop(D + "displayname").Value);
        Assert.Equal(404, owner.StatusOf(D + "no-such-prop"));
    }

    [Fact]
    public async Task Expand_property_nesting_is_bounded_and_another_users_principal_is_not_found()
    {
        using var client = server.CreateClient(Alice);
        // principal-URL of a principal is itself: an endless chain, cut at four levels of responses.
        XElement Level(int n) => n == 0
            ? new XElement(D + "property", new XAttribute("name", "principal-URL"))
            : new XElement(D + "property", new XAttribute("name", "principal-URL"), Level(n - 1));
        var body = new XElement(D + "expand-property", new XAttribute(XNamespace.Xmlns + "D", D.NamespaceName), Level(10)).ToString();
        var response = await SendAsync(client, Xml(Report, "/principals/alice/", body, "0"));
        Assert.True(response.Status == (HttpStatusCode)207, response.ToString());
        var depth = response.Xml.Root!.Descendants(D + "response").Max(r => r.AncestorsAndSelf(D + "response").Count());
        Assert.Equal(4, depth);

        var bob = await SendAsync(client, Xml(Report, "/principals/bob/", body, "0"));
        Assert.Equal(HttpStatusCode.NotFound, bob.Status);
        NoTraceOfBob(response);
    }

    static string Search(string test, params (string Prop, string Match)[] searches) => $"""
        <D:principal-property-search {Ns} test="{test}">
          {string.Concat(searches.Select(s => $"<D:property-search><D:prop>{s.Prop}</D:prop><D:match>{s.Match}</D:match></D:property-search>"))}
          <D:prop><D:displayname/><C:calendar-user-address-set/><C:calendar-home-set/></D:prop>
        </D:principal-property-search>
        """;

    [Fact]
    public async Task Principal_property_search_finds_alice_by_name_or_address_case_insensitively()
    {
        using var client = server.CreateClient(Alice);
        foreach (var (prop, match) in new[] { ("<D:displayname/>", "LIC"), ("<C:calendar-user-address-set/>", "Alice@Example") })
        {
            var response = await SendAsync(client, Xml(Report, "/principals/", Search("anyof", (prop, match)), "0"));
            Assert.True(response.Status == (HttpStatusCode)207, response.ToString());
            var found = Assert.Single(response.Responses());
            Assert.Equal("/principals/alice/", found.Key);
            Assert.Equal("Alice", found.Value.Prop(D + "displayname").Value);
            Assert.Equal("/calendars/alice/", found.Value.Prop(C + "calendar-home-set").Element(D + "href")!.Value);
        }
    }

    [Fact]
    public async Task Principal_property_search_never_finds_another_user()
    {
        using var client = server.CreateClient(Alice);
        // bob exists with display name Bob and address bob@example.com: none of these may reveal him.
        var queries = new[]
        {
            Search("anyof", ("<D:displayname/>", "bob")),
            Search("anyof", ("<C:calendar-user-address-set/>", "bob@")),
            Search("anyof", ("<C:calendar-user-address-set/>", "example.com"), ("<D:displayname/>", "o")),
            Search("anyof", ("<D:displayname/>", "")),
        };
        var sawAlice = false;
        foreach (var query in queries)
        {
            var response = await SendAsync(client, Xml(Report, "/principals/", query, "0"));
            Assert.True(response.Status == (HttpStatusCode)207, response.ToString());
            Assert.All(response.Responses().Keys, href => Assert.Equal("/principals/alice/", href));
            sawAlice |= response.Responses().ContainsKey("/principals/alice/");
            NoTraceOfBob(response);
        }
        Assert.True(sawAlice, "the broad searches should still find alice herself");
    }

    [Fact]
    public async Task Principal_property_search_allof_needs_every_search_and_apply_to_set_works_from_the_principal()
    {
        using var client = server.CreateClient(Alice);
        var both = (("<D:displayname/>", "alice"), ("<C:calendar-user-address-set/>", "nomatch"));
        var allOf = await SendAsync(client, Xml(Report, "/principals/", Search("allof", both.Item1, both.Item2), "0"));
        Assert.Empty(allOf.Responses());
        var anyOf = await SendAsync(client, Xml(Report, "/principals/", Search("anyof", both.Item1, both.Item2), "0"));
        Assert.Equal(new[] { "/principals/alice/" }, anyOf.Responses().Keys);

        var applied = Search("anyof", ("<D:displayname/>", "ali")).Replace("</D:principal-property-search>",
            "<D:apply-to-principal-collection-set/></D:principal-property-search>");
        var fromPrincipal = await SendAsync(client, Xml(Report, "/principals/alice/", applied, "0"));
        Assert.Equal(new[] { "/principals/alice/" }, fromPrincipal.Responses().Keys);

        var withoutSet = await SendAsync(client, Xml(Report, "/principals/alice/", Search("anyof", ("<D:displayname/>", "ali")), "0"));
        Assert.Equal(HttpStatusCode.Forbidden, withoutSet.Status);
        Assert.Contains(D + "supported-report", withoutSet.ErrorConditions());

        var badTest = await SendAsync(client, Xml(Report, "/principals/", Search("someof", ("<D:displayname/>", "a")), "0"));
        Assert.Equal(HttpStatusCode.BadRequest, badTest.Status);
        var noSearch = await SendAsync(client, Xml(Report, "/principals/", Search("anyof"), "0"));
        Assert.Equal(HttpStatusCode.BadRequest, noSearch.Status);
    }

    [Fact]
    public async Task Principal_search_property_set_lists_the_searchable_properties()
    {
        using var client = server.CreateClient(Alice);
        var response = await SendAsync(client, Xml(Report, "/principals/", $"<D:principal-search-property-set {Ns}/>", "0"));
        Assert.Equal(HttpStatusCode.OK, response.Status);
        Assert.Equal(D + "principal-search-property-set", response.Xml.Root!.Name);
        var props = response.Xml.Root.Elements(D + "principal-search-property")
            .Select(p => p.Element(D + "prop")!.Elements().Single().Name).ToList();
        Assert.Equal(new[] { D + "displayname", C + "calendar-user-address-set" }, props);
        Assert.All(response.Xml.Root.Elements(D + "principal-search-property"),
            p => Assert.False(string.IsNullOrWhiteSpace(p.Element(D + "description")?.Value)));

        var onCalendarSpace = await SendAsync(client, Xml(Report, "/calendars/", $"<D:principal-search-property-set {Ns}/>", "0"));
        Assert.Equal(HttpStatusCode.Forbidden, onCalendarSpace.Status);
    }

    [Fact]
    public async Task Principal_match_self_on_principals_and_owner_on_the_home()
    {
        using var client = server.CreateClient(Alice);
        var calendar = await MakeCalendarAsync(client, Alice, Unique("pm"));

        var self = await SendAsync(client, Xml(Report, "/principals/",
            $"<D:principal-match {Ns}><D:self/><D:prop><D:displayname/></D:prop></D:principal-match>", "0"));
        Assert.True(self.Status == (HttpStatusCode)207, self.ToString());
        var me = Assert.Single(self.Responses());
        Assert.Equal("/principals/alice/", me.Key);
        Assert.Equal("Alice", me.Value.Prop(D + "displayname").Value);
        NoTraceOfBob(self);

        var owned = await SendAsync(client, Xml(Report, "/calendars/alice/",
            $"<D:principal-match {Ns}><D:principal-property><D:owner/></D:principal-property><D:prop><D:displayname/></D:prop></D:principal-match>", "0"));
        Assert.True(owned.Status == (HttpStatusCode)207, owned.ToString());
        Assert.Contains(calendar, owned.Responses().Keys);
        Assert.All(owned.Responses().Keys, href => Assert.StartsWith("/calendars/alice/", href));
        NoTraceOfBob(owned);

        var selfInHome = await SendAsync(client, Xml(Report, "/calendars/alice/", $"<D:principal-match {Ns}><D:self/></D:principal-match>", "0"));
        Assert.True(selfInHome.Status == (HttpStatusCode)207, selfInHome.ToString());
        Assert.Empty(selfInHome.Responses());

        var both = await SendAsync(client, Xml(Report, "/principals/",
            $"<D:principal-match {Ns}><D:self/><D:principal-property><D:owner/></D:principal-property></D:principal-match>", "0"));
        Assert.Equal(HttpStatusCode.BadRequest, both.Status);
    }

    [Fact]
    public async Task Supported_report_set_advertises_the_principal_reports_where_they_apply()
    {
        using var client = server.CreateClient(Alice);
        var calendar = await MakeCalendarAsync(client, Alice, Unique("srs"));
        async Task<List<XName>> ReportsOf(string path)
        {
            var response = await PropfindAsync(client, path, "0", D + "supported-report-set");
            return response.Responses()[path].Prop(D + "supported-report-set")
                .Elements(D + "supported-report").Select(r => r.Element(D + "report")!.Elements().Single().Name).ToList();
        }
        var principals = await ReportsOf("/principals/");
        Assert.Contains(D + "expand-property", principals);
        Assert.Contains(D + "principal-property-search", principals);
        Assert.Contains(D + "principal-search-property-set", principals);
        Assert.Contains(D + "principal-match", principals);

        var home = await ReportsOf("/calendars/alice/");
        Assert.Contains(D + "principal-match", home);
        Assert.DoesNotContain(D + "principal-search-property-set", home);

        var onCalendar = await ReportsOf(calendar);
        Assert.Contains(D + "expand-property", onCalendar);
        Assert.Contains(C + "calendar-query", onCalendar);
        Assert.DoesNotContain(D + "principal-property-search", onCalendar);
    }
}

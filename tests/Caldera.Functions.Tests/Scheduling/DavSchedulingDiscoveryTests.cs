using System.Net;
using System.Xml.Linq;
using Caldera.Functions.Tests.Dav;
using static Caldera.Functions.Tests.Dav.DavHelpers;

namespace Caldera.Functions.Tests.Scheduling;

/// <summary>
/// RFC 6638 §2 and §9 discovery: the DAV header, the principal's scheduling properties, the inbox and outbox in the
/// home with their resource types and privileges, and schedule-default-calendar-URL.
/// </summary>
[Collection(DavSchedulingCollection.Name)]
public sealed class DavSchedulingDiscoveryTests(DavSchedulingFixture server)
{
    [Fact]
    public async Task Options_announces_calendar_auto_schedule_and_post()
    {
        using var client = server.CreateClient("alice");
        using var response = await client.SendAsync(new HttpRequestMessage(HttpMethod.Options, "/calendars/alice/outbox/"));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var dav = string.Join(",", response.Headers.GetValues("DAV")).Split(',', StringSplitOptions.TrimEntries);
        Assert.Contains("calendar-access", dav);
        Assert.Contains("calendar-auto-schedule", dav);
        var allow = response.Content.Headers.Allow.Count > 0 ? string.Join(",", response.Content.Headers.Allow) : string.Join(",", response.Headers.GetValues("Allow"));
        Assert.Contains("POST", allow.Split(',', StringSplitOptions.TrimEntries));
    }

    [Fact]
    public async Task The_principal_names_its_inbox_outbox_addresses_and_user_type()
    {
        using var client = server.CreateClient("alice");
        var response = await PropfindAsync(client, "/principals/alice/", "0",
            C + "schedule-inbox-URL", C + "schedule-outbox-URL", C + "calendar-user-type", C + "calendar-user-address-set");
        Assert.Equal((HttpStatusCode)207, response.Status);
        var principal = response.Responses()["/principals/alice/"];
        Assert.Equal("/calendars/alice/inbox/", principal.Prop(C + "schedule-inbox-URL").Element(D + "href")!.Value);
        Assert.Equal("/calendars/alice/outbox/", principal.Prop(C + "schedule-outbox-URL").Element(D + "href")!.Value);
        Assert.Equal("INDIVIDUAL", principal.Prop(C + "calendar-user-type").Value);
        // The one address the address index holds for alice, and her principal URL.
        var addresses = principal.Prop(C + "calendar-user-address-set").Elements(D + "href").Select(h => h.Value).ToList();
        Assert.Equal(["mailto:alice@example.com", "/principals/alice/"], addresses);
    }

    [Fact]
    public async Task The_home_lists_inbox_and_outbox_once_with_their_own_resource_types()
    {
        using var client = server.CreateClient("bob");
        await DavSchedulingStore.DeliverAsync(server, "bob", Guid.NewGuid().ToString("N") + ".ics"); // a real store inbox exists for bob
        var response = await PropfindAsync(client, "/calendars/bob/", "1", D + "resourcetype");
        var responses = response.Responses();
        var inbox = responses["/calendars/bob/inbox/"].Prop(D + "resourcetype").Elements().Select(e => e.Name).ToList();
        var outbox = responses["/calendars/bob/outbox/"].Prop(D + "resourcetype").Elements().Select(e => e.Name).ToList();
        Assert.Equal([D + "collection", C + "schedule-inbox"], inbox);
        Assert.Equal([D + "collection", C + "schedule-outbox"], outbox);
        Assert.Equal(1, responses.Keys.Count(k => k == "/calendars/bob/inbox/"));
        // The default calendar is a calendar; the inbox is not.
        Assert.Contains(C + "calendar", responses["/calendars/bob/default/"].Prop(D + "resourcetype").Elements().Select(e => e.Name));
    }

    [Fact]
    public async Task An_inbox_before_any_delivery_is_an_empty_collection()
    {
        using var client = server.CreateClient("alice"); // alice never receives anything in these tests
        var response = await PropfindAsync(client, "/calendars/alice/inbox/", "1", D + "resourcetype", D + "sync-token", CS + "getctag");
        Assert.Equal((HttpStatusCode)207, response.Status);
        var only = Assert.Single(response.Responses());
        Assert.Equal("/calendars/alice/inbox/", only.Key);
        Assert.NotEmpty(only.Value.Prop(D + "sync-token").Value);
        Assert.Contains(C + "schedule-inbox", only.Value.Prop(D + "resourcetype").Elements().Select(e => e.Name));
        Assert.Equal(HttpStatusCode.NotFound, (await GetAsync(client, "/calendars/alice/inbox/none.ics")).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await SendAsync(client, new HttpRequestMessage(HttpMethod.Delete, "/calendars/alice/inbox/none.ics"))).Status);
    }

    [Fact]
    public async Task The_inbox_names_the_default_calendar_and_refuses_to_change_it()
    {
        using var client = server.CreateClient("alice");
        var response = await PropfindAsync(client, "/calendars/alice/inbox/", "0", C + "schedule-default-calendar-URL");
        Assert.Equal("/calendars/alice/default/",
            response.Responses()["/calendars/alice/inbox/"].Prop(C + "schedule-default-calendar-URL").Element(D + "href")!.Value);

        var body = $"""
            <D:propertyupdate xmlns:D="DAV:" xmlns:C="urn:ietf:params:xml:ns:caldav"><D:set><D:prop>
              <C:schedule-default-calendar-URL><D:href>/calendars/alice/other/</D:href></C:schedule-default-calendar-URL>
            </D:prop></D:set></D:propertyupdate>
            """;
        var patch = await SendAsync(client, Xml(Proppatch, "/calendars/alice/inbox/", body));
        Assert.Equal((HttpStatusCode)207, patch.Status);
        var r = patch.Responses()["/calendars/alice/inbox/"];
        Assert.Equal(403, r.StatusOf(C + "schedule-default-calendar-URL"));
        Assert.NotNull(r.Descendants(D + "cannot-modify-protected-property").FirstOrDefault());
    }

    [Fact]
    public async Task Inbox_and_outbox_carry_the_scheduling_privileges_for_their_owner()
    {
        using var client = server.CreateClient("alice");
        var inbox = (await PropfindAsync(client, "/calendars/alice/inbox/", "0", D + "current-user-privilege-set", D + "supported-privilege-set"))
            .Responses()["/calendars/alice/inbox/"];
        var held = Privileges(inbox.Prop(D + "current-user-privilege-set"));
        Assert.Contains(C + "schedule-deliver", held);
        Assert.Contains(C + "schedule-query-freebusy", held);
        Assert.Contains(D + "read", held);
        Assert.Contains(D + "unbind", held);
        Assert.DoesNotContain(D + "bind", held); // only the server delivers into the inbox
        Assert.DoesNotContain(C + "schedule-send", held);
        var supported = inbox.Prop(D + "supported-privilege-set").Descendants(D + "privilege").SelectMany(p => p.Elements()).Select(e => e.Name).ToList();
        Assert.Contains(C + "schedule-deliver-invite", supported);
        Assert.Contains(C + "schedule-deliver-reply", supported);

        var outbox = (await PropfindAsync(client, "/calendars/alice/outbox/", "1", D + "current-user-privilege-set", D + "resourcetype"))
            .Responses();
        Assert.Single(outbox); // no members
        var sendHeld = Privileges(outbox["/calendars/alice/outbox/"].Prop(D + "current-user-privilege-set"));
        Assert.Contains(C + "schedule-send", sendHeld);
        Assert.Contains(C + "schedule-send-freebusy", sendHeld);
        Assert.DoesNotContain(C + "schedule-deliver", sendHeld);
    }

    [Fact]
    public async Task Another_users_inbox_and_outbox_are_not_found()
    {
        using var client = server.CreateClient("bob");
        Assert.Equal(HttpStatusCode.NotFound, (await PropfindAsync(client, "/calendars/alice/inbox/", "0", D + "resourcetype")).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await PropfindAsync(client, "/calendars/alice/outbox/", "0", D + "resourcetype")).Status);
    }

    static List<XName> Privileges(XElement set) => set.Elements(D + "privilege").SelectMany(p => p.Elements()).Select(e => e.Name).ToList();
}

using System.Net;
using Caldera.Functions.Tests.Dav;
using static Caldera.Functions.Tests.Dav.DavHelpers;

namespace Caldera.Functions.Tests.Scheduling;

/// <summary>
/// The scheduling inbox (RFC 6638 §2.2) as a client sees it: delivered messages are listed, read, synced and deleted;
/// nothing can be written into it, and neither it nor the outbox can be made, removed or copied into.
/// </summary>
[Collection(DavSchedulingCollection.Name)]
public sealed class DavInboxTests(DavSchedulingFixture server)
{
    const string Inbox = "/calendars/bob/inbox/";

    [Fact]
    public async Task Delivered_messages_are_listed_read_synced_and_deleted()
    {
        using var client = server.CreateClient("bob");
        var name = Guid.NewGuid().ToString("N") + ".ics";
        var body = await DavSchedulingStore.DeliverAsync(server, "bob", name);

        var listing = await PropfindAsync(client, Inbox, "1", D + "getetag", D + "getcontenttype", CS + "getctag");
        Assert.Equal((HttpStatusCode)207, listing.Status);
        var item = listing.Responses()[Inbox + name];
        Assert.StartsWith("\"", item.Prop(D + "getetag").Value);
        Assert.StartsWith("text/calendar", item.Prop(D + "getcontenttype").Value);
        Assert.NotEmpty(listing.Responses()[Inbox].Prop(CS + "getctag").Value);

        var get = await GetAsync(client, Inbox + name);
        Assert.Equal(HttpStatusCode.OK, get.Status);
        Assert.Equal(body, get.Text);

        var sync = await SendAsync(client, Xml(Report, Inbox, """
            <D:sync-collection xmlns:D="DAV:"><D:sync-token/><D:sync-level>1</D:sync-level><D:prop><D:getetag/></D:prop></D:sync-collection>
            """));
        Assert.Equal((HttpStatusCode)207, sync.Status);
        Assert.Contains(Inbox + name, sync.Responses().Keys);
        var token = sync.Xml.Root!.Element(D + "sync-token")!.Value;

        var delete = await SendAsync(client, new HttpRequestMessage(HttpMethod.Delete, Inbox + name));
        Assert.Equal(HttpStatusCode.NoContent, delete.Status);
        Assert.Equal(HttpStatusCode.NotFound, (await GetAsync(client, Inbox + name)).Status);
        var delta = await SendAsync(client, Xml(Report, Inbox, $"""
            <D:sync-collection xmlns:D="DAV:"><D:sync-token>{token}</D:sync-token><D:sync-level>1</D:sync-level><D:prop><D:getetag/></D:prop></D:sync-collection>
            """));
        Assert.Equal(404, delta.Responses()[Inbox + name].ResponseStatus());
    }

    [Fact]
    public async Task Nothing_can_be_put_or_moved_into_the_inbox_or_outbox()
    {
        using var client = server.CreateClient("bob");
        await DavSchedulingStore.DeliverAsync(server, "bob", Guid.NewGuid().ToString("N") + ".ics");
        foreach (var box in new[] { Inbox, "/calendars/bob/outbox/" })
        {
            var put = await SendAsync(client, Put(box + "x.ics", Event(Unique("uid"))));
            Assert.Equal(HttpStatusCode.Forbidden, put.Status);
            Assert.Contains(D + "need-privileges", put.ErrorConditions());
        }
        var source = await MakeCalendarAsync(client, "bob", Unique("src"));
        await PutNewAsync(client, source + "e.ics", Event(Unique("uid")));
        var move = new HttpRequestMessage(Move, source + "e.ics");
        move.Headers.Add("Destination", new Uri(server.BaseUri, Inbox + "e.ics").AbsoluteUri);
        var moved = await SendAsync(client, move);
        Assert.Equal(HttpStatusCode.Forbidden, moved.Status);
        Assert.Equal(HttpStatusCode.OK, (await GetAsync(client, source + "e.ics")).Status);
    }

    [Fact]
    public async Task Inbox_and_outbox_cannot_be_made_or_deleted()
    {
        using var client = server.CreateClient("alice");
        foreach (var box in new[] { "/calendars/alice/inbox/", "/calendars/alice/outbox/" })
        {
            var made = await SendAsync(client, Xml(Mkcalendar, box, null));
            Assert.Equal(HttpStatusCode.Forbidden, made.Status);
            Assert.Contains(D + "resource-must-be-null", made.ErrorConditions());
            var deleted = await SendAsync(client, new HttpRequestMessage(HttpMethod.Delete, box));
            Assert.Equal(HttpStatusCode.Forbidden, deleted.Status);
        }
        // Still there.
        var home = await PropfindAsync(client, "/calendars/alice/", "1", D + "resourcetype");
        Assert.Contains("/calendars/alice/inbox/", home.Responses().Keys);
        Assert.Contains("/calendars/alice/outbox/", home.Responses().Keys);
    }

    [Fact]
    public async Task Inbox_messages_are_not_copied_out()
    {
        using var client = server.CreateClient("bob");
        var name = Guid.NewGuid().ToString("N") + ".ics";
        await DavSchedulingStore.DeliverAsync(server, "bob", name);
        var copy = new HttpRequestMessage(Copy, Inbox + name);
        copy.Headers.Add("Destination", new Uri(server.BaseUri, "/calendars/bob/default/" + name).AbsoluteUri);
        Assert.Equal(HttpStatusCode.Forbidden, (await SendAsync(client, copy)).Status);
    }

    [Fact]
    public async Task Free_busy_query_on_the_home_leaves_the_inbox_out()
    {
        using var client = server.CreateClient("bob");
        // The delivered invitation is 2025-03-10 10:00-11:00; nothing else of bob's is on that day.
        await DavSchedulingStore.DeliverAsync(server, "bob", Guid.NewGuid().ToString("N") + ".ics");
        var report = await SendAsync(client, Xml(Report, "/calendars/bob/", """
            <C:free-busy-query xmlns:C="urn:ietf:params:xml:ns:caldav"><C:time-range start="20250310T000000Z" end="20250311T000000Z"/></C:free-busy-query>
            """, "1"));
        Assert.Equal(HttpStatusCode.OK, report.Status);
        Assert.Contains("BEGIN:VFREEBUSY", report.Text);
        Assert.DoesNotContain("FREEBUSY:", report.Text);
    }
}

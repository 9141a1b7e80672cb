using System.Net;
using System.Net.Http.Json;
using System.Xml.Linq;
using Caldera.Functions.Tests.Dav;
using static Caldera.Functions.Tests.Dav.DavHelpers;

namespace Caldera.Functions.Tests.Sharing;

/// <summary>
/// Calendar sharing end to end: alice shares one of her stored calendars with bob (manage/users/{owner}/calendars/{calendar}/shares/{sharee});
/// bob sees it in his home as app-generated--shared--alice--{calendar} with exactly the privileges granted, changes flow both ways,
/// and revoking the share removes it at once.
/// </summary>
[Collection(CalderaServerCollection.Name)]
public sealed class SharingHttpTests(CalderaServerFixture fixture)
{
    const string Alice = CalderaServerFixture.Alice;
    const string Bob = CalderaServerFixture.Bob;

    static string SharedSegment(string calendar) => $"app-generated--shared--{Alice}--{calendar}";
    static string BobPath(string calendar) => CalendarPath(Bob, SharedSegment(calendar));

    async Task ShareAsync(string calendar, string access)
    {
        using var manage = fixture.CreateManagementClient();
        using var r = await manage.PutAsJsonAsync($"manage/users/{Alice}/calendars/{calendar}/shares/{Bob}", new { access });
        Assert.Equal(HttpStatusCode.OK, r.StatusCode);
    }

    async Task<HttpStatusCode> RevokeAsync(string calendar)
    {
        using var manage = fixture.CreateManagementClient();
        using var r = await manage.DeleteAsync($"manage/users/{Alice}/calendars/{calendar}/shares/{Bob}");
        return r.StatusCode;
    }

    async Task<IReadOnlyCollection<string>> HomeAsync(string user)
    {
        using var client = fixture.CreateClient(user);
        var home = await PropfindAsync(client, $"/calendars/{user}/", "1", D + "displayname");
        Assert.Equal(HttpStatusCode.MultiStatus, home.Status);
        return home.Responses().Keys;
    }

    static async Task<(string Token, IReadOnlyCollection<string> Hrefs)> SyncAsync(HttpClient client, string path, string? token)
    {
        var r = await SendAsync(client, Xml(Report, path,
            $"<D:sync-collection xmlns:D=\"DAV:\"><D:sync-token>{token}</D:sync-token><D:sync-level>1</D:sync-level><D:prop><D:getetag/></D:prop></D:sync-collection>", "0"));
        Assert.True(r.Status == HttpStatusCode.MultiStatus, $"sync-collection {path}: {r}");
        return (r.Xml.Root!.Element(D + "sync-token")!.Value, r.Responses().Keys);
    }

    static void AssertNeedPrivileges(DavResponse response, string href, string privilege)
    {
        Assert.True(response.Status == HttpStatusCode.Forbidden, response.ToString());
        var resource = response.Condition(D + "need-privileges").Element(D + "resource")!;
        Assert.Equal(href, resource.Element(D + "href")!.Value);
        Assert.NotNull(resource.Element(D + "privilege")!.Element(D + privilege));
    }

    static HttpRequestMessage DisplayNamePatch(string path) => Xml(Proppatch, path,
        new XElement(D + "propertyupdate", new XElement(D + "set", new XElement(D + "prop", new XElement(D + "displayname", "Mine")))).ToString());

    [Fact]
    public async Task Read_only_share_can_be_read_queried_and_synced_but_not_written()
    {
        var name = Unique("shro");
        using var alice = fixture.CreateClient(Alice);
        using var bob = fixture.CreateClient(Bob);
        var alicePath = await MakeCalendarAsync(alice, Alice, name);
        var aliceEtag = await PutNewAsync(alice, alicePath + "one.ics", Event("share-ro-1", "Alice's meeting"));
        await ShareAsync(name, "read");
        try
        {
            var shared = BobPath(name);
            Assert.Contains(shared, await HomeAsync(Bob));

            var get = await GetAsync(bob, shared + "one.ics");
            Assert.Equal(HttpStatusCode.OK, get.Status);
            Assert.Equal(aliceEtag, get.ETag);
            Assert.Contains("Alice's meeting", get.Text, StringComparison.Ordinal);

            var props = await PropfindAsync(bob, shared, "0", D + "current-user-privilege-set", D + "owner", D + "displayname");
            var calendar = props.Responses()[shared];
            var privileges = calendar.Prop(D + "current-user-privilege-set").Elements(D + "privilege").SelectMany(p => p.Elements()).Select(e => e.Name).ToList();
            Assert.Contains(D + "read", privileges);
            Assert.DoesNotContain(D + "write-content", privileges);
            Assert.DoesNotContain(D + "bind", privileges);
            Assert.DoesNotContain(D + "write-properties", privileges);
            Assert.Equal($"/principals/{Alice}/", calendar.Prop(D + "owner").Element(D + "href")!.Value);

            var query = new XElement(C + "calendar-query", new XAttribute(XNamespace.Xmlns + "D", D.NamespaceName), new XAttribute(XNamespace.Xmlns + "C", C.NamespaceName),
                new XElement(D + "prop", new XElement(D + "getetag")),
                new XElement(C + "filter", new XElement(C + "comp-filter", new XAttribute("name", "VCALENDAR"),
                    new XElement(C + "comp-filter", new XAttribute("name", "VEVENT"),
                        new XElement(C + "time-range", new XAttribute("start", "20240110T000000Z"), new XAttribute("end", "20240111T000000Z"))))));
            var found = await SendAsync(bob, Xml(Report, shared, query.ToString(), "1"));
            Assert.Equal(HttpStatusCode.MultiStatus, found.Status);
            Assert.Equal([shared + "one.ics"], found.Responses().Keys);

            var (token, hrefs) = await SyncAsync(bob, shared, null);
            Assert.Contains(shared + "one.ics", hrefs);
            await PutNewAsync(alice, alicePath + "two.ics", Event("share-ro-2"));
            var (_, changed) = await SyncAsync(bob, shared, token);
            Assert.Equal([shared + "two.ics"], changed);

            AssertNeedPrivileges(await SendAsync(bob, Put(shared + "new.ics", Event("share-ro-new"))), shared, "write-content");
            AssertNeedPrivileges(await SendAsync(bob, Put(shared + "one.ics", Event("share-ro-1", "Bob's edit"))), shared, "write-content");
            AssertNeedPrivileges(await SendAsync(bob, new HttpRequestMessage(HttpMethod.Delete, shared + "one.ics")), shared, "unbind");

            var patch = await SendAsync(bob, DisplayNamePatch(shared));
            Assert.Equal(HttpStatusCode.MultiStatus, patch.Status);
            Assert.Equal(403, patch.Responses()[shared].StatusOf(D + "displayname"));
            var deleteCalendar = await SendAsync(bob, new HttpRequestMessage(HttpMethod.Delete, shared));
            Assert.Equal(HttpStatusCode.Forbidden, deleteCalendar.Status);
            Assert.Contains(D + "need-privileges", deleteCalendar.ErrorConditions());

            // Nothing changed on alice's side.
            Assert.Equal(aliceEtag, (await GetAsync(alice, alicePath + "one.ics")).ETag);
            Assert.Equal(HttpStatusCode.NotFound, (await GetAsync(alice, alicePath + "new.ics")).Status);
        }
        finally
        {
            await RevokeAsync(name);
        }
    }

    [Fact]
    public async Task Read_write_share_changes_flow_both_ways_but_the_calendar_stays_alices()
    {
        var name = Unique("shrw");
        using var alice = fixture.CreateClient(Alice);
        using var bob = fixture.CreateClient(Bob);
        var alicePath = await MakeCalendarAsync(alice, Alice, name);
        await PutNewAsync(alice, alicePath + "first.ics", Event("share-rw-1"));
        await ShareAsync(name, "read-write");
        try
        {
            var shared = BobPath(name);
            Assert.Contains(shared, await HomeAsync(Bob));
            var (aliceToken, _) = await SyncAsync(alice, alicePath, null);
            var (bobToken, _) = await SyncAsync(bob, shared, null);

            // bob writes; alice sees it, and her sync-collection reports it.
            var bobEtag = await PutNewAsync(bob, shared + "from-bob.ics", Event("share-rw-bob", "Bob's event"));
            var seen = await GetAsync(alice, alicePath + "from-bob.ics");
            Assert.Equal(HttpStatusCode.OK, seen.Status);
            Assert.Equal(bobEtag, seen.ETag);
            Assert.Contains("Bob's event", seen.Text, StringComparison.Ordinal);
            var (aliceToken2, aliceChanges) = await SyncAsync(alice, alicePath, aliceToken);
            Assert.Equal([alicePath + "from-bob.ics"], aliceChanges);

            // alice writes; bob sees it, and his sync-collection reports it.
            await PutNewAsync(alice, alicePath + "from-alice.ics", Event("share-rw-alice", "Alice's event"));
            Assert.Contains("Alice's event", (await GetAsync(bob, shared + "from-alice.ics")).Text, StringComparison.Ordinal);
            var (_, bobChanges) = await SyncAsync(bob, shared, bobToken);
            Assert.Equal([shared + "from-alice.ics", shared + "from-bob.ics"], bobChanges.OrderBy(h => h, StringComparer.Ordinal));

            // bob may delete objects; alice sees the deletion.
            var delete = await SendAsync(bob, new HttpRequestMessage(HttpMethod.Delete, shared + "first.ics"));
            Assert.Equal(HttpStatusCode.NoContent, delete.Status);
            Assert.Equal(HttpStatusCode.NotFound, (await GetAsync(alice, alicePath + "first.ics")).Status);
            var (_, deleted) = await SyncAsync(alice, alicePath, aliceToken2);
            Assert.Contains(alicePath + "first.ics", deleted);

            var privileges = (await PropfindAsync(bob, shared, "0", D + "current-user-privilege-set")).Responses()[shared]
                .Prop(D + "current-user-privilege-set").Elements(D + "privilege").SelectMany(p => p.Elements()).Select(e => e.Name).ToList();
            Assert.Contains(D + "write-content", privileges);
            Assert.Contains(D + "bind", privileges);
            Assert.DoesNotContain(D + "write-properties", privileges);

            // ... but never change the calendar's properties nor delete it.
            var patch = await SendAsync(bob, DisplayNamePatch(shared));
            Assert.Equal(HttpStatusCode.MultiStatus, patch.Status);
            Assert.Equal(403, patch.Responses()[shared].StatusOf(D + "displayname"));
            var deleteCalendar = await SendAsync(bob, new HttpRequestMessage(HttpMethod.Delete, shared));
            Assert.Equal(HttpStatusCode.Forbidden, deleteCalendar.Status);
            Assert.Equal(HttpStatusCode.MultiStatus, (await PropfindAsync(alice, alicePath, "0", D + "displayname")).Status);
            Assert.Equal(name, (await PropfindAsync(alice, alicePath, "0", D + "displayname")).Responses()[alicePath].Prop(D + "displayname").Value);

            using (var manage = fixture.CreateManagementClient())
            {
                var list = await manage.GetStringAsync($"manage/users/{Alice}/shares");
                Assert.Contains(name, list, StringComparison.Ordinal);
                Assert.Contains("read-write", list, StringComparison.Ordinal);
            }
        }
        finally
        {
            await RevokeAsync(name);
        }
    }

    [Fact]
    public async Task Revoking_removes_the_calendar_at_once_and_other_calendars_stay_out_of_reach()
    {
        var name = Unique("shrv");
        var other = Unique("shot");
        using var alice = fixture.CreateClient(Alice);
        using var bob = fixture.CreateClient(Bob);
        var alicePath = await MakeCalendarAsync(alice, Alice, name);
        var otherPath = await MakeCalendarAsync(alice, Alice, other);
        await PutNewAsync(alice, alicePath + "a.ics", Event("share-rv-1"));
        await PutNewAsync(alice, otherPath + "secret.ics", Event("share-rv-secret"));
        await ShareAsync(name, "read-write");

        var shared = BobPath(name);
        var home = await HomeAsync(Bob);
        Assert.Contains(shared, home);
        Assert.DoesNotContain(home, h => h.Contains(other, StringComparison.Ordinal));
        Assert.Equal(HttpStatusCode.OK, (await GetAsync(bob, shared + "a.ics")).Status);

        // alice's other calendar: neither under bob's home with a guessed name, nor under alice's.
        Assert.Equal(HttpStatusCode.NotFound, (await GetAsync(bob, BobPath(other) + "secret.ics")).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await PropfindAsync(bob, BobPath(other), "0", D + "displayname")).Status);
        var guessedPut = await SendAsync(bob, Put(BobPath(other) + "x.ics", Event("share-rv-x")));
        Assert.True(guessedPut.Status is HttpStatusCode.NotFound or HttpStatusCode.Conflict, guessedPut.ToString());
        Assert.Equal(HttpStatusCode.NotFound, (await GetAsync(alice, otherPath + "x.ics")).Status);
        var direct = await GetAsync(bob, otherPath + "secret.ics");
        Assert.True(direct.Status is HttpStatusCode.NotFound or HttpStatusCode.Forbidden, direct.ToString());
        var directShared = await GetAsync(bob, alicePath + "a.ics");
        Assert.True(directShared.Status is HttpStatusCode.NotFound or HttpStatusCode.Forbidden, directShared.ToString());

        Assert.Equal(HttpStatusCode.NoContent, await RevokeAsync(name));
        Assert.Equal(HttpStatusCode.NotFound, await RevokeAsync(name));
        Assert.DoesNotContain(shared, await HomeAsync(Bob));
        Assert.Equal(HttpStatusCode.NotFound, (await GetAsync(bob, shared + "a.ics")).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await PropfindAsync(bob, shared, "0", D + "displayname")).Status);
        var put = await SendAsync(bob, Put(shared + "late.ics", Event("share-rv-late")));
        Assert.True(put.Status is HttpStatusCode.NotFound or HttpStatusCode.Conflict, put.ToString());
        Assert.Equal(HttpStatusCode.NotFound, (await GetAsync(alice, alicePath + "late.ics")).Status);
        Assert.Equal(HttpStatusCode.OK, (await GetAsync(alice, alicePath + "a.ics")).Status);
    }

    [Fact]
    public async Task A_share_does_not_carry_over_to_a_new_calendar_of_the_same_name()
    {
        var name = Unique("shre");
        using var alice = fixture.CreateClient(Alice);
        using var bob = fixture.CreateClient(Bob);
        var alicePath = await MakeCalendarAsync(alice, Alice, name);
        await ShareAsync(name, "read");
        Assert.Contains(BobPath(name), await HomeAsync(Bob));

        using (var delete = await alice.SendAsync(new HttpRequestMessage(HttpMethod.Delete, alicePath)))
            Assert.Equal(HttpStatusCode.NoContent, delete.StatusCode);
        await MakeCalendarAsync(alice, Alice, name);
        await PutNewAsync(alice, alicePath + "private.ics", Event("share-re-private"));

        Assert.DoesNotContain(BobPath(name), await HomeAsync(Bob));
        Assert.Equal(HttpStatusCode.NotFound, (await GetAsync(bob, BobPath(name) + "private.ics")).Status);
    }

    [Fact]
    public async Task Management_refuses_bad_shares()
    {
        var name = Unique("shbad");
        using var alice = fixture.CreateClient(Alice);
        await MakeCalendarAsync(alice, Alice, name);
        using var manage = fixture.CreateManagementClient();
        Assert.Equal(HttpStatusCode.BadRequest, (await manage.PutAsJsonAsync($"manage/users/{Alice}/calendars/{name}/shares/{Bob}", new { access = "all" })).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await manage.PutAsJsonAsync($"manage/users/{Alice}/calendars/no-such-{name}/shares/{Bob}", new { access = "read" })).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await manage.PutAsJsonAsync($"manage/users/{Alice}/calendars/{name}/shares/nobody-{name}", new { access = "read" })).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await manage.PutAsJsonAsync($"manage/users/{Alice}/calendars/{name}/shares/{Alice}", new { access = "read" })).StatusCode);
        using var anonymous = fixture.CreateAnonymousClient();
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync($"manage/users/{Alice}/shares")).StatusCode);
    }
}

using System.Net;
using System.Net.Http.Json;
using System.Net.Http.Headers;
using System.Text;
using System.Xml.Linq;
using static Caldera.Functions.Tests.Dav.DavHelpers;

namespace Caldera.Functions.Tests.Dav;

/// <summary>
/// RFC 5995 over HTTP: DAV:add-member is offered where the user could PUT a new object, and a POST there creates one
/// under a server-chosen name with the same checks, answers and change log as a create-only PUT.
/// </summary>
[Collection(CalderaServerCollection.Name)]
public sealed class AddMemberTests(CalderaServerFixture server)
{
    const string Alice = CalderaServerFixture.Alice;
    const string Bob = CalderaServerFixture.Bob;

    static HttpRequestMessage Post(string path, string body, string contentType = "text/calendar; charset=utf-8")
    {
        var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new ByteArrayContent(Encoding.UTF8.GetBytes(body)) };
        request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        return request;
    }

    static async Task<(string Token, IReadOnlyCollection<string> Hrefs)> SyncAsync(HttpClient client, string path, string? token)
    {
        var r = await SendAsync(client, Xml(Report, path,
            $"<D:sync-collection xmlns:D=\"DAV:\"><D:sync-token>{token}</D:sync-token><D:sync-level>1</D:sync-level><D:prop><D:getetag/></D:prop></D:sync-collection>", "0"));
        Assert.True(r.Status == HttpStatusCode.MultiStatus, $"sync-collection {path}: {r}");
        return (r.Xml.Root!.Element(D + "sync-token")!.Value, r.Responses().Keys);
    }

    static async Task<IReadOnlyList<string>> MembersAsync(HttpClient client, string path) =>
        [.. (await PropfindAsync(client, path, "1", D + "getetag")).Responses().Keys.Where(h => h != path)];

    [Fact]
    public async Task Add_member_is_offered_on_own_calendars_but_not_on_the_home_inbox_or_outbox()
    {
        using var client = server.CreateClient(Alice);
        var path = await MakeCalendarAsync(client, Alice, Unique("am"));
        var home = await PropfindAsync(client, $"/calendars/{Alice}/", "1", D + "add-member");
        Assert.Equal(HttpStatusCode.MultiStatus, home.Status);
        var responses = home.Responses();
        Assert.Equal(path + "?add-member", responses[path].Prop(D + "add-member").Element(D + "href")?.Value);
        Assert.Equal(404, responses[$"/calendars/{Alice}/"].StatusOf(D + "add-member"));
        foreach (var reserved in new[] { "inbox", "outbox" })
        {
            var one = await PropfindAsync(client, CalendarPath(Alice, reserved), "0", D + "add-member");
            Assert.Equal(404, one.Responses()[CalendarPath(Alice, reserved)].StatusOf(D + "add-member"));
        }
    }

    [Fact]
    public async Task Post_creates_an_object_named_from_its_uid_that_get_and_sync_collection_show()
    {
        using var client = server.CreateClient(Alice);
        var path = await MakeCalendarAsync(client, Alice, Unique("am"));
        var (token, _) = await SyncAsync(client, path, null);
        var uid = Unique("uid");
        var body = Event(uid, "Posted");

        var created = await SendAsync(client, Post(path + "?add-member", body));
        Assert.True(created.Status == HttpStatusCode.Created, created.ToString());
        var location = created.Headers.Location?.OriginalString;
        Assert.Equal(path + uid + ".ics", location);
        Assert.NotNull(created.ETag);

        var get = await GetAsync(client, location!);
        Assert.Equal(HttpStatusCode.OK, get.Status);
        Assert.Equal(body, get.Text);
        Assert.Equal(created.ETag, get.ETag);
        var (_, changed) = await SyncAsync(client, path, token);
        Assert.Equal([location!], changed);
    }

    [Fact]
    public async Task A_uid_that_is_not_plain_text_or_whose_name_is_taken_gets_a_random_name()
    {
        using var client = server.CreateClient(Alice);
        var path = await MakeCalendarAsync(client, Alice, Unique("am"));
        // "taken.ics" holds another UID, so the UID "taken" cannot have that name.
        await PutNewAsync(client, path + "taken.ics", Event(Unique("other")));
        foreach (var uid in new[] { "a b/c@example.com", "taken" })
        {
            var created = await SendAsync(client, Post(path + "?add-member", Event(uid)));
            Assert.True(created.Status == HttpStatusCode.Created, created.ToString());
            var location = created.Headers.Location!.OriginalString;
            Assert.StartsWith(path, location);
            Assert.Matches("^[0-9a-f-]{36}\\.ics$", location[path.Length..]);
            Assert.Contains("UID:" + uid, (await GetAsync(client, location)).Text);
        }
        Assert.Equal(3, (await MembersAsync(client, path)).Count);
    }

    [Fact]
    public async Task A_uid_already_in_the_calendar_is_403_no_uid_conflict_and_nothing_is_added()
    {
        using var client = server.CreateClient(Alice);
        var path = await MakeCalendarAsync(client, Alice, Unique("am"));
        var uid = Unique("uid");
        await PutNewAsync(client, path + "first.ics", Event(uid, "first"));
        var response = await SendAsync(client, Post(path + "?add-member", Event(uid, "again")));
        Assert.Equal(HttpStatusCode.Forbidden, response.Status);
        Assert.Equal(path + "first.ics", response.Condition(C + "no-uid-conflict").Element(D + "href")?.Value);
        Assert.Equal([path + "first.ics"], await MembersAsync(client, path));
    }

    [Fact]
    public async Task Bad_bodies_get_their_status_and_precondition_and_nothing_is_stored()
    {
        using var client = server.CreateClient(Alice);
        var path = await MakeCalendarAsync(client, Alice, Unique("am"));
        var wrongType = await SendAsync(client, Post(path + "?add-member", "{\"summary\":\"x\"}", "application/json"));
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, wrongType.Status);
        Assert.Contains(C + "supported-calendar-data", wrongType.ErrorConditions());

        var notCalendar = await SendAsync(client, Post(path + "?add-member", "this is not a calendar\r\n"));
        Assert.Equal(HttpStatusCode.Forbidden, notCalendar.Status);
        Assert.Contains(C + "valid-calendar-data", notCalendar.ErrorConditions());

        var description = new StringBuilder();
        while (description.Length < 1024 * 1024 + 100)
            description.Append(' ').Append(new string('x', 70)).Append("\r\n");
        var big = await SendAsync(client, Post(path + "?add-member", Event(Unique("uid"), extra: "DESCRIPTION:start\r\n" + description)));
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, big.Status);
        Assert.Contains(C + "max-resource-size", big.ErrorConditions());

        Assert.Empty(await MembersAsync(client, path));
    }

    [Fact]
    public async Task Post_elsewhere_is_refused_the_inbox_403_a_missing_calendar_404_the_collection_itself_405()
    {
        using var client = server.CreateClient(Alice);
        var path = await MakeCalendarAsync(client, Alice, Unique("am"));
        var inbox = await SendAsync(client, Post(CalendarPath(Alice, "inbox") + "?add-member", Event(Unique("uid"))));
        Assert.Equal(HttpStatusCode.Forbidden, inbox.Status);
        Assert.Contains(D + "need-privileges", inbox.ErrorConditions());
        var missing = await SendAsync(client, Post(CalendarPath(Alice, Unique("none")) + "?add-member", Event(Unique("uid"))));
        Assert.Equal(HttpStatusCode.NotFound, missing.Status);
        var collection = await SendAsync(client, Post(path, Event(Unique("uid"))));
        Assert.Equal(HttpStatusCode.MethodNotAllowed, collection.Status);
        Assert.Empty(await MembersAsync(client, path));
    }

    [Fact]
    public async Task A_read_only_share_offers_no_add_member_and_refuses_the_post_a_read_write_one_accepts_it()
    {
        using var alice = server.CreateClient(Alice);
        using var bob = server.CreateClient(Bob);
        var readOnly = Unique("amro");
        var readWrite = Unique("amrw");
        await MakeCalendarAsync(alice, Alice, readOnly);
        await MakeCalendarAsync(alice, Alice, readWrite);
        using var manage = server.CreateManagementClient();
        foreach (var (calendar, access) in new[] { (readOnly, "read"), (readWrite, "read-write") })
        {
            using var r = await manage.PutAsJsonAsync($"manage/users/{Alice}/calendars/{calendar}/shares/{Bob}", new { access });
            Assert.True(r.StatusCode == HttpStatusCode.OK, $"share {calendar} {access}: {await r.Content.ReadAsStringAsync()}");
        }
        try
        {
            var roPath = CalendarPath(Bob, $"app-generated--shared--{Alice}--{readOnly}");
            var ro = await PropfindAsync(bob, roPath, "0", D + "add-member");
            Assert.Equal(404, ro.Responses()[roPath].StatusOf(D + "add-member"));
            var refused = await SendAsync(bob, Post(roPath + "?add-member", Event(Unique("uid"))));
            Assert.Equal(HttpStatusCode.Forbidden, refused.Status);
            Assert.Contains(D + "need-privileges", refused.ErrorConditions());
            Assert.Empty(await MembersAsync(alice, CalendarPath(Alice, readOnly)));

            var rwPath = CalendarPath(Bob, $"app-generated--shared--{Alice}--{readWrite}");
            var rw = await PropfindAsync(bob, rwPath, "0", D + "add-member");
            Assert.Equal(rwPath + "?add-member", rw.Responses()[rwPath].Prop(D + "add-member").Element(D + "href")?.Value);
            var uid = Unique("uid");
            var created = await SendAsync(bob, Post(rwPath + "?add-member", Event(uid)));
            Assert.True(created.Status == HttpStatusCode.Created, created.ToString());
            Assert.Equal(rwPath + uid + ".ics", created.Headers.Location?.OriginalString);
            Assert.Equal(HttpStatusCode.OK, (await GetAsync(alice, CalendarPath(Alice, readWrite) + uid + ".ics")).Status);
        }
        finally
        {
            foreach (var calendar in new[] { readOnly, readWrite })
                (await manage.DeleteAsync($"manage/users/{Alice}/calendars/{calendar}/shares/{Bob}")).Dispose();
        }
    }
}

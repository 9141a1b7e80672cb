using System.Net;
using System.Text;
using System.Text.Json.Nodes;

namespace Caldera.Web.Tests.Api;

/// <summary>calendars: the home as CalDAV shows it; create, rename and delete go through the store as MKCALENDAR/PROPPATCH/DELETE do.</summary>
[Collection(WebServerCollection.Name)]
public sealed class CalendarApiTests(WebServerFixture fixture)
{
    static async Task<string> PropfindAsync(HttpClient dav, string path, string depth = "1")
    {
        using var request = new HttpRequestMessage(new HttpMethod("PROPFIND"), path)
        {
            Content = new StringContent("<?xml version=\"1.0\"?><D:propfind xmlns:D=\"DAV:\" xmlns:A=\"http://apple.com/ns/ical/\" xmlns:C=\"urn:ietf:params:xml:ns:caldav\"><D:prop><D:displayname/><A:calendar-color/><C:calendar-description/></D:prop></D:propfind>", Encoding.UTF8, "application/xml"),
        };
        request.Headers.Add("Depth", depth);
        using var response = await dav.SendAsync(request);
        Assert.Equal((HttpStatusCode)207, response.StatusCode);
        return await response.Content.ReadAsStringAsync();
    }

    [Fact]
    public async Task The_default_calendar_is_listed_as_own_with_its_caldav_url()
    {
        using var client = await ApiUsers.SignedInAsync(fixture, "listcal");
        var list = (await client.GetJsonAsync("calendars")).AsArray();
        var calendar = Assert.Single(list);
        Assert.Equal("default", ApiUsers.Text(calendar, "id"));
        Assert.Equal("Calendar", ApiUsers.Text(calendar, "displayName"));
        Assert.Equal("own", ApiUsers.Text(calendar, "kind"));
        Assert.Equal("owner", ApiUsers.Text(calendar, "access"));
        Assert.Equal(client.User, ApiUsers.Text(calendar, "owner"));
        Assert.Equal(new Uri(fixture.BaseUri, $"/calendars/{client.User}/default/").ToString(), ApiUsers.Text(calendar, "url"));
        Assert.Equal(["VEVENT", "VTODO"], calendar!["components"]!.AsArray().Select(c => c!.GetValue<string>()));
        Assert.Null(calendar["color"]);
        Assert.Null(calendar["feedStatus"]);
    }

    [Fact]
    public async Task Create_rename_and_delete_show_over_caldav()
    {
        var (user, password, _) = await ApiUsers.CreateAsync(fixture, "crud");
        using var client = await ApiClient.SignInAsync(fixture, user, password);
        using var dav = fixture.CreateDavClient(user, password);

        var created = await client.ExpectAsync(HttpStatusCode.Created, HttpMethod.Post, "calendars",
            new { displayName = "Équipe Projets!", color = "#12ab9F", description = "Work & <stuff>" });
        Assert.Equal("équipe-projets", ApiUsers.Text(created, "id"));
        Assert.Equal("#12ab9f", ApiUsers.Text(created, "color"));
        Assert.Equal("Work & <stuff>", ApiUsers.Text(created, "description"));
        var again = await client.ExpectAsync(HttpStatusCode.Created, HttpMethod.Post, "calendars", new { displayName = "ÉQUIPE projets" });
        Assert.Equal("équipe-projets-2", ApiUsers.Text(again, "id"));

        var xml = await PropfindAsync(dav, $"calendars/{user}/équipe-projets/", "0");
        Assert.Contains("Équipe Projets!", xml);
        Assert.Contains("#12ab9F", xml);
        Assert.Contains("Work &amp; &lt;stuff&gt;", xml);

        var renamed = await client.ExpectAsync(HttpStatusCode.OK, HttpMethod.Patch, "calendars/équipe-projets", new { displayName = "Team", color = "" });
        Assert.Equal("Team", ApiUsers.Text(renamed, "displayName"));
        Assert.Null(renamed!["color"]);
        Assert.Equal("Work & <stuff>", ApiUsers.Text(renamed, "description")); // untouched
        xml = await PropfindAsync(dav, $"calendars/{user}/équipe-projets/", "0");
        Assert.Contains(">Team<", xml);
        Assert.DoesNotContain("#12ab9F", xml);

        await client.ExpectAsync(HttpStatusCode.NoContent, HttpMethod.Delete, "calendars/équipe-projets");
        using (var gone = await dav.SendAsync(new HttpRequestMessage(new HttpMethod("PROPFIND"), $"calendars/{user}/équipe-projets/") { Headers = { { "Depth", "0" } } }))
            Assert.Equal(HttpStatusCode.NotFound, gone.StatusCode);
        await client.ExpectAsync(HttpStatusCode.NotFound, HttpMethod.Delete, "calendars/équipe-projets");
        Assert.Equal(["default", "équipe-projets-2"], (await client.GetJsonAsync("calendars")).AsArray().Select(c => ApiUsers.Text(c, "id")).Order());
    }

    [Fact]
    public async Task A_calendar_made_over_caldav_is_listed_and_bad_input_is_400()
    {
        var (user, password, _) = await ApiUsers.CreateAsync(fixture, "badcal");
        using var client = await ApiClient.SignInAsync(fixture, user, password);
        using var dav = fixture.CreateDavClient(user, password);
        using (var mk = await dav.SendAsync(new HttpRequestMessage(new HttpMethod("MKCALENDAR"), $"calendars/{user}/from-dav/")))
            Assert.Equal(HttpStatusCode.Created, mk.StatusCode);
        Assert.Contains((await client.GetJsonAsync("calendars")).AsArray(), c => ApiUsers.Text(c, "id") == "from-dav");

        await client.ExpectAsync(HttpStatusCode.BadRequest, HttpMethod.Post, "calendars", new { displayName = "  " });
        await client.ExpectAsync(HttpStatusCode.BadRequest, HttpMethod.Post, "calendars", new { displayName = "Red", color = "red" });
        await client.ExpectAsync(HttpStatusCode.BadRequest, HttpMethod.Post, "calendars", new { displayName = "Bell\u0007" });
        await client.ExpectAsync(HttpStatusCode.BadRequest, HttpMethod.Post, "calendars", new { displayName = new string('x', 5000) });
        using (var notJson = await client.Http.SendAsync(new HttpRequestMessage(HttpMethod.Post, "web/api/calendars")
               { Content = new StringContent("{nope", Encoding.UTF8, "application/json"), Headers = { { "X-Caldera-CSRF", client.Csrf } } }))
            Assert.Equal(HttpStatusCode.BadRequest, notJson.StatusCode);
        using (var tooBig = await client.SendAsync(HttpMethod.Post, "calendars", new { displayName = "Big", description = new string('d', 17 * 1024) }))
            Assert.Equal(HttpStatusCode.RequestEntityTooLarge, tooBig.StatusCode);
        // "Inbox" would be the scheduling inbox's name: the id moves on.
        Assert.Equal("inbox-2", ApiUsers.Text(await client.ExpectAsync(HttpStatusCode.Created, HttpMethod.Post, "calendars", new { displayName = "Inbox" }), "id"));
    }

    [Fact]
    public async Task Another_user_s_calendar_cannot_be_seen_changed_or_deleted()
    {
        using var alice = await ApiUsers.SignedInAsync(fixture, "owner");
        using var bob = await ApiUsers.SignedInAsync(fixture, "intruder");
        var id = ApiUsers.Text(await alice.ExpectAsync(HttpStatusCode.Created, HttpMethod.Post, "calendars", new { displayName = "Private" }), "id");

        Assert.DoesNotContain((await bob.GetJsonAsync("calendars")).AsArray(), c => ApiUsers.Text(c, "id") == id);
        await bob.ExpectAsync(HttpStatusCode.NotFound, HttpMethod.Patch, $"calendars/{id}", new { displayName = "Mine now" });
        await bob.ExpectAsync(HttpStatusCode.NotFound, HttpMethod.Delete, $"calendars/{id}");
        using (var export = await bob.GetAsync($"calendars/{id}/export")) Assert.Equal(HttpStatusCode.NotFound, export.StatusCode);
        // Even shared, bob may read but not rename or delete it.
        await alice.ExpectAsync(HttpStatusCode.OK, HttpMethod.Put, $"shares/{id}/{bob.User}", new { access = "read-write" });
        var shared = (await bob.GetJsonAsync("calendars")).AsArray().Single(c => ApiUsers.Text(c, "kind") == "shared");
        Assert.Equal("read-write", ApiUsers.Text(shared, "access"));
        Assert.Equal(alice.User, ApiUsers.Text(shared, "owner"));
        await bob.ExpectAsync(HttpStatusCode.Forbidden, HttpMethod.Patch, $"calendars/{ApiUsers.Text(shared, "id")}", new { displayName = "Mine now" });
        await bob.ExpectAsync(HttpStatusCode.Forbidden, HttpMethod.Delete, $"calendars/{ApiUsers.Text(shared, "id")}");
        Assert.Equal("Private", ApiUsers.Text((await alice.GetJsonAsync("calendars")).AsArray().Single(c => ApiUsers.Text(c, "id") == id), "displayName"));
    }
}

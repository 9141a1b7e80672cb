using System.Net;

namespace Caldera.Web.Tests.Api;

/// <summary>shares: granting and revoking the user's own calendars; the sharee sees them in its home.</summary>
[Collection(WebServerCollection.Name)]
public sealed class ShareApiTests(WebServerFixture fixture)
{
    [Fact]
    public async Task Share_list_and_stop_sharing_and_the_sharee_sees_the_calendar()
    {
        using var owner = await ApiUsers.SignedInAsync(fixture, "sharer");
        using var sharee = await ApiUsers.SignedInAsync(fixture, "sharee");
        var id = ApiUsers.Text(await owner.ExpectAsync(HttpStatusCode.Created, HttpMethod.Post, "calendars", new { displayName = "Family", color = "#aa0000" }), "id");

        var granted = await owner.ExpectAsync(HttpStatusCode.OK, HttpMethod.Put, $"shares/{id}/{sharee.User}", new { access = "read" });
        Assert.Equal(id, ApiUsers.Text(granted, "calendar"));
        Assert.Equal("Family", ApiUsers.Text(granted, "calendarName"));
        Assert.Equal(sharee.User, ApiUsers.Text(granted, "sharee"));
        Assert.Equal("read", ApiUsers.Text(granted, "access"));

        var mine = await owner.GetJsonAsync("shares");
        var row = Assert.Single(mine["granted"]!.AsArray());
        Assert.Equal($"{id}/{sharee.User}/read", $"{ApiUsers.Text(row, "calendar")}/{ApiUsers.Text(row, "sharee")}/{ApiUsers.Text(row, "access")}");
        Assert.Empty(mine["received"]!.AsArray());

        var theirs = await sharee.GetJsonAsync("shares");
        var received = Assert.Single(theirs["received"]!.AsArray());
        Assert.Equal(owner.User, ApiUsers.Text(received, "owner"));
        Assert.Equal(id, ApiUsers.Text(received, "calendar"));
        Assert.Equal("Family", ApiUsers.Text(received, "displayName"));
        Assert.Equal("read", ApiUsers.Text(received, "access"));
        var calendar = (await sharee.GetJsonAsync("calendars")).AsArray().Single(c => ApiUsers.Text(c, "id") == ApiUsers.Text(received, "id"));
        Assert.Equal("shared", ApiUsers.Text(calendar, "kind"));
        Assert.Equal("read", ApiUsers.Text(calendar, "access"));
        Assert.Equal("#aa0000", ApiUsers.Text(calendar, "color"));

        // Upgrading replaces the share.
        await owner.ExpectAsync(HttpStatusCode.OK, HttpMethod.Put, $"shares/{id}/{sharee.User}", new { access = "read-write" });
        Assert.Equal("read-write", ApiUsers.Text(Assert.Single((await sharee.GetJsonAsync("shares"))["received"]!.AsArray()), "access"));

        await owner.ExpectAsync(HttpStatusCode.NoContent, HttpMethod.Delete, $"shares/{id}/{sharee.User}");
        Assert.Empty((await owner.GetJsonAsync("shares"))["granted"]!.AsArray());
        Assert.DoesNotContain((await sharee.GetJsonAsync("calendars")).AsArray(), c => ApiUsers.Text(c, "kind") == "shared");
        await owner.ExpectAsync(HttpStatusCode.NotFound, HttpMethod.Delete, $"shares/{id}/{sharee.User}");
    }

    [Fact]
    public async Task Bad_shares_are_refused()
    {
        using var owner = await ApiUsers.SignedInAsync(fixture, "badshare");
        await owner.ExpectAsync(HttpStatusCode.NotFound, HttpMethod.Put, "shares/default/no-such-user-anywhere", new { access = "read" });
        await owner.ExpectAsync(HttpStatusCode.NotFound, HttpMethod.Put, $"shares/no-such-calendar/{WebServerFixture.Bob}", new { access = "read" });
        await owner.ExpectAsync(HttpStatusCode.BadRequest, HttpMethod.Put, $"shares/default/{owner.User}", new { access = "read" });
        await owner.ExpectAsync(HttpStatusCode.BadRequest, HttpMethod.Put, $"shares/default/{WebServerFixture.Bob}", new { access = "admin" });
        Assert.Empty((await owner.GetJsonAsync("shares"))["granted"]!.AsArray());
    }

    [Fact]
    public async Task A_user_cannot_share_or_unshare_another_user_s_calendar()
    {
        using var owner = await ApiUsers.SignedInAsync(fixture, "victim");
        using var sharee = await ApiUsers.SignedInAsync(fixture, "friend");
        using var intruder = await ApiUsers.SignedInAsync(fixture, "mallory");
        await owner.ExpectAsync(HttpStatusCode.OK, HttpMethod.Put, $"shares/default/{sharee.User}", new { access = "read" });

        // The path names only a calendar: the owner is always the signed-in user, so this is the intruder's own "default".
        await intruder.ExpectAsync(HttpStatusCode.NotFound, HttpMethod.Delete, $"shares/default/{sharee.User}");
        Assert.Single((await owner.GetJsonAsync("shares"))["granted"]!.AsArray());
        Assert.Empty((await intruder.GetJsonAsync("shares"))["granted"]!.AsArray());
        // The sharee cannot re-share what it received.
        var receivedId = ApiUsers.Text(Assert.Single((await sharee.GetJsonAsync("shares"))["received"]!.AsArray()), "id");
        await sharee.ExpectAsync(HttpStatusCode.NotFound, HttpMethod.Put, $"shares/{receivedId}/{intruder.User}", new { access = "read" });
        Assert.DoesNotContain((await intruder.GetJsonAsync("calendars")).AsArray(), c => ApiUsers.Text(c, "kind") == "shared");
    }
}

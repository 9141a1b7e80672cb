using System.Net;

namespace Caldera.Web.Tests.Api;

/// <summary>passwords: made (shown once), listed with the session's own marked, revoked (CalDAV refuses it at once).</summary>
[Collection(WebServerCollection.Name)]
public sealed class PasswordApiTests(WebServerFixture fixture)
{
    static async Task<HttpStatusCode> DavStatusAsync(WebServerFixture fixture, string user, string password)
    {
        using var dav = fixture.CreateDavClient(user, password);
        using var response = await dav.SendAsync(new HttpRequestMessage(new HttpMethod("PROPFIND"), $"calendars/{user}/") { Headers = { { "Depth", "0" } } });
        return response.StatusCode;
    }

    [Fact]
    public async Task Create_list_and_revoke_an_app_password()
    {
        var (user, password, passwordId) = await ApiUsers.CreateAsync(fixture, "pw");
        using var client = await ApiClient.SignInAsync(fixture, user, password);

        var made = await client.ExpectAsync(HttpStatusCode.Created, HttpMethod.Post, "passwords", new { label = "  Phone  " });
        var id = ApiUsers.Text(made, "id");
        var clear = ApiUsers.Text(made, "password");
        Assert.Equal("Phone", ApiUsers.Text(made, "label"));
        Assert.True(clear.Length >= 32);
        Assert.True(DateTimeOffset.Parse(ApiUsers.Text(made, "created")) > DateTimeOffset.UtcNow.AddMinutes(-5));
        Assert.Equal((HttpStatusCode)207, await DavStatusAsync(fixture, user, clear));

        var list = (await client.GetJsonAsync("passwords")).AsArray();
        Assert.Equal(2, list.Count);
        Assert.True(list.Single(p => ApiUsers.Text(p, "id") == passwordId)!["current"]!.GetValue<bool>());
        var phone = list.Single(p => ApiUsers.Text(p, "id") == id);
        Assert.False(phone!["current"]!.GetValue<bool>());
        Assert.Equal("Phone", ApiUsers.Text(phone, "label"));
        Assert.DoesNotContain("password", list.ToJsonString());
        Assert.DoesNotContain(clear, list.ToJsonString());

        await client.ExpectAsync(HttpStatusCode.NoContent, HttpMethod.Delete, $"passwords/{id}");
        Assert.Equal(HttpStatusCode.Unauthorized, await DavStatusAsync(fixture, user, clear));
        Assert.Single((await client.GetJsonAsync("passwords")).AsArray());
        await client.ExpectAsync(HttpStatusCode.NotFound, HttpMethod.Delete, $"passwords/{id}");
        await client.ExpectAsync(HttpStatusCode.BadRequest, HttpMethod.Post, "passwords", new { label = "" });
        await client.ExpectAsync(HttpStatusCode.BadRequest, HttpMethod.Post, "passwords", new { label = new string('x', 101) });
        await client.ExpectAsync(HttpStatusCode.BadRequest, HttpMethod.Post, "passwords", new { label = "tab\there" });
        await client.ExpectAsync(HttpStatusCode.Created, HttpMethod.Post, "passwords", new { label = new string('x', 100) });
    }

    [Fact]
    public async Task Revoking_the_session_s_own_password_ends_the_session()
    {
        var (user, password, passwordId) = await ApiUsers.CreateAsync(fixture, "pwself");
        using var client = await ApiClient.SignInAsync(fixture, user, password);
        using (var response = await client.SendAsync(HttpMethod.Delete, $"passwords/{passwordId}"))
        {
            Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
            Assert.StartsWith("caldera_session=;", Assert.Single(response.Headers.GetValues("Set-Cookie")));
        }
        using (var after = await client.GetAsync("session")) Assert.Equal(HttpStatusCode.Unauthorized, after.StatusCode);
        using var again = ApiClient.Anonymous(fixture, user);
        using var signIn = await again.SendAsync(HttpMethod.Post, "session", new { user, password });
        Assert.Equal(HttpStatusCode.Unauthorized, signIn.StatusCode);
    }

    [Fact]
    public async Task One_user_cannot_revoke_another_s_password()
    {
        var (victim, victimPassword, victimId) = await ApiUsers.CreateAsync(fixture, "pwvictim");
        using var attacker = await ApiUsers.SignedInAsync(fixture, "pwattacker");
        await attacker.ExpectAsync(HttpStatusCode.NotFound, HttpMethod.Delete, $"passwords/{victimId}");
        Assert.Equal((HttpStatusCode)207, await DavStatusAsync(fixture, victim, victimPassword));
    }
}

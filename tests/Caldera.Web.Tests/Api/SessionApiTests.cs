using System.Net;
using System.Security.Cryptography;
using System.Text;
using Caldera.Calendars.Accounts;
using Caldera.Storage.Web;
using Microsoft.Extensions.DependencyInjection;

namespace Caldera.Web.Tests.Api;

/// <summary>Signing in and out, the cookie's flags, the session's end, CSRF and Origin checks, and the headers every answer carries.</summary>
[Collection(WebServerCollection.Name)]
public sealed class SessionApiTests(WebServerFixture fixture)
{
    [Fact]
    public async Task Sign_in_sets_a_strict_http_only_cookie_and_the_session_tells_who_and_where()
    {
        var (user, password, _) = await ApiUsers.CreateAsync(fixture, "signin");
        using var client = ApiClient.Anonymous(fixture, user);
        using var response = await client.SendAsync(HttpMethod.Post, "session", new { user = user.ToUpperInvariant(), password });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var cookie = Assert.Single(response.Headers.GetValues("Set-Cookie"));
        Assert.StartsWith("caldera_session=" + user + ".", cookie);
        Assert.Contains("path=/web/", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("httponly", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("samesite=strict", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("secure", cookie, StringComparison.OrdinalIgnoreCase); // plain http here
        // 256 random bits as base64url: 43 characters after the user name.
        var token = cookie.Split(';')[0][("caldera_session=" + user + ".").Length..];
        Assert.True(token.Length >= 43, token);
        var body = await ApiClient.ReadAsync(response);
        Assert.Equal(user, ApiUsers.Text(body, "user"));
        Assert.Equal("Test signin", ApiUsers.Text(body, "displayName"));
        Assert.Equal($"{user}@example.com", ApiUsers.Text(body, "email"));
        client.Csrf = ApiUsers.Text(body, "csrf");

        var session = await client.GetJsonAsync("session");
        Assert.Equal(user, ApiUsers.Text(session, "user"));
        Assert.Equal(client.Csrf, ApiUsers.Text(session, "csrf"));
        Assert.Equal(fixture.BaseUri.ToString(), ApiUsers.Text(session, "serverUrl"));
        Assert.Equal(new Uri(fixture.BaseUri, $"/principals/{user}/").ToString(), ApiUsers.Text(session, "principalUrl"));
        Assert.Equal(new Uri(fixture.BaseUri, $"/calendars/{user}/").ToString(), ApiUsers.Text(session, "homeUrl"));
    }

    [Fact]
    public async Task Every_answer_carries_no_store_nosniff_and_a_closed_csp()
    {
        using var client = ApiClient.Anonymous(fixture, "nobody");
        foreach (var (method, path) in new[] { (HttpMethod.Get, "session"), (HttpMethod.Get, "calendars"), (HttpMethod.Get, "no-such-thing") })
        {
            using var response = await client.SendAsync(method, path);
            Assert.Contains("no-store", response.Headers.CacheControl?.ToString());
            Assert.Equal("nosniff", Assert.Single(response.Headers.GetValues("X-Content-Type-Options")));
            Assert.Equal("default-src 'none'; frame-ancestors 'none'", Assert.Single(response.Headers.GetValues("Content-Security-Policy")));
            Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
            Assert.NotNull((await ApiClient.ReadAsync(response))["error"]);
        }
    }

    [Fact]
    public async Task No_session_is_401_an_unknown_path_404_and_a_wrong_verb_405()
    {
        using var client = ApiClient.Anonymous(fixture, "nobody");
        using (var r = await client.GetAsync("session")) Assert.Equal(HttpStatusCode.Unauthorized, r.StatusCode);
        using (var r = await client.GetAsync("calendars")) Assert.Equal(HttpStatusCode.Unauthorized, r.StatusCode);
        using (var r = await client.GetAsync("nothing/here")) Assert.Equal(HttpStatusCode.NotFound, r.StatusCode);
        using (var r = await client.SendAsync(HttpMethod.Put, "session"))
        {
            Assert.Equal(HttpStatusCode.MethodNotAllowed, r.StatusCode);
            Assert.Contains("POST", r.Content.Headers.Allow);
        }
        // A forged cookie names a user but no stored session.
        client.Cookies.Add(fixture.BaseUri, new Cookie("caldera_session", "alice.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", "/web/"));
        using (var r = await client.GetAsync("session")) Assert.Equal(HttpStatusCode.Unauthorized, r.StatusCode);
    }

    [Fact]
    public async Task A_wrong_password_or_unknown_user_is_401_and_sets_no_cookie()
    {
        var (user, _, _) = await ApiUsers.CreateAsync(fixture, "wrongpw");
        using var client = ApiClient.Anonymous(fixture, user);
        foreach (var body in new object[] { new { user, password = "not-the-password" }, new { user = "no-such-user-here", password = "whatever-it-is" } })
        {
            using var response = await client.SendAsync(HttpMethod.Post, "session", body);
            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
            Assert.False(response.Headers.Contains("Set-Cookie"));
            Assert.Equal("Wrong user name or app password.", ApiUsers.Text(await ApiClient.ReadAsync(response), "error"));
        }
        using var bad = await client.SendAsync(HttpMethod.Post, "session", new { user });
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
    }

    [Fact]
    public async Task Sign_out_ends_the_session_and_clears_the_cookie()
    {
        using var client = await ApiUsers.SignedInAsync(fixture, "signout");
        var cookie = client.Cookies.GetCookies(fixture.WebUri)["caldera_session"]!.Value;
        using (var response = await client.SendAsync(HttpMethod.Delete, "session"))
        {
            Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
            var cleared = Assert.Single(response.Headers.GetValues("Set-Cookie"));
            Assert.StartsWith("caldera_session=;", cleared);
            Assert.Contains("expires=Thu, 01 Jan 1970", cleared, StringComparison.OrdinalIgnoreCase);
        }
        using (var r = await client.GetAsync("session")) Assert.Equal(HttpStatusCode.Unauthorized, r.StatusCode);
        // The old cookie value, replayed, no longer names a stored session.
        client.Cookies.Add(fixture.BaseUri, new Cookie("caldera_session", cookie, "/web/"));
        using (var r = await client.GetAsync("session")) Assert.Equal(HttpStatusCode.Unauthorized, r.StatusCode);
    }

    [Fact]
    public async Task Revoking_the_sign_in_password_elsewhere_or_deleting_the_user_ends_the_session()
    {
        var accounts = fixture.Services.GetRequiredService<IAccountService>();
        var (user, password, passwordId) = await ApiUsers.CreateAsync(fixture, "revoked");
        using var client = await ApiClient.SignInAsync(fixture, user, password);
        await client.GetJsonAsync("calendars");
        Assert.True(await accounts.RevokeAppPasswordAsync(user, passwordId, default));
        using (var r = await client.GetAsync("calendars")) Assert.Equal(HttpStatusCode.Unauthorized, r.StatusCode);

        var (other, otherPassword, _) = await ApiUsers.CreateAsync(fixture, "deleted");
        using var second = await ApiClient.SignInAsync(fixture, other, otherPassword);
        await second.GetJsonAsync("session");
        Assert.True(await accounts.DeleteUserAsync(other, default));
        using (var r = await second.GetAsync("session")) Assert.Equal(HttpStatusCode.Unauthorized, r.StatusCode);
    }

    [Fact]
    public async Task A_session_past_its_expiry_is_401_and_its_row_is_removed()
    {
        var store = fixture.Services.GetRequiredService<IWebSessionStore>();
        var (user, _, passwordId) = await ApiUsers.CreateAsync(fixture, "expiry");
        async Task<(ApiClient Client, string Hash)> SessionAsync(TimeSpan expiresIn)
        {
            var token = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
            var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(token)));
            var now = DateTimeOffset.UtcNow;
            await store.AddAsync(new WebSessionRecord(user, hash, "csrf-" + hash[..8], passwordId, now.AddHours(-12), now + expiresIn), default);
            var client = ApiClient.Anonymous(fixture, user);
            client.Cookies.Add(fixture.BaseUri, new Cookie("caldera_session", $"{user}.{token}", "/web/"));
            return (client, hash);
        }

        var (live, liveHash) = await SessionAsync(TimeSpan.FromMinutes(5));
        using (live)
            Assert.Equal("csrf-" + liveHash[..8], ApiUsers.Text(await live.GetJsonAsync("session"), "csrf"));
        var (expired, expiredHash) = await SessionAsync(TimeSpan.FromMinutes(-1));
        using (expired)
        using (var response = await expired.GetAsync("session"))
            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Null(await store.GetAsync(user, expiredHash, default));
        Assert.NotNull(await store.GetAsync(user, liveHash, default));
    }

    [Fact]
    public async Task Head_is_answered_like_get_without_a_body()
    {
        using var client = await ApiUsers.SignedInAsync(fixture, "head");
        using var response = await client.SendAsync(HttpMethod.Head, "calendars");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Empty(await response.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task A_write_without_the_right_csrf_header_is_403_and_changes_nothing()
    {
        using var client = await ApiUsers.SignedInAsync(fixture, "csrf");
        var before = (await client.GetJsonAsync("calendars")).AsArray().Count;
        var realCsrf = client.Csrf;

        using (var missing = await client.SendAsync(HttpMethod.Post, "calendars", new { displayName = "Sneaky" }, csrf: false))
            Assert.Equal(HttpStatusCode.Forbidden, missing.StatusCode);
        client.Csrf = realCsrf + "x";
        using (var wrong = await client.SendAsync(HttpMethod.Post, "calendars", new { displayName = "Sneaky" }))
            Assert.Equal(HttpStatusCode.Forbidden, wrong.StatusCode);
        using (var signOut = await client.SendAsync(HttpMethod.Delete, "session"))
            Assert.Equal(HttpStatusCode.Forbidden, signOut.StatusCode);

        client.Csrf = realCsrf;
        var after = await client.GetJsonAsync("calendars");
        Assert.Equal(before, after.AsArray().Count);
        Assert.DoesNotContain(after.AsArray(), c => ApiUsers.Text(c, "displayName") == "Sneaky");
        await client.GetJsonAsync("session"); // still signed in
    }

    [Fact]
    public async Task A_foreign_origin_is_403_even_for_sign_in_while_the_page_s_own_origin_passes()
    {
        var (user, password, _) = await ApiUsers.CreateAsync(fixture, "origin");
        using var client = ApiClient.Anonymous(fixture, user);
        using (var foreign = await client.SendAsync(HttpMethod.Post, "session", new { user, password }, origin: "https://evil.example"))
        {
            Assert.Equal(HttpStatusCode.Forbidden, foreign.StatusCode);
            Assert.False(foreign.Headers.Contains("Set-Cookie"));
        }
        var own = fixture.BaseUri.GetLeftPart(UriPartial.Authority);
        using (var ok = await client.SendAsync(HttpMethod.Post, "session", new { user, password }, origin: own))
        {
            Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
            client.Csrf = ApiUsers.Text(await ApiClient.ReadAsync(ok), "csrf");
        }
        using (var foreignWrite = await client.SendAsync(HttpMethod.Post, "calendars", new { displayName = "From elsewhere" }, origin: "http://127.0.0.1:1"))
            Assert.Equal(HttpStatusCode.Forbidden, foreignWrite.StatusCode);
        Assert.DoesNotContain((await client.GetJsonAsync("calendars")).AsArray(), c => ApiUsers.Text(c, "displayName") == "From elsewhere");
    }

    [Fact]
    public async Task Repeated_failures_are_throttled_with_429_and_retry_after_even_for_the_right_password()
    {
        var (user, password, _) = await ApiUsers.CreateAsync(fixture, "throttle");
        var limit = fixture.Services.GetRequiredService<SignInThrottleOptions>().FailuresPerUserAndAddress;
        using var client = ApiClient.Anonymous(fixture, user);
        for (var i = 0; i < limit; i++)
        {
            using var failure = await client.SendAsync(HttpMethod.Post, "session", new { user, password = "wrong-" + i });
            Assert.Equal(HttpStatusCode.Unauthorized, failure.StatusCode);
        }
        using var throttled = await client.SendAsync(HttpMethod.Post, "session", new { user, password });
        Assert.Equal(HttpStatusCode.TooManyRequests, throttled.StatusCode);
        Assert.True(throttled.Headers.RetryAfter?.Delta > TimeSpan.Zero, throttled.Headers.RetryAfter?.ToString());
        Assert.False(throttled.Headers.Contains("Set-Cookie"));
        // The same throttle guards CalDAV: Basic auth from this address is refused too.
        using var dav = fixture.CreateDavClient(user, password);
        using var propfind = await dav.SendAsync(new HttpRequestMessage(new HttpMethod("PROPFIND"), $"calendars/{user}/") { Headers = { { "Depth", "0" } } });
        Assert.Equal(HttpStatusCode.TooManyRequests, propfind.StatusCode);
    }
}

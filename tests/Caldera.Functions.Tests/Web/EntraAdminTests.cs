using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Caldera.Functions.Web;
using Caldera.Web.Admin;

namespace Caldera.Functions.Tests.Web;

/// <summary>
/// Administrators signed in with Entra ID reach the management API under web/api/admin/ with the platform's principal
/// header instead of the function key — only when turned on, only with the admin app role, and writes only with the
/// CSRF header from the site itself. The principal header is made here as App Service Authentication would set it.
/// </summary>
public sealed class EntraAdminTests(EntraAdminServerFixture server) : IClassFixture<EntraAdminServerFixture>
{
    static string Principal(string name, params string[] roles)
    {
        var claims = new List<object> { new { typ = "preferred_username", val = name } };
        claims.AddRange(roles.Select(r => new { typ = "roles", val = r }));
        var json = JsonSerializer.Serialize(new { auth_typ = "aad", name_typ = "preferred_username", role_typ = "roles", claims });
        return Convert.ToBase64String(Encoding.UTF8.GetBytes(json));
    }

    static HttpRequestMessage Request(HttpMethod method, string path, string? principal, bool csrf = false, object? body = null)
    {
        var request = new HttpRequestMessage(method, path);
        if (principal is not null)
            request.Headers.Add(EasyAuthPrincipal.Header, principal);
        if (csrf)
            request.Headers.Add(WebAdminFunction.CsrfHeader, "1");
        if (body is not null)
            request.Content = JsonContent.Create(body);
        return request;
    }

    [Fact]
    public async Task An_admin_lists_creates_and_deletes_users_like_the_function_key_does()
    {
        using var client = server.CreateClient();
        var admin = Principal("ada@example.com", "Caldera.Admin");
        var user = "entra" + Guid.NewGuid().ToString("N")[..8];

        using (var me = await client.SendAsync(Request(HttpMethod.Get, "/web/api/admin/me", admin)))
        {
            Assert.Equal(HttpStatusCode.OK, me.StatusCode);
            Assert.Equal("ada@example.com", (await me.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("name").GetString());
        }
        using (var created = await client.SendAsync(Request(HttpMethod.Post, "/web/api/admin/users", admin, csrf: true, body: new { userName = user })))
            Assert.Equal(HttpStatusCode.Created, created.StatusCode);

        using var management = server.CreateManagementClient();
        Assert.Equal(HttpStatusCode.OK, (await management.GetAsync($"/manage/users/{user}")).StatusCode);
        using (var list = await client.SendAsync(Request(HttpMethod.Get, "/web/api/admin/users", admin)))
            Assert.Contains(user, await list.Content.ReadAsStringAsync());
        using (var reindex = await client.SendAsync(Request(HttpMethod.Post, $"/web/api/admin/users/{user}/address-index", admin, csrf: true)))
            Assert.Equal(HttpStatusCode.NoContent, reindex.StatusCode);
        using (var deleted = await client.SendAsync(Request(HttpMethod.Delete, $"/web/api/admin/users/{user}", admin, csrf: true)))
            Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await management.GetAsync($"/manage/users/{user}")).StatusCode);
    }

    [Fact]
    public async Task Without_a_principal_the_answer_is_401_with_where_to_sign_in()
    {
        using var client = server.CreateClient();
        using var response = await client.SendAsync(Request(HttpMethod.Get, "/web/api/admin/users", null));
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal(WebAdminFunction.LoginPath, (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("login").GetString());

        using var garbage = await client.SendAsync(Request(HttpMethod.Get, "/web/api/admin/users", "not base64 {"));
        Assert.Equal(HttpStatusCode.Unauthorized, garbage.StatusCode);
    }

    [Fact]
    public async Task A_principal_without_the_admin_role_is_refused()
    {
        using var client = server.CreateClient();
        using var response = await client.SendAsync(Request(HttpMethod.Get, "/web/api/admin/users", Principal("eve@example.com", "Reader")));
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }

    [Fact]
    public async Task A_write_without_the_CSRF_header_or_from_another_site_changes_nothing()
    {
        using var client = server.CreateClient();
        var admin = Principal("ada@example.com", "Caldera.Admin");
        var user = "csrf" + Guid.NewGuid().ToString("N")[..8];

        using (var bare = await client.SendAsync(Request(HttpMethod.Post, "/web/api/admin/users", admin, csrf: false, body: new { userName = user })))
            Assert.Equal(HttpStatusCode.Forbidden, bare.StatusCode);
        var foreign = Request(HttpMethod.Post, "/web/api/admin/users", admin, csrf: true, body: new { userName = user });
        foreign.Headers.Add("Origin", "https://evil.example");
        using (var crossSite = await client.SendAsync(foreign))
            Assert.Equal(HttpStatusCode.Forbidden, crossSite.StatusCode);

        using var management = server.CreateManagementClient();
        Assert.Equal(HttpStatusCode.NotFound, (await management.GetAsync($"/manage/users/{user}")).StatusCode);
    }

    [Fact]
    public async Task Every_management_function_is_mirrored_and_nothing_else()
    {
        var manageFunctions = FunctionsMetadata.LoadHttpFunctions().Count(f => f.Name.StartsWith("Manage", StringComparison.Ordinal));
        Assert.True(manageFunctions >= 20);
        Assert.Equal(manageFunctions, new ManagementMirror().Count);

        using var client = server.CreateClient();
        using var response = await client.SendAsync(Request(HttpMethod.Get, "/web/api/admin/nothing-here", Principal("ada@example.com", "Caldera.Admin")));
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Theory]
    [InlineData("")]
    [InlineData("e30=")]            // {} — no claims
    [InlineData("W10=")]            // [] — not an object
    public void Malformed_principals_are_no_principal(string header) => Assert.Null(EasyAuthPrincipal.Read(header));
}

/// <summary>With the setting off (the default), the principal header is never believed.</summary>
[Collection(CalderaServerCollection.Name)]
public sealed class EntraAdminOffTests(CalderaServerFixture server)
{
    [Fact]
    public async Task When_not_enabled_a_forged_principal_gets_404()
    {
        using var client = server.CreateAnonymousClient();
        var json = """{"auth_typ":"aad","claims":[{"typ":"roles","val":"Caldera.Admin"}]}""";
        using var request = new HttpRequestMessage(HttpMethod.Get, "/web/api/admin/users");
        request.Headers.Add(EasyAuthPrincipal.Header, Convert.ToBase64String(Encoding.UTF8.GetBytes(json)));
        using var response = await client.SendAsync(request);
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.DoesNotContain("alice", await response.Content.ReadAsStringAsync());
    }
}

using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Caldera.Calendars.Accounts;
using Microsoft.Extensions.DependencyInjection;

namespace Caldera.Web.Tests.Api;

/// <summary>
/// A signed-in browser-like client of /web/api/: its own cookie jar, and the session's csrf token sent on every write.
/// </summary>
public sealed class ApiClient : IDisposable
{
    public HttpClient Http { get; }
    public CookieContainer Cookies { get; }
    public string User { get; }
    public string? Csrf { get; set; }

    ApiClient(WebServerFixture fixture, string user)
    {
        Cookies = new CookieContainer();
        Http = fixture.CreateWebClient(Cookies);
        User = user;
    }

    /// <summary>A client that has not signed in yet.</summary>
    public static ApiClient Anonymous(WebServerFixture fixture, string user) => new(fixture, user);

    /// <summary>Signs <paramref name="user"/> in and keeps the csrf token; fails the test if sign-in fails.</summary>
    public static async Task<ApiClient> SignInAsync(WebServerFixture fixture, string user, string password)
    {
        var client = new ApiClient(fixture, user);
        using var response = await client.SendAsync(HttpMethod.Post, "session", new { user, password });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        client.Csrf = (await ReadAsync(response))["csrf"]!.GetValue<string>();
        return client;
    }

    public async Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, object? body = null, bool csrf = true, string? origin = null)
    {
        using var request = new HttpRequestMessage(method, "web/api/" + path);
        if (body is not null)
            request.Content = JsonContent.Create(body);
        if (csrf && Csrf is not null)
            request.Headers.Add("X-Caldera-CSRF", Csrf);
        if (origin is not null)
            request.Headers.Add("Origin", origin);
        return await Http.SendAsync(request);
    }

    public Task<HttpResponseMessage> GetAsync(string path) => SendAsync(HttpMethod.Get, path);

    /// <summary>GET that must answer 200; its JSON.</summary>
    public async Task<JsonNode> GetJsonAsync(string path)
    {
        using var response = await GetAsync(path);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await ReadAsync(response);
    }

    /// <summary>A request that must answer <paramref name="expected"/>; its JSON (null for an empty body).</summary>
    public async Task<JsonNode?> ExpectAsync(HttpStatusCode expected, HttpMethod method, string path, object? body = null)
    {
        using var response = await SendAsync(method, path, body);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(expected == response.StatusCode, $"{method} {path}: expected {(int)expected}, got {(int)response.StatusCode} {text}");
        return text.Length == 0 ? null : JsonNode.Parse(text);
    }

    public static async Task<JsonNode> ReadAsync(HttpResponseMessage response) =>
        JsonNode.Parse(await response.Content.ReadAsStringAsync()) ?? throw new InvalidOperationException("empty JSON");

    public void Dispose() => Http.Dispose();
}

/// <summary>Users made for one test (so tests never depend on each other) with a generated app password.</summary>
public static class ApiUsers
{
    public static async Task<(string User, string Password, string PasswordId)> CreateAsync(WebServerFixture fixture, string prefix)
    {
        var accounts = fixture.Services.GetRequiredService<IAccountService>();
        var user = $"{prefix}-{Guid.NewGuid():N}"[..Math.Min(prefix.Length + 13, 60)];
        Assert.Equal(CreateUserStatus.Created, await accounts.CreateUserAsync(user, "Test " + prefix, $"{user}@example.com", default));
        var password = await accounts.CreateAppPasswordAsync(user, "setup", null, default) ?? throw new InvalidOperationException("no password");
        return (user, password.Password, password.Id);
    }

    public static async Task<ApiClient> SignedInAsync(WebServerFixture fixture, string prefix)
    {
        var (user, password, _) = await CreateAsync(fixture, prefix);
        return await ApiClient.SignInAsync(fixture, user, password);
    }

    public static string Text(JsonNode? node, string name) => node?[name]?.GetValue<string>() ?? throw new InvalidOperationException($"no {name} in {node?.ToJsonString()}");

    public static StringContent Ics(string text) => new(text, Encoding.UTF8, "text/calendar");
}

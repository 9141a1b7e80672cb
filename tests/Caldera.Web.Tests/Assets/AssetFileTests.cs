using System.Net;
using System.Net.Http.Headers;

namespace Caldera.Web.Tests.Assets;

/// <summary>The bundle's files over real HTTP: content types, strong ETags with 304, no-cache, and 404 for the rest.</summary>
[Collection(WebServerCollection.Name)]
public sealed class AssetFileTests(WebServerFixture server)
{
    [Theory]
    [InlineData("/web/assets/app.js", "text/javascript", "utf-8")]
    [InlineData("/web/assets/admin.js", "text/javascript", "utf-8")]
    [InlineData("/web/assets/app.css", "text/css", "utf-8")]
    [InlineData("/web/assets/favicon.svg", "image/svg+xml", null)]
    public async Task Asset_is_served_with_its_content_type_and_revalidation_headers(string path, string mediaType, string? charset)
    {
        using var client = server.CreateWebClient();
        using var response = await client.GetAsync(path);
        var body = await response.Content.ReadAsByteArrayAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(mediaType, response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(charset, response.Content.Headers.ContentType?.CharSet);
        Assert.True(body.Length > 100, $"{path} has {body.Length} bytes");
        Assert.Equal(body.Length, response.Content.Headers.ContentLength);
        Assert.True(response.Headers.CacheControl?.NoCache, response.Headers.CacheControl?.ToString());
        Assert.Equal("nosniff", Assert.Single(response.Headers.GetValues("X-Content-Type-Options")));
        var etag = response.Headers.ETag;
        Assert.NotNull(etag);
        Assert.False(etag.IsWeak);
    }

    [Fact]
    public async Task Bundle_holds_the_page_code_not_a_placeholder()
    {
        using var client = server.CreateWebClient();
        var app = await client.GetStringAsync("/web/assets/app.js");
        var admin = await client.GetStringAsync("/web/assets/admin.js");
        var css = await client.GetStringAsync("/web/assets/app.css");

        Assert.Contains("X-Caldera-CSRF", app); // the API client
        Assert.Contains("timeGridWeek", app); // FullCalendar bundled in, no CDN
        Assert.Contains("x-functions-key", admin);
        Assert.DoesNotContain("timeGridWeek", admin); // the admin page does not carry the calendar
        Assert.Contains(".fc", css);
        Assert.DoesNotContain("import ", app[..Math.Min(app.Length, 200)]); // one self-contained bundle
    }

    [Fact]
    public async Task Etag_is_stable_and_answers_304_to_if_none_match()
    {
        using var client = server.CreateWebClient();
        using var first = await client.GetAsync("/web/assets/app.css");
        using var second = await client.GetAsync("/web/assets/app.css");
        var etag = first.Headers.ETag!;
        Assert.Equal(etag, second.Headers.ETag);

        foreach (var ifNoneMatch in new[] { etag.Tag, $"\"other\", {etag.Tag}", $"W/{etag.Tag}", "*" })
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, "/web/assets/app.css");
            request.Headers.TryAddWithoutValidation("If-None-Match", ifNoneMatch);
            using var response = await client.SendAsync(request);
            Assert.Equal(HttpStatusCode.NotModified, response.StatusCode);
            Assert.Empty(await response.Content.ReadAsByteArrayAsync());
            Assert.Equal(etag, response.Headers.ETag);
        }

        using var stale = new HttpRequestMessage(HttpMethod.Get, "/web/assets/app.css");
        stale.Headers.IfNoneMatch.Add(new EntityTagHeaderValue("\"not-the-current-one\""));
        using var fresh = await client.SendAsync(stale);
        Assert.Equal(HttpStatusCode.OK, fresh.StatusCode);
        Assert.NotEmpty(await fresh.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task Files_differ_in_etag()
    {
        using var client = server.CreateWebClient();
        var tags = new HashSet<string>();
        foreach (var path in new[] { "/web/assets/app.js", "/web/assets/admin.js", "/web/assets/app.css", "/web/assets/favicon.svg" })
        {
            using var response = await client.GetAsync(path);
            tags.Add(response.Headers.ETag!.Tag);
        }
        Assert.Equal(4, tags.Count);
    }

    [Fact]
    public async Task Head_of_an_asset_has_length_and_etag_without_body()
    {
        using var client = server.CreateWebClient();
        using var get = await client.GetAsync("/web/assets/app.js");
        using var head = await client.SendAsync(new HttpRequestMessage(HttpMethod.Head, "/web/assets/app.js"));

        Assert.Equal(HttpStatusCode.OK, head.StatusCode);
        Assert.Empty(await head.Content.ReadAsByteArrayAsync());
        Assert.Equal(get.Content.Headers.ContentLength, head.Content.Headers.ContentLength);
        Assert.Equal(get.Headers.ETag, head.Headers.ETag);
    }

    [Theory]
    [InlineData("/web/nothing-here")]
    [InlineData("/web/assets/missing.js")]
    [InlineData("/web/assets/")]
    [InlineData("/web/assets/index.html")]
    [InlineData("/web/admin.html")]
    [InlineData("/web/admin/")]
    [InlineData("/web/Index.html")]
    [InlineData("/web/assets/APP.JS")]
    public async Task Anything_else_under_web_is_404(string path)
    {
        using var client = server.CreateWebClient();
        using var response = await client.GetAsync(path);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("text/plain", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("nosniff", Assert.Single(response.Headers.GetValues("X-Content-Type-Options")));
        Assert.True((await response.Content.ReadAsStringAsync()).Length < 100);
    }
}

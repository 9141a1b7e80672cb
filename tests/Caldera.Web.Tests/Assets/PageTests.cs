using System.Net;
using System.Text.RegularExpressions;

namespace Caldera.Web.Tests.Assets;

/// <summary>The two HTML pages over real HTTP: the CSP with a fresh nonce, the security headers, no inline script.</summary>
[Collection(WebServerCollection.Name)]
public sealed partial class PageTests(WebServerFixture server)
{
    [GeneratedRegex("""<meta name="csp-nonce" content="([^"]*)">""")]
    private static partial Regex NonceMeta();

    [GeneratedRegex("""'nonce-([^']+)'""")]
    private static partial Regex CspNonce();

    [GeneratedRegex("""<script\b([^>]*)>(.*?)</script>""", RegexOptions.Singleline | RegexOptions.IgnoreCase)]
    private static partial Regex ScriptElement();

    public static TheoryData<string> Pages => new() { "/web/", "/web/index.html", "/web/admin" };

    [Theory]
    [MemberData(nameof(Pages))]
    public async Task Page_carries_the_strict_csp_with_the_nonce_of_its_meta_tag(string path)
    {
        using var client = server.CreateWebClient();
        using var response = await client.GetAsync(path);
        var html = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("utf-8", response.Content.Headers.ContentType?.CharSet);
        var csp = Assert.Single(response.Headers.GetValues("Content-Security-Policy"));
        var nonce = CspNonce().Match(csp).Groups[1].Value;
        Assert.True(nonce.Length >= 22, csp); // 128 bits in base64
        Assert.Equal(
            "default-src 'none'; script-src 'self'; " +
            $"style-src 'self' 'nonce-{nonce}'; " +
            "img-src 'self' data:; font-src 'self' data:; connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'",
            csp);
        Assert.Equal(nonce, NonceMeta().Match(html).Groups[1].Value);
        Assert.DoesNotContain("{{", html);
    }

    [Fact]
    public async Task Every_answer_has_a_new_nonce()
    {
        using var client = server.CreateWebClient();
        var nonces = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            using var response = await client.GetAsync("/web/");
            var html = await response.Content.ReadAsStringAsync();
            var nonce = NonceMeta().Match(html).Groups[1].Value;
            Assert.Contains($"'nonce-{nonce}'", Assert.Single(response.Headers.GetValues("Content-Security-Policy")));
            nonces.Add(nonce);
        }
        Assert.Equal(3, nonces.Distinct().Count());
    }

    [Theory]
    [MemberData(nameof(Pages))]
    public async Task Page_is_not_cached_framed_sniffed_or_referred(string path)
    {
        using var client = server.CreateWebClient();
        using var response = await client.GetAsync(path);

        Assert.Equal("no-store", response.Headers.CacheControl?.ToString());
        Assert.Equal("nosniff", Single(response, "X-Content-Type-Options"));
        Assert.Equal("no-referrer", Single(response, "Referrer-Policy"));
        Assert.Equal("DENY", Single(response, "X-Frame-Options"));
        var permissions = Single(response, "Permissions-Policy");
        Assert.Contains("camera=()", permissions);
        Assert.Contains("geolocation=()", permissions);
    }

    [Theory]
    [InlineData("/web/", "/web/assets/app.js")]
    [InlineData("/web/admin", "/web/assets/admin.js")]
    public async Task Page_loads_scripts_only_from_the_bundle(string path, string script)
    {
        using var client = server.CreateWebClient();
        var html = await client.GetStringAsync(path);

        var scripts = ScriptElement().Matches(html);
        var only = Assert.Single(scripts);
        Assert.Matches($"""\bsrc="{Regex.Escape(script)}"(\s|$)""", only.Groups[1].Value);
        Assert.Equal("", only.Groups[2].Value.Trim()); // no inline code beside the src
        Assert.Single(Regex.Matches(html, "<script", RegexOptions.IgnoreCase));
        Assert.DoesNotMatch(@"\son[a-z]+\s*=", html); // no inline event handlers
        Assert.DoesNotMatch(@"\sstyle\s*=", html); // no inline styles (the CSP would refuse them)
        Assert.DoesNotContain("javascript:", html, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("""<link rel="stylesheet" href="/web/assets/app.css">""", html);
        Assert.Contains("""<link rel="icon" href="/web/assets/favicon.svg" type="image/svg+xml">""", html);
    }

    [Fact]
    public async Task Head_answers_the_headers_of_get_without_a_body()
    {
        using var client = server.CreateWebClient();
        using var get = await client.GetAsync("/web/");
        var length = (await get.Content.ReadAsByteArrayAsync()).Length;
        using var head = await client.SendAsync(new HttpRequestMessage(HttpMethod.Head, "/web/"));

        Assert.Equal(HttpStatusCode.OK, head.StatusCode);
        Assert.Empty(await head.Content.ReadAsByteArrayAsync());
        Assert.Equal(length, head.Content.Headers.ContentLength);
        Assert.Equal("text/html", head.Content.Headers.ContentType?.MediaType);
        Assert.StartsWith("default-src 'none'", Single(head, "Content-Security-Policy"));
        Assert.Equal("no-store", head.Headers.CacheControl?.ToString());
    }

    [Theory]
    [InlineData("/web", "/web/")]
    [InlineData("/web?x=1", "/web/?x=1")]
    public async Task Web_without_a_slash_is_moved_to_web_slash(string path, string location)
    {
        using var client = server.CreateWebClient(); // follows no redirects
        using var response = await client.GetAsync(path);

        Assert.Equal(HttpStatusCode.MovedPermanently, response.StatusCode);
        Assert.Equal(location, response.Headers.Location?.OriginalString);
    }

    static string Single(HttpResponseMessage response, string header) =>
        Assert.Single(response.Headers.TryGetValues(header, out var values) ? values : response.Content.Headers.GetValues(header));
}

using System.Net;
using static Caldera.Functions.Tests.Dav.DavHelpers;

namespace Caldera.Functions.Tests.Dav;

/// <summary>
/// Headers we write from what a client sent: the well-known redirect never goes anywhere but this server's root,
/// whatever the query, Host header or trailing slash, and a Location for a new calendar is plain percent-encoded
/// ASCII (no raw text from the request, so no header splitting).
/// </summary>
[Collection(CalderaServerCollection.Name)]
public sealed class RedirectAndLocationTests(CalderaServerFixture server)
{
    [Theory]
    [InlineData("/.well-known/caldav?next=http://evil.example/")]
    [InlineData("/.well-known/caldav/?redirect=%2F%2Fevil.example")]
    [InlineData("/.well-known/CALDAV")]
    public async Task The_well_known_redirect_only_ever_points_at_the_root(string target)
    {
        using var handler = new HttpClientHandler { AllowAutoRedirect = false };
        using var client = new HttpClient(handler) { BaseAddress = server.BaseUri };
        using var request = new HttpRequestMessage(HttpMethod.Get, target);
        request.Headers.Host = "evil.example";
        request.Headers.TryAddWithoutValidation("X-Forwarded-Host", "evil.example");
        using var response = await client.SendAsync(request);
        Assert.Equal(HttpStatusCode.MovedPermanently, response.StatusCode);
        Assert.Equal("/", response.Headers.Location?.OriginalString);
    }

    [Fact]
    public async Task A_new_calendars_location_is_percent_encoded_ascii()
    {
        using var alice = server.CreateClient(CalderaServerFixture.Alice);
        var name = Unique("café plan");
        var encoded = Uri.EscapeDataString(name);
        using var response = await alice.SendAsync(new HttpRequestMessage(Mkcalendar, $"/calendars/alice/{encoded}/"));
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var location = response.Headers.Location?.OriginalString;
        Assert.NotNull(location);
        Assert.All(location!, c => Assert.InRange(c, '!', '~')); // printable ASCII only: no space, CR, LF or raw UTF-8
        Assert.Equal(name, Uri.UnescapeDataString(location!.TrimEnd('/').Split('/')[^1]));
    }

    [Fact]
    public async Task A_browser_opening_the_root_is_sent_to_the_web_page()
    {
        using var handler = new HttpClientHandler { AllowAutoRedirect = false };
        using var client = new HttpClient(handler) { BaseAddress = server.BaseUri };
        using var request = new HttpRequestMessage(HttpMethod.Get, "/");
        request.Headers.TryAddWithoutValidation("Accept", "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8");
        using var response = await client.SendAsync(request);
        Assert.Equal(HttpStatusCode.Found, response.StatusCode);
        Assert.Equal("/web/", response.Headers.Location?.OriginalString);
    }

    [Theory]
    [InlineData("/", null, true)]                    // a CalDAV client's GET: no HTML asked for
    [InlineData("/", "text/html", false)]            // with credentials: a client that knows what it wants
    [InlineData("/calendars/alice/", "text/html", true)] // only the root redirects
    public async Task Only_an_anonymous_browser_GET_of_the_root_is_redirected(string path, string? accept, bool anonymous)
    {
        using var client = anonymous ? new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = server.BaseUri }
            : server.CreateClient(CalderaServerFixture.Alice);
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        if (accept is not null)
            request.Headers.TryAddWithoutValidation("Accept", accept);
        using var response = await client.SendAsync(request);
        Assert.NotEqual(HttpStatusCode.Found, response.StatusCode);
        Assert.Equal(anonymous ? HttpStatusCode.Unauthorized : HttpStatusCode.OK, response.StatusCode);
    }
}

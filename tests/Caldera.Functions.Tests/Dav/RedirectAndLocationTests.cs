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
}

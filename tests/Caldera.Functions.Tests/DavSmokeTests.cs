using System.Net;
using System.Text;

namespace Caldera.Functions.Tests;

/// <summary>
/// The DAV functions reach the engine through the local host: a few protocol basics (the thorough end-to-end DAV
/// tests live beside these and use the same fixture).
/// </summary>
[Collection(CalderaServerCollection.Name)]
public sealed class DavSmokeTests(CalderaServerFixture server)
{
    static HttpRequestMessage Propfind(string path, string depth)
    {
        var request = new HttpRequestMessage(new HttpMethod("PROPFIND"), path)
        {
            Content = new StringContent("""
                <?xml version="1.0" encoding="utf-8"?>
                <d:propfind xmlns:d="DAV:"><d:prop><d:current-user-principal/></d:prop></d:propfind>
                """, Encoding.UTF8, "application/xml"),
        };
        request.Headers.Add("Depth", depth);
        return request;
    }

    [Fact]
    public async Task Propfind_without_credentials_is_401_with_a_basic_challenge()
    {
        using var client = server.CreateAnonymousClient();
        using var response = await client.SendAsync(Propfind("/", "0"));
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Contains(response.Headers.WwwAuthenticate, h => h.Scheme.Equals("Basic", StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public async Task Propfind_root_answers_the_current_user_principal()
    {
        using var client = server.CreateClient(CalderaServerFixture.Alice);
        using var response = await client.SendAsync(Propfind("/", "0"));
        Assert.Equal((HttpStatusCode)207, response.StatusCode);
        var body = await response.Content.ReadAsStringAsync();
        Assert.Contains("/principals/alice/", body);
    }

    [Fact]
    public async Task Options_advertises_calendar_access()
    {
        using var client = server.CreateClient(CalderaServerFixture.Bob);
        using var response = await client.SendAsync(new HttpRequestMessage(HttpMethod.Options, "/calendars/bob/"));
        Assert.True(response.IsSuccessStatusCode, $"OPTIONS gave {(int)response.StatusCode}");
        Assert.True(response.Headers.TryGetValues("DAV", out var dav));
        Assert.Contains("calendar-access", string.Join(",", dav));
    }

    [Fact]
    public async Task Well_known_caldav_redirects_to_the_root()
    {
        using var handler = new HttpClientHandler { AllowAutoRedirect = false };
        using var client = new HttpClient(handler) { BaseAddress = server.BaseUri };
        using var response = await client.GetAsync("/.well-known/caldav");
        Assert.Equal(HttpStatusCode.MovedPermanently, response.StatusCode);
        Assert.Equal("/", response.Headers.Location?.IsAbsoluteUri == true ? response.Headers.Location.AbsolutePath : response.Headers.Location?.OriginalString);
    }

    [Fact]
    public async Task Bob_cannot_read_alices_calendar_home()
    {
        using var client = server.CreateClient(CalderaServerFixture.Bob);
        using var response = await client.SendAsync(Propfind("/calendars/alice/", "1"));
        Assert.True(response.StatusCode is HttpStatusCode.Forbidden or HttpStatusCode.NotFound, $"got {(int)response.StatusCode}");
    }
}

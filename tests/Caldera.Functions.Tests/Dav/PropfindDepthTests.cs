using System.Net;
using static Caldera.Functions.Tests.Dav.DavHelpers;

namespace Caldera.Functions.Tests.Dav;

/// <summary>
/// RFC 4918 §9.1: a PROPFIND without a Depth header means Depth infinity, which this server refuses with
/// 403 DAV:propfind-finite-depth, as it does an explicit "Depth: infinity".
/// </summary>
[Collection(CalderaServerCollection.Name)]
public sealed class PropfindDepthTests(CalderaServerFixture server)
{
    const string Alice = CalderaServerFixture.Alice;

    [Theory]
    [InlineData("/calendars/alice/", null)]
    [InlineData("/calendars/alice/default/", null)]
    [InlineData("/calendars/alice/default/", "infinity")]
    public async Task Propfind_without_depth_is_refused_like_depth_infinity(string path, string? depth)
    {
        using var client = server.CreateClient(Alice);
        foreach (var body in new[] { PropfindBody(D + "displayname"), null })
        {
            var response = await SendAsync(client, Xml(Propfind, path, body, depth));
            Assert.True(response.Status == HttpStatusCode.Forbidden, $"Depth {depth ?? "(none)"}, body {body is not null}: {response}");
            Assert.Contains(D + "propfind-finite-depth", response.ErrorConditions());
        }
    }

    [Theory]
    [InlineData("0")]
    [InlineData("1")]
    public async Task Propfind_with_a_finite_depth_is_207(string depth)
    {
        using var client = server.CreateClient(Alice);
        var response = await PropfindAsync(client, "/calendars/alice/", depth, D + "displayname");
        Assert.Equal(HttpStatusCode.MultiStatus, response.Status);
    }
}

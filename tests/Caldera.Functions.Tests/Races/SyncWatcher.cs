using System.Net;
using System.Xml.Linq;
using Caldera.Functions.Tests.Dav;
using static Caldera.Functions.Tests.Dav.DavHelpers;

namespace Caldera.Functions.Tests.Races;

/// <summary>
/// A sync client (RFC 6578) that follows its tokens while writers run: it keeps the members and ETags it was told of,
/// checks that no delta names a member twice and that tokens never go back, and remembers every ETag it was shown.
/// </summary>
internal sealed class SyncWatcher(RaceClient client, string path)
{
    public Dictionary<string, string> Members { get; } = new(StringComparer.Ordinal);
    public List<(string Href, string ETag)> Seen { get; } = [];
    public string Token { get; private set; } = "";
    public int Deltas { get; private set; }

    /// <summary>The revision a token names (its last segment); tokens of one calendar incarnation only grow.</summary>
    public static long RevisionOf(string token) => long.Parse(token[(token.LastIndexOf(':') + 1)..], System.Globalization.CultureInfo.InvariantCulture);

    public async Task SyncAsync()
    {
        var body = $"<D:sync-collection xmlns:D=\"DAV:\"><D:sync-token>{Token}</D:sync-token><D:sync-level>1</D:sync-level>" +
                   "<D:prop><D:getetag/></D:prop></D:sync-collection>";
        var response = await client.SendAsync(() => Xml(Report, path, body, "1"));
        Assert.True(response.Status == HttpStatusCode.MultiStatus, $"sync-collection: {response}");
        var root = response.Xml.Root!;
        var hrefs = new HashSet<string>(StringComparer.Ordinal);
        foreach (var r in root.Elements(D + "response"))
        {
            var href = r.Element(D + "href")!.Value;
            Assert.True(hrefs.Add(href), $"one delta names {href} twice: {response.Text}");
            if (r.ResponseStatus() == 404)
                Members.Remove(href);
            else
            {
                var etag = r.Prop(D + "getetag").Value;
                Members[href] = etag;
                Seen.Add((href, etag));
            }
        }
        var token = root.Element(D + "sync-token")!.Value;
        if (Token.Length > 0)
            Assert.True(RevisionOf(token) >= RevisionOf(Token), $"the sync token went back from {Token} to {token}");
        Token = token;
        Deltas++;
    }
}

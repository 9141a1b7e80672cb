using System.Net;
using System.Xml.Linq;
using Azure.Storage.Blobs;
using Caldera.Functions.Tests.Dav;
using Caldera.Storage;
using Microsoft.Extensions.DependencyInjection;
using static Caldera.Functions.Tests.Dav.DavHelpers;

namespace Caldera.Functions.Tests.Faults;

/// <summary>What one href answers with faults off: GET's status, body and ETag, checked against HEAD and PROPFIND.</summary>
internal sealed record ObjectState(bool Exists, string? Body, string? ETag)
{
    public static readonly ObjectState Absent = new(false, null, null);
}

/// <summary>Reads the state a client sees, and what storage holds under it, with no fault armed.</summary>
internal sealed class FaultProbe(FaultServerFixture server, HttpClient client, string user = FaultServerFixture.User)
{
    public const string User = FaultServerFixture.User;

    public HttpClient Client => client;

    /// <summary>
    /// GET, then HEAD and PROPFIND getetag, which must agree with it (an index row and its blob out of step show here).
    /// </summary>
    public async Task<ObjectState> ReadAsync(string href)
    {
        var get = await GetAsync(client, href);
        if (get.Status == HttpStatusCode.NotFound)
        {
            var propfind = await PropfindAsync(client, href, "0", D + "getetag");
            Assert.True(propfind.Status == HttpStatusCode.NotFound, $"GET {href} is 404 but PROPFIND says {propfind}");
            return ObjectState.Absent;
        }
        Assert.True(get.Status == HttpStatusCode.OK, $"GET {href}: {get}");
        Assert.NotNull(get.ETag);
        var head = await SendAsync(client, new HttpRequestMessage(HttpMethod.Head, href));
        Assert.True(head.Status == HttpStatusCode.OK && head.ETag == get.ETag, $"HEAD {href}: {(int)head.Status} {head.ETag} vs GET {get.ETag}");
        var props = await PropfindAsync(client, href, "0", D + "getetag");
        Assert.True(props.Status == HttpStatusCode.MultiStatus, $"PROPFIND {href}: {props}");
        var etag = props.Responses().Values.Single().Prop(D + "getetag").Value;
        Assert.True(etag == get.ETag, $"PROPFIND getetag {etag} vs GET {get.ETag} for {href}");
        return new ObjectState(true, get.Text, get.ETag);
    }

    public async Task<string> SyncTokenAsync(string calendarPath)
    {
        var response = await PropfindAsync(client, calendarPath, "0", D + "sync-token");
        Assert.True(response.Status == HttpStatusCode.MultiStatus, $"PROPFIND sync-token {calendarPath}: {response}");
        return response.Responses().Values.Single().Prop(D + "sync-token").Value;
    }

    /// <summary>The hrefs a sync-collection from <paramref name="token"/> reports, with whether each is gone (404).</summary>
    public async Task<Dictionary<string, bool>> ChangesSinceAsync(string calendarPath, string token)
    {
        var response = await SendAsync(client, Xml(Report, calendarPath,
            $"""<D:sync-collection xmlns:D="DAV:"><D:sync-token>{token}</D:sync-token><D:sync-level>1</D:sync-level><D:prop><D:getetag/></D:prop></D:sync-collection>""",
            "1"));
        Assert.True(response.Status == HttpStatusCode.MultiStatus, $"sync-collection {calendarPath}: {response}");
        return response.Responses().ToDictionary(r => Uri.UnescapeDataString(r.Key), r => r.Value.ResponseStatus() == 404);
    }

    /// <summary>The object hrefs a Depth 1 PROPFIND lists, with their getetag.</summary>
    public async Task<Dictionary<string, string>> ListAsync(string calendarPath)
    {
        var response = await PropfindAsync(client, calendarPath, "1", D + "getetag");
        Assert.True(response.Status == HttpStatusCode.MultiStatus, $"PROPFIND Depth 1 {calendarPath}: {response}");
        return response.Responses()
            .Where(r => Uri.UnescapeDataString(r.Key) != calendarPath)
            .ToDictionary(r => Uri.UnescapeDataString(r.Key), r => r.Value.Prop(D + "getetag").Value);
    }

    /// <summary>
    /// Blobs under the calendar's incarnation that no index row names (orphans, counted), after checking that every
    /// index row's blob exists (a row pointing at a missing blob fails).
    /// </summary>
    public async Task<int> OrphansAsync(string calendar)
    {
        var store = server.Services.GetRequiredService<ICalendarStore>();
        var record = await store.GetCalendarAsync(user, calendar, CancellationToken.None);
        if (record is null)
            return 0;
        return await OrphansAsync(record.Id, await store.ListObjectsAsync(record, CancellationToken.None));
    }

    public async Task<int> OrphansAsync(string calendarId, IReadOnlyList<ObjectRecord> index)
    {
        var blobs = await BlobNamesAsync(calendarId);
        var missing = index.Where(o => !blobs.Contains(o.BlobName)).Select(o => o.Name).ToList();
        Assert.True(missing.Count == 0, $"index rows pointing at missing blobs: {string.Join(", ", missing)}");
        return blobs.Except(index.Select(o => o.BlobName)).Count();
    }

    public async Task<HashSet<string>> BlobNamesAsync(string calendarId)
    {
        var container = server.Services.GetRequiredService<BlobServiceClient>()
            .GetBlobContainerClient(server.Services.GetRequiredService<StorageLayout>().ObjectsContainer);
        var names = new HashSet<string>(StringComparer.Ordinal);
        await foreach (var blob in container.GetBlobsAsync(Azure.Storage.Blobs.Models.BlobTraits.None, Azure.Storage.Blobs.Models.BlobStates.None, $"{user}/{calendarId}/", CancellationToken.None))
            names.Add(blob.Name);
        return names;
    }

    /// <summary>A PUT of a new body to <paramref name="href"/> (no conditions); its status.</summary>
    public async Task<DavResponse> PutAsync(string href, string body) => await SendAsync(client, Put(href, body));

    public static XElement? UidConflict(DavResponse response) =>
        response.Status == HttpStatusCode.Forbidden ? response.Xml.Root?.Element(C + "no-uid-conflict") : null;
}

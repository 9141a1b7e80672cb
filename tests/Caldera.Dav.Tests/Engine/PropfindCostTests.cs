using System.Xml.Linq;
using static Caldera.Dav.Xml.DavNames;

namespace Caldera.Dav.Tests.Engine;

/// <summary>
/// What PROPFIND Depth 1 over a large calendar costs the engine, in bytes allocated per member (not in time: the
/// count is the same on a busy machine). The request runs synchronously here, so the current thread's count is
/// all of it and other tests running meanwhile do not disturb it.
/// </summary>
public class PropfindCostTests
{
    const int Objects = 2000;
    static readonly InMemoryEngine Engine = new(Objects);

    /// <summary>
    /// A member costs its node and href (the listing) and a few bytes of answer; per-property elements, per-node
    /// lists and an XML tree of the whole answer are gone (about 220-300 bytes per member with them gone, 2-3.3 KB before).
    /// </summary>
    const long MaxBytesPerMember = 512;

    [Theory]
    [InlineData("<D:getetag/>")]
    [InlineData("<D:getetag/><D:getcontenttype/><D:resourcetype/><D:displayname/><D:getlastmodified/><CS:getctag/>")]
    public async Task Depth_1_allocates_a_few_hundred_bytes_per_member(string props)
    {
        var body = $"<D:propfind xmlns:D=\"DAV:\" xmlns:CS=\"http://calendarserver.org/ns/\"><D:prop>{props}</D:prop></D:propfind>";
        await Engine.SendAsync(InMemoryEngine.Request("PROPFIND", InMemoryEngine.CalendarPath, "1", body, new MemoryStream())); // JIT and caches

        var answer = new MemoryStream(4 * 1024 * 1024); // allocated before counting: the answer's own bytes are not the engine's
        var context = InMemoryEngine.Request("PROPFIND", InMemoryEngine.CalendarPath, "1", body, answer);
        var before = GC.GetAllocatedBytesForCurrentThread();
        var request = Engine.SendAsync(context);
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.True(request.IsCompletedSuccessfully, "the request did not run synchronously, so this thread's count is not all of it");

        Assert.Equal(207, context.Response.StatusCode);
        answer.Position = 0;
        var responses = XDocument.Load(answer).Root!.Elements(D + "response").ToList();
        Assert.Equal(Objects + 1, responses.Count);
        Assert.Equal(InMemoryEngine.CalendarPath + InMemoryEngine.ObjectName(Objects - 1), responses[^1].Element(D + "href")!.Value);
        Assert.True(allocated / Objects <= MaxBytesPerMember, $"{allocated / Objects} bytes per member ({allocated / 1024} KB for {Objects})");
    }
}

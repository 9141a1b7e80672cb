using System.Text;
using System.Xml.Linq;
using Caldera.Dav.Properties;
using Caldera.Dav.Xml;
using Microsoft.AspNetCore.Http;
using static Caldera.Dav.Xml.DavNames;

namespace Caldera.Dav.Tests;

public class MultistatusWriterTests
{
    /// <summary>Keeps each write to the response body apart, to see when and in how many pieces the answer left.</summary>
    sealed class RecordingStream : MemoryStream
    {
        public List<int> Writes { get; } = [];

        public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken ct = default)
        {
            Writes.Add(buffer.Length);
            return base.WriteAsync(buffer, ct);
        }

        public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken ct)
        {
            Writes.Add(count);
            return base.WriteAsync(buffer, offset, count, ct);
        }

        public string Text => Encoding.UTF8.GetString(ToArray());
    }

    static (HttpResponse Response, RecordingStream Body) Response(string method = "PROPFIND", string? prefer = null)
    {
        var context = new DefaultHttpContext();
        context.Request.Method = method;
        if (prefer is not null)
            context.Request.Headers["Prefer"] = prefer;
        var body = new RecordingStream();
        context.Response.Body = body;
        return (context.Response, body);
    }

    static PropertyValues Values(IEnumerable<(XName, object?)> found, params XName[] missing)
    {
        var values = new PropertyValues();
        values.Found.AddRange(found);
        values.Missing.AddRange(missing);
        return values;
    }

    [Fact]
    public async Task A_small_answer_is_sent_whole_with_its_length_and_the_usual_prefixes()
    {
        var (response, body) = Response();
        using (var writer = new MultistatusWriter(response, CancellationToken.None))
        {
            await writer.WriteResponseAsync("/calendars/a/c/x.ics", Values(
                [(D + "getetag", "\"e1\""), (D + "resourcetype", Array.Empty<XElement>()), (C + "supported-calendar-data", new XElement(C + "calendar-data"))],
                CS + "getctag", XName.Get("thing", "urn:foo")));
            await writer.WriteStatusAsync("/calendars/a/c/gone.ics", 404);
            await writer.WriteAsync(new XElement(D + "sync-token", "t1"));
            Assert.Empty(body.Writes); // nothing before the end: the whole answer fits in one chunk
            await writer.CompleteAsync();
        }

        Assert.Single(body.Writes);
        Assert.Equal(207, response.StatusCode);
        Assert.Equal("application/xml; charset=utf-8", response.ContentType);
        Assert.Equal(body.Length, response.ContentLength);
        Assert.Equal(
            "<?xml version=\"1.0\" encoding=\"utf-8\"?><D:multistatus xmlns:D=\"DAV:\" xmlns:C=\"urn:ietf:params:xml:ns:caldav\" " +
            "xmlns:CS=\"http://calendarserver.org/ns/\" xmlns:ICAL=\"http://apple.com/ns/ical/\">" +
            "<D:response><D:href>/calendars/a/c/x.ics</D:href><D:propstat><D:prop><D:getetag>\"e1\"</D:getetag><D:resourcetype />" +
            "<C:supported-calendar-data><C:calendar-data /></C:supported-calendar-data></D:prop><D:status>HTTP/1.1 200 OK</D:status></D:propstat>" +
            "<D:propstat><D:prop><CS:getctag /><thing xmlns=\"urn:foo\" /></D:prop><D:status>HTTP/1.1 404 Not Found</D:status></D:propstat></D:response>" +
            "<D:response><D:href>/calendars/a/c/gone.ics</D:href><D:status>HTTP/1.1 404 Not Found</D:status></D:response>" +
            "<D:sync-token>t1</D:sync-token></D:multistatus>",
            body.Text);
    }

    [Fact]
    public async Task A_large_answer_leaves_in_chunks_as_it_is_written_and_is_complete()
    {
        var (response, body) = Response();
        const int count = 3000;
        int? firstChunkAfter = null;
        using (var writer = new MultistatusWriter(response, CancellationToken.None))
        {
            for (int i = 0; i < count; i++)
            {
                await writer.WriteResponseAsync($"/calendars/a/c/{i}.ics", Values([(D + "getetag", $"\"etag-{i}\""), (D + "getcontenttype", "text/calendar; charset=utf-8")]));
                firstChunkAfter ??= body.Writes.Count > 0 ? i + 1 : null;
            }
            await writer.CompleteAsync();
        }

        // The first chunk left long before the end, and no write was much bigger than a chunk.
        Assert.NotNull(firstChunkAfter);
        Assert.True(firstChunkAfter < count / 10, $"first chunk after {firstChunkAfter} responses");
        Assert.True(body.Writes.Count > 10, $"{body.Writes.Count} writes");
        Assert.All(body.Writes, w => Assert.InRange(w, 1, MultistatusWriter.ChunkSize + 8 * 1024));
        Assert.Null(response.ContentLength); // sent chunked: the length was not known when it started
        Assert.Equal(207, response.StatusCode);

        var responses = XDocument.Parse(body.Text).Root!.Elements(D + "response").ToList();
        Assert.Equal(count, responses.Count);
        for (int i = 0; i < count; i++)
        {
            Assert.Equal($"/calendars/a/c/{i}.ics", responses[i].Element(D + "href")!.Value);
            Assert.Equal($"\"etag-{i}\"", responses[i].Descendants(D + "getetag").Single().Value);
        }
    }

    [Fact]
    public async Task A_writer_given_up_before_its_first_chunk_sends_nothing()
    {
        var (response, body) = Response();
        using (var writer = new MultistatusWriter(response, CancellationToken.None))
        {
            for (int i = 0; i < 20; i++)
                await writer.WriteStatusAsync($"/x/{i}", 404);
            // a handler failing here: the writer is disposed without CompleteAsync
        }
        Assert.Empty(body.Writes);
        Assert.Equal(200, response.StatusCode); // untouched, so the engine can still answer with the error's status
        Assert.Null(response.ContentType);
    }

    [Fact]
    public async Task Minimal_leaves_out_404s_and_responses_with_nothing_else_and_says_so()
    {
        var (response, body) = Response(prefer: "return=minimal");
        using (var writer = new MultistatusWriter(response, CancellationToken.None))
        {
            await writer.WriteResponseAsync("/a", Values([(D + "getetag", "\"1\"")], D + "displayname"));
            await writer.WriteResponseAsync("/only-missing", Values([], D + "getetag"));
            await writer.WriteResponseAsync("/nothing-asked", Values([]));
            await writer.WriteResponseAsync("/b", [new Propstat(404, [new XElement(D + "displayname")])]);
            await writer.WriteStatusAsync("/gone", 404);
            await writer.WriteAsync(new XElement(D + "response", new XElement(D + "href", "/c"),
                new XElement(D + "propstat", new XElement(D + "prop", new XElement(D + "owner")), new XElement(D + "status", "HTTP/1.1 404 Not Found"))));
            await writer.CompleteAsync();
        }

        var root = XDocument.Parse(body.Text).Root!;
        Assert.Equal(["/a", "/nothing-asked", "/gone"], root.Elements(D + "response").Select(r => r.Element(D + "href")!.Value));
        Assert.Empty(root.Descendants(D + "displayname"));
        Assert.Equal("return=minimal", response.Headers["Preference-Applied"]);
        Assert.Contains("Prefer", response.Headers.Vary.ToString());
    }

    [Fact]
    public async Task Minimal_is_not_applied_to_other_methods()
    {
        var (response, body) = Response(method: "PROPPATCH", prefer: "return=minimal");
        using (var writer = new MultistatusWriter(response, CancellationToken.None))
        {
            await writer.WriteResponseAsync("/a", Values([], D + "displayname"));
            await writer.CompleteAsync();
        }
        Assert.Single(XDocument.Parse(body.Text).Root!.Elements(D + "response"));
        Assert.False(response.Headers.ContainsKey("Preference-Applied"));
    }
}

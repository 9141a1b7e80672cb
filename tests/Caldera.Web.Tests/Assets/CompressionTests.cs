using System.IO.Compression;
using System.Net;

namespace Caldera.Web.Tests.Assets;

/// <summary>The bundle's compressed copies over real HTTP: chosen by Accept-Encoding, same bytes once decoded, own ETags.</summary>
[Collection(WebServerCollection.Name)]
public sealed class CompressionTests(WebServerFixture server)
{
    [Theory]
    [InlineData("br", "br")]
    [InlineData("gzip, deflate, br, zstd", "br")]
    [InlineData("gzip", "gzip")]
    [InlineData("br;q=0, gzip", "gzip")]
    [InlineData("*", "br")]
    [InlineData("identity", null)]
    [InlineData("br;q=0, gzip;q=0", null)]
    public async Task Accept_encoding_picks_the_copy_and_it_decodes_to_the_file(string acceptEncoding, string? coding)
    {
        using var client = server.CreateWebClient(); // no automatic decompression: the raw bytes are seen
        var plain = await client.GetByteArrayAsync("/web/assets/app.js");

        using var request = new HttpRequestMessage(HttpMethod.Get, "/web/assets/app.js");
        request.Headers.TryAddWithoutValidation("Accept-Encoding", acceptEncoding);
        using var response = await client.SendAsync(request);
        var body = await response.Content.ReadAsByteArrayAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("Accept-Encoding", response.Headers.Vary);
        Assert.Equal("text/javascript", response.Content.Headers.ContentType?.MediaType);
        if (coding is null)
        {
            Assert.Empty(response.Content.Headers.ContentEncoding);
            Assert.Equal(plain, body);
            return;
        }
        Assert.Equal(coding, Assert.Single(response.Content.Headers.ContentEncoding));
        Assert.True(body.Length < plain.Length / 2, $"{coding}: {body.Length} of {plain.Length} bytes");
        Assert.Equal(plain, Decode(coding, body));
    }

    [Fact]
    public async Task Each_coding_has_its_own_etag_and_revalidates_with_it()
    {
        using var client = server.CreateWebClient();
        var tags = new Dictionary<string, string>();
        foreach (var coding in new[] { "identity", "br", "gzip" })
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, "/web/assets/app.css");
            request.Headers.TryAddWithoutValidation("Accept-Encoding", coding);
            using var response = await client.SendAsync(request);
            Assert.False(response.Headers.ETag!.IsWeak);
            tags[coding] = response.Headers.ETag.Tag;

            using var again = new HttpRequestMessage(HttpMethod.Get, "/web/assets/app.css");
            again.Headers.TryAddWithoutValidation("Accept-Encoding", coding);
            again.Headers.TryAddWithoutValidation("If-None-Match", tags[coding]);
            using var notModified = await client.SendAsync(again);
            Assert.Equal(HttpStatusCode.NotModified, notModified.StatusCode);
        }
        Assert.Equal(3, tags.Values.Distinct().Count());
    }

    [Theory]
    [InlineData("/web/assets/app.js.br")]
    [InlineData("/web/assets/app.js.gz")]
    [InlineData("/web/assets/app.css.br")]
    public async Task Compressed_copies_are_not_files_of_their_own(string path)
    {
        using var client = server.CreateWebClient();
        using var response = await client.GetAsync(path);
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    static byte[] Decode(string coding, byte[] body)
    {
        using var input = new MemoryStream(body);
        using Stream decoder = coding == "br"
            ? new BrotliStream(input, CompressionMode.Decompress)
            : new GZipStream(input, CompressionMode.Decompress);
        using var output = new MemoryStream();
        decoder.CopyTo(output);
        return output.ToArray();
    }
}

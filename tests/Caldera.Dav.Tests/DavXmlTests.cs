using System.Text;
using Caldera.Dav.Xml;
using Microsoft.AspNetCore.Http;

namespace Caldera.Dav.Tests;

public class DavXmlTests
{
    static HttpRequest Request(string body, bool declareLength = true)
    {
        var bytes = Encoding.UTF8.GetBytes(body);
        var context = new DefaultHttpContext();
        context.Request.Body = new MemoryStream(bytes);
        if (declareLength)
            context.Request.ContentLength = bytes.Length;
        return context.Request;
    }

    static async Task<int> Status(string body, long max = 1024, bool declareLength = true) =>
        (await Assert.ThrowsAsync<DavException>(() => DavXml.ReadAsync(Request(body, declareLength), max, CancellationToken.None))).Status;

    [Fact]
    public async Task ReadsAPropfind()
    {
        var doc = await DavXml.ReadAsync(Request("<?xml version=\"1.0\"?><D:propfind xmlns:D=\"DAV:\"><D:allprop/></D:propfind>"), 1024, CancellationToken.None);
        Assert.NotNull(doc);
        Assert.Equal(DavNames.D + "propfind", doc.Root!.Name);
        Assert.Equal(DavNames.D + "allprop", doc.Root.Elements().Single().Name);
    }

    [Theory]
    [InlineData("")]
    [InlineData("  \r\n\t ")]
    public async Task EmptyBodyIsNull(string body)
    {
        Assert.Null(await DavXml.ReadAsync(Request(body), 1024, CancellationToken.None));
        Assert.Null(await DavXml.ReadAsync(Request(body, declareLength: false), 1024, CancellationToken.None));
    }

    [Fact]
    public async Task ExternalEntityIsRefused()
    {
        var xxe = "<?xml version=\"1.0\"?><!DOCTYPE foo [<!ENTITY xxe SYSTEM \"file:///etc/passwd\">]><D:propfind xmlns:D=\"DAV:\"><D:prop>&xxe;</D:prop></D:propfind>";
        Assert.Equal(400, await Status(xxe));
    }

    [Fact]
    public async Task EntityExpansionIsRefused()
    {
        var bomb = "<?xml version=\"1.0\"?><!DOCTYPE lolz [<!ENTITY lol \"lol\"><!ENTITY lol2 \"&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;\">]><a>&lol2;</a>";
        Assert.Equal(400, await Status(bomb));
    }

    [Fact]
    public async Task DoctypeAloneIsRefused()
    {
        Assert.Equal(400, await Status("<!DOCTYPE a><a/>"));
    }

    [Theory]
    [InlineData("<D:propfind xmlns:D=\"DAV:\">")]
    [InlineData("<a></b>")]
    [InlineData("not xml at all")]
    [InlineData("<a/><b/>")]
    [InlineData("<D:propfind/>")]
    public async Task MalformedIs400(string body)
    {
        Assert.Equal(400, await Status(body));
    }

    [Fact]
    public async Task DeclaredLengthOverTheLimitIs413()
    {
        var body = "<a>" + new string('x', 2000) + "</a>";
        Assert.Equal(413, await Status(body, max: 1024));
    }

    [Fact]
    public async Task UndeclaredLengthOverTheLimitIs413()
    {
        var body = "<a>" + new string('x', 40_000) + "</a>";
        Assert.Equal(413, await Status(body, max: 1024, declareLength: false));
    }

    [Fact]
    public async Task BodyExactlyAtTheLimitIsRead()
    {
        var body = "<a>" + new string('x', 1017) + "</a>";
        Assert.Equal(1024, Encoding.UTF8.GetByteCount(body));
        var doc = await DavXml.ReadAsync(Request(body, declareLength: false), 1024, CancellationToken.None);
        Assert.Equal(1017, doc!.Root!.Value.Length);
    }

    [Fact]
    public async Task Utf8BomIsAccepted()
    {
        var bytes = new byte[] { 0xEF, 0xBB, 0xBF }.Concat(Encoding.UTF8.GetBytes("<a>caf\u00e9</a>")).ToArray();
        var context = new DefaultHttpContext();
        context.Request.Body = new MemoryStream(bytes);
        var doc = await DavXml.ReadAsync(context.Request, 1024, CancellationToken.None);
        Assert.Equal("caf\u00e9", doc!.Root!.Value);
    }

    [Fact]
    public async Task An_error_whose_message_quotes_a_control_character_is_still_written()
    {
        var context = new DefaultHttpContext();
        context.Response.Body = new MemoryStream();
        await DavXml.WriteAsync(context.Response, 400, DavXml.Error(null, "bad SUMMARY 'bell\u0007here' \ud83d\ude00 \ud83d"), CancellationToken.None);
        context.Response.Body.Position = 0;
        var message = System.Xml.Linq.XDocument.Load(context.Response.Body).Root!.Elements().Single().Value;
        Assert.Equal("bad SUMMARY 'bell\uFFFDhere' \ud83d\ude00 \uFFFD", message);
        Assert.Equal(400, context.Response.StatusCode);
    }
}

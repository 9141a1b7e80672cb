using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Text;
using System.Xml.Linq;

namespace Caldera.Functions.Tests.Dav;

/// <summary>Namespaces, request builders and multistatus readers shared by the end-to-end DAV tests.</summary>
internal static class DavHelpers
{
    public static readonly XNamespace D = "DAV:";
    public static readonly XNamespace C = "urn:ietf:params:xml:ns:caldav";
    public static readonly XNamespace CS = "http://calendarserver.org/ns/";
    public static readonly XNamespace ICAL = "http://apple.com/ns/ical/";

    public static readonly HttpMethod Propfind = new("PROPFIND");
    public static readonly HttpMethod Proppatch = new("PROPPATCH");
    public static readonly HttpMethod Mkcalendar = new("MKCALENDAR");
    public static readonly HttpMethod Mkcol = new("MKCOL");
    public static readonly HttpMethod Report = new("REPORT");
    public static readonly HttpMethod Copy = new("COPY");
    public static readonly HttpMethod Move = new("MOVE");

    /// <summary>A calendar name no other test uses.</summary>
    public static string Unique(string prefix) => $"{prefix}-{Guid.NewGuid():N}"[..(prefix.Length + 13)];

    public static string CalendarPath(string user, string calendar) => $"/calendars/{user}/{calendar}/";

    public static HttpRequestMessage Xml(HttpMethod method, string path, string? body, string? depth = null)
    {
        var request = new HttpRequestMessage(method, path);
        if (body is not null)
            request.Content = new StringContent(body, Encoding.UTF8, "application/xml");
        if (depth is not null)
            request.Headers.Add("Depth", depth);
        return request;
    }

    public static string PropfindBody(params XName[] props) =>
        new XElement(D + "propfind", new XAttribute(XNamespace.Xmlns + "D", D.NamespaceName),
            new XElement(D + "prop", props.Select(p => new XElement(p)))).ToString();

    public static async Task<DavResponse> SendAsync(HttpClient client, HttpRequestMessage request)
    {
        using (request)
        using (var response = await client.SendAsync(request))
        {
            var bytes = await response.Content.ReadAsByteArrayAsync();
            return new DavResponse(response.StatusCode, response.Headers, response.Content.Headers, bytes);
        }
    }

    public static Task<DavResponse> PropfindAsync(HttpClient client, string path, string depth, params XName[] props) =>
        SendAsync(client, Xml(Propfind, path, PropfindBody(props), depth));

    /// <summary>PROPPATCH that must answer 207; the multistatus response of <paramref name="path"/>.</summary>
    public static async Task<XElement> PatchAsync(HttpClient client, string path, string body)
    {
        var response = await SendAsync(client, Xml(Proppatch, path, body));
        Assert.True((int)response.Status == 207, response.ToString());
        return response.Responses()[path];
    }

    /// <summary>MKCALENDAR with a display name and, if given, the only components the calendar takes.</summary>
    public static async Task<string> MakeCalendarAsync(HttpClient client, string user, string name, params string[] components)
    {
        var set = new XElement(D + "prop", new XElement(D + "displayname", name));
        if (components.Length > 0)
            set.Add(new XElement(C + "supported-calendar-component-set", components.Select(c => new XElement(C + "comp", new XAttribute("name", c)))));
        var body = new XElement(C + "mkcalendar",
            new XAttribute(XNamespace.Xmlns + "D", D.NamespaceName), new XAttribute(XNamespace.Xmlns + "C", C.NamespaceName),
            new XElement(D + "set", set));
        var path = CalendarPath(user, name);
        var response = await SendAsync(client, Xml(Mkcalendar, path, body.ToString()));
        Assert.True(response.Status == HttpStatusCode.Created, $"MKCALENDAR {path}: {response}");
        return path;
    }

    public static string Event(string uid, string summary = "An event", string start = "20240110T100000Z", string end = "20240110T110000Z",
        string extra = "") =>
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Caldera tests//EN\r\n" +
        $"BEGIN:VEVENT\r\nUID:{uid}\r\nDTSTAMP:20240101T000000Z\r\nDTSTART:{start}\r\nDTEND:{end}\r\nSUMMARY:{summary}\r\n{extra}END:VEVENT\r\n" +
        "END:VCALENDAR\r\n";

    public static string Todo(string uid, string summary = "A task") =>
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Caldera tests//EN\r\n" +
        $"BEGIN:VTODO\r\nUID:{uid}\r\nDTSTAMP:20240101T000000Z\r\nSUMMARY:{summary}\r\nEND:VTODO\r\n" +
        "END:VCALENDAR\r\n";

    public static HttpRequestMessage Put(string path, string body, string contentType = "text/calendar; charset=utf-8")
    {
        var request = new HttpRequestMessage(HttpMethod.Put, path) { Content = new ByteArrayContent(Encoding.UTF8.GetBytes(body)) };
        request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        return request;
    }

    public static async Task<string> PutNewAsync(HttpClient client, string path, string body)
    {
        var response = await SendAsync(client, Put(path, body));
        Assert.True(response.Status == HttpStatusCode.Created, $"PUT {path}: {response}");
        return response.ETag ?? throw new Xunit.Sdk.XunitException($"PUT {path} gave no ETag");
    }

    public static async Task<DavResponse> GetAsync(HttpClient client, string path) =>
        await SendAsync(client, new HttpRequestMessage(HttpMethod.Get, path));

    /// <summary>Sends a request line exactly as written (no client-side normalisation) and returns the status code.</summary>
    public static async Task<(int Status, string Text)> RawAsync(Uri baseUri, string method, string target, string user, string password, string? body = null)
    {
        using var tcp = new TcpClient();
        await tcp.ConnectAsync(baseUri.Host, baseUri.Port);
        await using var stream = tcp.GetStream();
        var auth = Convert.ToBase64String(Encoding.UTF8.GetBytes($"{user}:{password}"));
        var payload = body is null ? [] : Encoding.UTF8.GetBytes(body);
        var head = $"{method} {target} HTTP/1.1\r\nHost: {baseUri.Authority}\r\nAuthorization: Basic {auth}\r\nConnection: close\r\n" +
                   (body is null ? "Content-Length: 0\r\n" : $"Content-Type: application/xml\r\nContent-Length: {payload.Length}\r\nDepth: 0\r\n") + "\r\n";
        await stream.WriteAsync(Encoding.ASCII.GetBytes(head));
        await stream.WriteAsync(payload);
        using var reader = new StreamReader(stream, Encoding.UTF8);
        var text = await reader.ReadToEndAsync().WaitAsync(TimeSpan.FromSeconds(30));
        var statusLine = text.Split("\r\n", 2)[0].Split(' ');
        return (int.Parse(statusLine[1], System.Globalization.CultureInfo.InvariantCulture), text);
    }
}

/// <summary>A response read whole, with the multistatus helpers the tests need.</summary>
internal sealed record DavResponse(HttpStatusCode Status, HttpResponseHeaders Headers, HttpContentHeaders ContentHeaders, byte[] Body)
{
    public string Text => Encoding.UTF8.GetString(Body);

    public string? ETag => Headers.ETag?.ToString();

    public XDocument Xml => XDocument.Parse(Text);

    public override string ToString() => $"{(int)Status} {Text}";

    /// <summary>The DAV:response elements of a multistatus, by href.</summary>
    public Dictionary<string, XElement> Responses() =>
        Xml.Root!.Elements(DavHelpers.D + "response").ToDictionary(r => r.Element(DavHelpers.D + "href")!.Value);

    /// <summary>The precondition elements of a DAV:error body (the server's own message element left out).</summary>
    public IReadOnlyList<XName> ErrorConditions()
    {
        var root = Xml.Root!;
        Assert.Equal(DavHelpers.D + "error", root.Name);
        return root.Elements().Where(e => e.Name.NamespaceName != "urn:x-caldera").Select(e => e.Name).ToList();
    }

    public XElement Condition(XName name)
    {
        var root = Xml.Root!;
        Assert.Equal(DavHelpers.D + "error", root.Name);
        return root.Element(name) ?? throw new Xunit.Sdk.XunitException($"no {name} in {Text}");
    }
}

internal static class MultistatusExtensions
{
    /// <summary>The status code a response gives to <paramref name="prop"/> (from its propstat), or null if absent.</summary>
    public static int? StatusOf(this XElement response, XName prop) =>
        response.Elements(DavHelpers.D + "propstat")
            .Where(ps => ps.Element(DavHelpers.D + "prop")?.Element(prop) is not null)
            .Select(ps => (int?)ParseStatus(ps.Element(DavHelpers.D + "status")!.Value))
            .FirstOrDefault();

    /// <summary>The value element of <paramref name="prop"/> in the 200 propstat; fails if it is not there.</summary>
    public static XElement Prop(this XElement response, XName prop)
    {
        foreach (var ps in response.Elements(DavHelpers.D + "propstat"))
            if (ParseStatus(ps.Element(DavHelpers.D + "status")!.Value) == 200 && ps.Element(DavHelpers.D + "prop")?.Element(prop) is { } value)
                return value;
        throw new Xunit.Sdk.XunitException($"{prop} is not a 200 property of {response}");
    }

    /// <summary>The status of a response without propstats (e.g. a 404 in a report).</summary>
    public static int? ResponseStatus(this XElement response) =>
        response.Element(DavHelpers.D + "status") is { } s ? ParseStatus(s.Value) : null;

    public static int ParseStatus(string statusLine) =>
        int.Parse(statusLine.Trim().Split(' ')[1], System.Globalization.CultureInfo.InvariantCulture);
}

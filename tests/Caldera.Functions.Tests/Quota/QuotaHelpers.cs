using System.Globalization;
using System.Net;
using System.Text;
using System.Xml.Linq;
using Caldera.Functions.Tests.Dav;
using static Caldera.Functions.Tests.Dav.DavHelpers;

namespace Caldera.Functions.Tests.Quota;

static class QuotaHelpers
{
    public static readonly XName Used = D + "quota-used-bytes", Available = D + "quota-available-bytes";

    public static string Home(string user) => $"/calendars/{user}/";
    public static string Default(string user) => CalendarPath(user, "default");

    /// <summary>An event whose body is exactly <paramref name="bytes"/> bytes of UTF-8 (padded in its description).</summary>
    public static string Sized(string uid, int bytes)
    {
        var bare = Encoding.UTF8.GetByteCount(Event(uid, extra: "DESCRIPTION:\r\n"));
        Assert.True(bytes >= bare, $"an event needs at least {bare} bytes");
        var body = Event(uid, extra: "DESCRIPTION:" + new string('x', bytes - bare) + "\r\n");
        Assert.Equal(bytes, Encoding.UTF8.GetByteCount(body));
        return body;
    }

    /// <summary>RFC 4331's two properties of a home or calendar, by a Depth 0 PROPFIND.</summary>
    public static async Task<(long Used, long Available)> QuotaAsync(HttpClient client, string path)
    {
        var response = await PropfindAsync(client, path, "0", Used, Available);
        Assert.True(response.Status == HttpStatusCode.MultiStatus, response.ToString());
        var item = response.Responses()[path];
        return (long.Parse(item.Prop(Used).Value, CultureInfo.InvariantCulture), long.Parse(item.Prop(Available).Value, CultureInfo.InvariantCulture));
    }

    /// <summary>Asserts a refusal is 507 with DAV:quota-not-exceeded (RFC 4331 §6).</summary>
    public static void AssertQuotaRefusal(DavResponse response)
    {
        Assert.True(response.Status == HttpStatusCode.InsufficientStorage, response.ToString());
        Assert.Contains(D + "quota-not-exceeded", response.ErrorConditions());
    }

    public static HttpRequestMessage Transfer(HttpMethod method, string from, string to)
    {
        var request = new HttpRequestMessage(method, from);
        request.Headers.Add("Destination", to);
        return request;
    }

    public static async Task<string?> CTagAsync(HttpClient client, string calendar) =>
        (await PropfindAsync(client, calendar, "0", D + "sync-token")).Responses()[calendar].Prop(D + "sync-token").Value;
}

using System.Net;
using static Caldera.Functions.Tests.Dav.DavHelpers;

namespace Caldera.Functions.Tests.Dav;

/// <summary>Basic authentication (RFC 7617) and isolation between users.</summary>
[Collection(CalderaServerCollection.Name)]
public sealed class AuthTests(CalderaServerFixture server)
{
    const string Alice = CalderaServerFixture.Alice;
    const string Bob = CalderaServerFixture.Bob;

    static void AssertChallenge(DavResponse response)
    {
        Assert.Equal(HttpStatusCode.Unauthorized, response.Status);
        var challenge = Assert.Single(response.Headers.WwwAuthenticate);
        Assert.Equal("Basic", challenge.Scheme);
        Assert.StartsWith("realm=\"Caldera\"", challenge.Parameter);
    }

    [Theory]
    [InlineData("PROPFIND", "/calendars/alice/")]
    [InlineData("GET", "/calendars/alice/default/x.ics")]
    [InlineData("PUT", "/calendars/alice/default/x.ics")]
    [InlineData("REPORT", "/calendars/alice/default/")]
    public async Task No_credentials_is_401_with_a_basic_challenge(string method, string path)
    {
        using var client = server.CreateAnonymousClient();
        var response = await SendAsync(client, new HttpRequestMessage(new HttpMethod(method), path));
        AssertChallenge(response);
    }

    [Fact]
    public async Task A_wrong_password_is_401()
    {
        using var client = server.CreateClient(Alice, "not-alices-password");
        AssertChallenge(await PropfindAsync(client, "/calendars/alice/", "0", D + "displayname"));
        using var swapped = server.CreateClient(Alice, server.PasswordOf(Bob));
        AssertChallenge(await PropfindAsync(swapped, "/", "0", D + "current-user-principal"));
    }

    [Fact]
    public async Task A_malformed_authorization_header_is_401()
    {
        using var client = server.CreateAnonymousClient();
        foreach (var header in new[] { "Basic !!!not-base64", "Basic " + Convert.ToBase64String("no-colon"u8.ToArray()), "Bearer abc" })
        {
            var request = Xml(Propfind, "/", null, "0");
            request.Headers.TryAddWithoutValidation("Authorization", header);
            AssertChallenge(await SendAsync(client, request));
        }
    }

    [Fact]
    public async Task Bob_cannot_see_or_change_anything_of_alice()
    {
        using var alice = server.CreateClient(Alice);
        using var bob = server.CreateClient(Bob);
        var calendar = await MakeCalendarAsync(alice, Alice, Unique("private"));
        var item = calendar + "secret.ics";
        var body = Event(Unique("uid"), "Alice's secret");
        var etag = await PutNewAsync(alice, item, body);
        var tokenBefore = (await PropfindAsync(alice, calendar, "0", D + "sync-token")).Responses()[calendar].Prop(D + "sync-token").Value;

        static bool Refused(DavResponse r) => r.Status is HttpStatusCode.NotFound or HttpStatusCode.Forbidden;

        foreach (var path in new[] { "/principals/alice/", "/calendars/alice/", calendar, "/calendars/alice/default/" })
        {
            var propfind = await PropfindAsync(bob, path, "1", D + "displayname", D + "getetag");
            Assert.True(Refused(propfind), $"PROPFIND {path}: {propfind}");
            Assert.DoesNotContain("secret", propfind.Text);
        }
        var get = await GetAsync(bob, item);
        Assert.True(Refused(get), get.ToString());
        Assert.DoesNotContain("secret", get.Text);

        var put = await SendAsync(bob, Put(item, Event(Unique("uid"), "Bob was here")));
        Assert.True(Refused(put), $"PUT: {put}");
        var putNew = await SendAsync(bob, Put(calendar + "new.ics", Event(Unique("uid"), "Bob was here")));
        Assert.True(Refused(putNew), $"PUT new: {putNew}");
        var delete = await SendAsync(bob, new HttpRequestMessage(HttpMethod.Delete, item));
        Assert.True(Refused(delete), $"DELETE object: {delete}");
        var deleteCalendar = await SendAsync(bob, new HttpRequestMessage(HttpMethod.Delete, calendar));
        Assert.True(Refused(deleteCalendar), $"DELETE calendar: {deleteCalendar}");
        var proppatch = await SendAsync(bob, Xml(Proppatch, calendar,
            """<D:propertyupdate xmlns:D="DAV:"><D:set><D:prop><D:displayname>pwned</D:displayname></D:prop></D:set></D:propertyupdate>"""));
        Assert.True(Refused(proppatch), $"PROPPATCH: {proppatch}");
        var mkcalendar = await SendAsync(bob, Xml(Mkcalendar, CalendarPath(Alice, Unique("bobs")), null));
        Assert.True(Refused(mkcalendar), $"MKCALENDAR: {mkcalendar}");
        var report = await SendAsync(bob, Xml(Report, calendar,
            """<D:sync-collection xmlns:D="DAV:"><D:sync-token/><D:sync-level>1</D:sync-level><D:prop><D:getetag/></D:prop></D:sync-collection>"""));
        Assert.True(Refused(report), $"REPORT: {report}");
        var move = new HttpRequestMessage(DavHelpers.Move, item);
        move.Headers.Add("Destination", "/calendars/bob/default/taken.ics");
        var moved = await SendAsync(bob, move);
        Assert.True(Refused(moved), $"MOVE: {moved}");

        // Alice's data is exactly as it was.
        var after = await GetAsync(alice, item);
        Assert.Equal(body, after.Text);
        Assert.Equal(etag, after.ETag);
        Assert.Equal(HttpStatusCode.NotFound, (await GetAsync(alice, calendar + "new.ics")).Status);
        var state = (await PropfindAsync(alice, calendar, "1", D + "sync-token", D + "displayname")).Responses();
        Assert.Equal(tokenBefore, state[calendar].Prop(D + "sync-token").Value);
        Assert.NotEqual("pwned", state[calendar].Prop(D + "displayname").Value);
        Assert.Equal([calendar, item], state.Keys.Order());
    }
}

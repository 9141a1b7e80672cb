using System.Net;
using System.Text;
using Caldera.Functions.Tests.Dav;
using static Caldera.Functions.Tests.Dav.DavHelpers;
using static Caldera.Functions.Tests.Quota.QuotaHelpers;

namespace Caldera.Functions.Tests.Quota;

/// <summary>
/// Every write that would pass a user's quota is 507 with DAV:quota-not-exceeded and changes nothing (RFC 4331 §6);
/// deletes free room; other users are unaffected. Limits: <see cref="QuotaServerFixture"/>.
/// </summary>
[Collection(QuotaServerCollection.Name)]
public sealed class QuotaWriteTests(QuotaServerFixture server)
{
    [Fact]
    public async Task A_put_past_the_byte_quota_is_507_and_stores_nothing()
    {
        var user = await server.NewUserAsync();
        using var client = server.CreateClient(user);
        var calendar = Default(user);
        await PutNewAsync(client, calendar + "big.ics", Sized(Unique("u"), 1500));
        var token = await CTagAsync(client, calendar);

        // 1500 + 501 > 2000: the new object is refused whole.
        AssertQuotaRefusal(await SendAsync(client, Put(calendar + "more.ics", Sized(Unique("u"), 501))));
        Assert.Equal(HttpStatusCode.NotFound, (await GetAsync(client, calendar + "more.ics")).Status);
        Assert.Equal(token, await CTagAsync(client, calendar));
        Assert.Equal((1500L, 500L), await QuotaAsync(client, Home(user)));

        // Exactly up to the limit passes.
        await PutNewAsync(client, calendar + "fits.ics", Sized(Unique("u"), 500));
        Assert.Equal((2000L, 0L), await QuotaAsync(client, Home(user)));
    }

    [Fact]
    public async Task An_update_that_grows_past_the_quota_is_507_and_keeps_the_old_body_but_a_shrinking_one_passes()
    {
        var user = await server.NewUserAsync();
        using var client = server.CreateClient(user);
        var calendar = Default(user);
        var uid = Unique("u");
        var original = Sized(uid, 1000);
        var etag = await PutNewAsync(client, calendar + "a.ics", original);
        await PutNewAsync(client, calendar + "b.ics", Sized(Unique("u"), 900));

        var grown = await SendAsync(client, Put(calendar + "a.ics", Sized(uid, 1101)));
        AssertQuotaRefusal(grown);
        var get = await GetAsync(client, calendar + "a.ics");
        Assert.Equal(original, get.Text);
        Assert.Equal(etag, get.ETag);

        // Growing to exactly the limit, then shrinking, both pass; usage follows.
        Assert.Equal(HttpStatusCode.NoContent, (await SendAsync(client, Put(calendar + "a.ics", Sized(uid, 1100)))).Status);
        Assert.Equal((2000L, 0L), await QuotaAsync(client, Home(user)));
        Assert.Equal(HttpStatusCode.NoContent, (await SendAsync(client, Put(calendar + "a.ics", Sized(uid, 400)))).Status);
        Assert.Equal((1300L, 700L), await QuotaAsync(client, Home(user)));
    }

    [Fact]
    public async Task A_put_past_the_object_quota_is_507_and_a_delete_frees_room()
    {
        var user = await server.NewUserAsync();
        using var client = server.CreateClient(user);
        var calendar = Default(user);
        var other = await MakeCalendarAsync(client, user, "second");
        for (var i = 0; i < QuotaServerFixture.MaxObjects; i++)
            await PutNewAsync(client, (i % 2 == 0 ? calendar : other) + $"e{i}.ics", Event(Unique("u")));

        // The limit is per user: both calendars count.
        AssertQuotaRefusal(await SendAsync(client, Put(other + "one-more.ics", Event(Unique("u")))));
        Assert.Equal(HttpStatusCode.NotFound, (await GetAsync(client, other + "one-more.ics")).Status);

        Assert.Equal(HttpStatusCode.NoContent, (await SendAsync(client, new HttpRequestMessage(HttpMethod.Delete, calendar + "e0.ics"))).Status);
        await PutNewAsync(client, other + "one-more.ics", Event(Unique("u")));
    }

    [Fact]
    public async Task A_copy_past_the_quota_is_507_while_a_move_between_calendars_still_passes()
    {
        var user = await server.NewUserAsync();
        using var client = server.CreateClient(user);
        var calendar = Default(user);
        var other = await MakeCalendarAsync(client, user, "second");
        var body = Sized(Unique("u"), 1200);
        await PutNewAsync(client, calendar + "a.ics", body);

        AssertQuotaRefusal(await SendAsync(client, Transfer(Copy, calendar + "a.ics", other + "copy.ics")));
        Assert.Equal(HttpStatusCode.NotFound, (await GetAsync(client, other + "copy.ics")).Status);
        Assert.Equal((1200L, 800L), await QuotaAsync(client, Home(user)));

        // A move only relocates the bytes: it passes even with too little room for a second copy.
        Assert.Equal(HttpStatusCode.Created, (await SendAsync(client, Transfer(Move, calendar + "a.ics", other + "moved.ics"))).Status);
        Assert.Equal(body, (await GetAsync(client, other + "moved.ics")).Text);
        Assert.Equal(0L, (await QuotaAsync(client, calendar)).Used);
        Assert.Equal((1200L, 800L), await QuotaAsync(client, other));
        Assert.Equal((1200L, 800L), await QuotaAsync(client, Home(user)));
    }

    [Fact]
    public async Task Mkcalendar_and_extended_mkcol_past_the_calendar_quota_are_507_and_deleting_a_calendar_frees_room()
    {
        var user = await server.NewUserAsync();
        using var client = server.CreateClient(user);
        // The default calendar is the first of three.
        await MakeCalendarAsync(client, user, "two");
        await MakeCalendarAsync(client, user, "three");

        AssertQuotaRefusal(await SendAsync(client, Xml(Mkcalendar, CalendarPath(user, "four"), null)));
        var mkcol = $"""
            <D:mkcol xmlns:D="DAV:" xmlns:C="urn:ietf:params:xml:ns:caldav"><D:set><D:prop>
            <D:resourcetype><D:collection/><C:calendar/></D:resourcetype></D:prop></D:set></D:mkcol>
            """;
        AssertQuotaRefusal(await SendAsync(client, Xml(Mkcol, CalendarPath(user, "four"), mkcol)));
        Assert.Equal(HttpStatusCode.NotFound, (await PropfindAsync(client, CalendarPath(user, "four"), "0", D + "displayname")).Status);
        // Three calendars in the home (its scheduling inbox and outbox are collections, not calendars).
        Assert.Equal(3, (await PropfindAsync(client, Home(user), "1", D + "resourcetype")).Responses().Values
            .Count(r => r.Descendants(C + "calendar").Any()));

        Assert.Equal(HttpStatusCode.NoContent, (await SendAsync(client, new HttpRequestMessage(HttpMethod.Delete, CalendarPath(user, "two")))).Status);
        await MakeCalendarAsync(client, user, "four");
    }

    [Fact]
    public async Task One_user_at_the_limit_leaves_another_user_unaffected()
    {
        var full = await server.NewUserAsync();
        var free = await server.NewUserAsync();
        using var fullClient = server.CreateClient(full);
        using var freeClient = server.CreateClient(free);
        await PutNewAsync(fullClient, Default(full) + "big.ics", Sized(Unique("u"), 2000));
        AssertQuotaRefusal(await SendAsync(fullClient, Put(Default(full) + "x.ics", Event(Unique("u")))));

        await PutNewAsync(freeClient, Default(free) + "x.ics", Sized(Unique("u"), 1900));
        Assert.Equal((1900L, 100L), await QuotaAsync(freeClient, Home(free)));
        Assert.Equal((2000L, 0L), await QuotaAsync(fullClient, Home(full)));
    }

    [Fact]
    public async Task Writes_into_a_shared_calendar_count_against_its_owner()
    {
        var owner = await server.NewUserAsync("own");
        var sharee = await server.NewUserAsync("sh");
        using (var manage = server.CreateManagementClient())
        using (var r = await manage.PutAsync($"manage/users/{owner}/calendars/default/shares/{sharee}",
                   new StringContent("""{"access":"read-write"}""", Encoding.UTF8, "application/json")))
            Assert.Equal(HttpStatusCode.OK, r.StatusCode);
        using var ownerClient = server.CreateClient(owner);
        using var shareeClient = server.CreateClient(sharee);
        var shared = CalendarPath(sharee, $"app-generated--shared--{owner}--default");

        await PutNewAsync(shareeClient, shared + "a.ics", Sized(Unique("u"), 1500));
        Assert.Equal((1500L, 500L), await QuotaAsync(ownerClient, Home(owner)));
        Assert.Equal((0L, 2000L), await QuotaAsync(shareeClient, Home(sharee)));

        AssertQuotaRefusal(await SendAsync(shareeClient, Put(shared + "b.ics", Sized(Unique("u"), 600))));
        Assert.Equal(HttpStatusCode.NotFound, (await GetAsync(ownerClient, Default(owner) + "b.ics")).Status);
        // The sharee's own room is untouched by the owner's quota.
        await PutNewAsync(shareeClient, Default(sharee) + "b.ics", Sized(Unique("u"), 600));
    }
}

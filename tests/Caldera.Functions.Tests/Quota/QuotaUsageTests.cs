using System.Net;
using Azure.Data.Tables;
using Caldera.Functions.Tests.Dav;
using Caldera.Functions.Tests.Imip;
using Caldera.Imip.Processing;
using Caldera.Storage;
using Caldera.Storage.Imip;
using Microsoft.Extensions.DependencyInjection;
using static Caldera.Functions.Tests.Dav.DavHelpers;
using static Caldera.Functions.Tests.Quota.QuotaHelpers;

namespace Caldera.Functions.Tests.Quota;

/// <summary>
/// RFC 4331's DAV:quota-used-bytes and DAV:quota-available-bytes stay exact through creates, updates, copies, moves and
/// deletes (they come from counters kept in each write's own transaction), under parallel writers, for calendars made
/// before the counters, and for iMIP deliveries.
/// </summary>
[Collection(QuotaServerCollection.Name)]
public sealed class QuotaUsageTests(QuotaServerFixture server, Xunit.Abstractions.ITestOutputHelper output)
{
    [Fact]
    public async Task Usage_is_exact_after_creates_updates_copies_moves_and_deletes()
    {
        var user = await server.NewUserAsync();
        using var client = server.CreateClient(user);
        var first = Default(user);
        var second = await MakeCalendarAsync(client, user, "second");
        Assert.Equal((0L, 2000L), await QuotaAsync(client, Home(user)));

        var uid = Unique("u");
        await PutNewAsync(client, first + "a.ics", Sized(uid, 300));
        await PutNewAsync(client, second + "b.ics", Sized(Unique("u"), 400));
        Assert.Equal((700L, 1300L), await QuotaAsync(client, Home(user)));
        Assert.Equal((300L, 1300L), await QuotaAsync(client, first));
        Assert.Equal((400L, 1300L), await QuotaAsync(client, second));

        Assert.Equal(HttpStatusCode.NoContent, (await SendAsync(client, Put(first + "a.ics", Sized(uid, 350)))).Status);
        Assert.Equal((750L, 1250L), await QuotaAsync(client, Home(user)));

        Assert.Equal(HttpStatusCode.Created, (await SendAsync(client, Transfer(Copy, second + "b.ics", first + "b-copy.ics"))).Status);
        Assert.Equal((1150L, 850L), await QuotaAsync(client, Home(user)));
        Assert.Equal(750L, (await QuotaAsync(client, first)).Used);

        Assert.Equal(HttpStatusCode.Created, (await SendAsync(client, Transfer(Move, first + "a.ics", second + "a.ics"))).Status);
        Assert.Equal(400L, (await QuotaAsync(client, first)).Used);
        Assert.Equal(750L, (await QuotaAsync(client, second)).Used);
        // A move within one calendar changes nothing.
        Assert.Equal(HttpStatusCode.Created, (await SendAsync(client, Transfer(Move, second + "a.ics", second + "a2.ics"))).Status);
        Assert.Equal(750L, (await QuotaAsync(client, second)).Used);

        foreach (var path in new[] { second + "a2.ics", second + "b.ics", first + "b-copy.ics" })
            Assert.Equal(HttpStatusCode.NoContent, (await SendAsync(client, new HttpRequestMessage(HttpMethod.Delete, path))).Status);
        Assert.Equal((0L, 2000L), await QuotaAsync(client, Home(user)));
    }

    [Fact]
    public async Task Quota_properties_are_named_only_and_protected()
    {
        var user = await server.NewUserAsync();
        using var client = server.CreateClient(user);
        var calendar = Default(user);

        // RFC 4331 §3: not in allprop.
        var all = await SendAsync(client, Xml(Propfind, calendar, """<D:propfind xmlns:D="DAV:"><D:allprop/></D:propfind>""", "0"));
        Assert.Equal(HttpStatusCode.MultiStatus, all.Status);
        Assert.Null(all.Responses()[calendar].StatusOf(Used));
        Assert.Null(all.Responses()[calendar].StatusOf(Available));

        var patch = await SendAsync(client, Xml(Proppatch, calendar,
            """<D:propertyupdate xmlns:D="DAV:"><D:set><D:prop><D:quota-used-bytes>0</D:quota-used-bytes></D:prop></D:set></D:propertyupdate>"""));
        Assert.Equal(HttpStatusCode.MultiStatus, patch.Status);
        var response = patch.Responses()[calendar];
        Assert.Equal(403, response.StatusOf(Used));
        Assert.Contains("cannot-modify-protected-property", patch.Text);

        // Objects and principals do not carry them.
        await PutNewAsync(client, calendar + "x.ics", Event(Unique("u")));
        Assert.Equal(404, (await PropfindAsync(client, calendar + "x.ics", "0", Used)).Responses()[calendar + "x.ics"].StatusOf(Used));
    }

    [Fact]
    public async Task Parallel_puts_into_one_calendar_stop_exactly_at_the_limit()
    {
        var user = await server.NewUserAsync();
        using var client = server.CreateClient(user);
        var calendar = Default(user);
        const int writers = 16;
        var statuses = await Task.WhenAll(Enumerable.Range(0, writers).Select(async i =>
        {
            using var c = server.CreateClient(user);
            return (await SendAsync(c, Put(calendar + $"p{i}.ics", Sized(Unique("u"), 300)))).Status;
        }));
        // Every writer of one calendar commits against its row's ETag, so the limit holds exactly: 4 objects, no overshoot.
        Assert.Equal((int)QuotaServerFixture.MaxObjects, statuses.Count(s => s == HttpStatusCode.Created));
        Assert.All(statuses, s => Assert.True(s is HttpStatusCode.Created or HttpStatusCode.InsufficientStorage, s.ToString()));
        var listed = (await PropfindAsync(client, calendar, "1", D + "getcontentlength")).Responses().Count - 1;
        Assert.Equal((int)QuotaServerFixture.MaxObjects, listed);
        Assert.Equal((listed * 300L, 2000L - listed * 300L), await QuotaAsync(client, Home(user)));
    }

    [Fact]
    public async Task Parallel_puts_into_different_calendars_keep_usage_exact_and_each_calendar_within_the_limit()
    {
        var user = await server.NewUserAsync();
        using var client = server.CreateClient(user);
        var calendars = new[] { Default(user), await MakeCalendarAsync(client, user, "b"), await MakeCalendarAsync(client, user, "c") };
        const int perCalendar = 4;
        var statuses = await Task.WhenAll(calendars.SelectMany(cal => Enumerable.Range(0, perCalendar).Select(async i =>
        {
            using var c = server.CreateClient(user);
            return (await SendAsync(c, Put(cal + $"p{i}.ics", Sized(Unique("u"), 300)))).Status;
        })));
        Assert.All(statuses, s => Assert.True(s is HttpStatusCode.Created or HttpStatusCode.InsufficientStorage, s.ToString()));
        var created = statuses.Count(s => s == HttpStatusCode.Created);
        // Writers of different calendars see each other's counters as of their own start, so a burst over several calendars
        // can pass the limit (each calendar alone never does); the overshoot is printed, and README states the bound.
        output.WriteLine($"{statuses.Length} parallel PUTs over {calendars.Length} calendars, limit {QuotaServerFixture.MaxObjects}: {created} stored");
        Assert.InRange(created, (int)QuotaServerFixture.MaxObjects, (int)QuotaServerFixture.MaxObjects * calendars.Length);
        // Whatever was let through, the counters agree with what is stored, and a later write sees the true total.
        var listed = 0;
        foreach (var cal in calendars)
            listed += (await PropfindAsync(client, cal, "1", D + "getcontentlength")).Responses().Count - 1;
        Assert.Equal(created, listed);
        Assert.Equal(created * 300L, (await QuotaAsync(client, Home(user))).Used);
        AssertQuotaRefusal(await SendAsync(client, Put(calendars[0] + "after.ics", Sized(Unique("u"), 300))));
    }

    [Fact]
    public async Task A_calendar_made_before_counters_is_counted_once_from_its_index()
    {
        var user = await server.NewUserAsync();
        using var client = server.CreateClient(user);
        var calendar = Default(user);
        await PutNewAsync(client, calendar + "a.ics", Sized(Unique("u"), 600));
        await PutNewAsync(client, calendar + "b.ics", Sized(Unique("u"), 700));

        // Take the counters off the calendar row, as a row written before quotas has none.
        var layout = server.Services.GetRequiredService<StorageLayout>();
        var table = server.Services.GetRequiredService<TableServiceClient>().GetTableClient(layout.CalendarsTable);
        var row = (await table.GetEntityAsync<TableEntity>(user, "cal|default")).Value;
        Assert.Equal(1300L, row.GetInt64("UsedBytes"));
        row.Remove("UsedBytes");
        row.Remove("UsedObjects");
        await table.UpdateEntityAsync(row, row.ETag, TableUpdateMode.Replace);

        Assert.Equal((1300L, 700L), await QuotaAsync(client, Home(user)));
        var counted = (await table.GetEntityAsync<TableEntity>(user, "cal|default")).Value;
        Assert.Equal(1300L, counted.GetInt64("UsedBytes"));
        Assert.Equal(2L, counted.GetInt64("UsedObjects"));

        // Again without counters: the next write counts inside its own transaction, and the limit holds.
        counted.Remove("UsedBytes");
        counted.Remove("UsedObjects");
        await table.UpdateEntityAsync(counted, counted.ETag, TableUpdateMode.Replace);
        AssertQuotaRefusal(await SendAsync(client, Put(calendar + "c.ics", Sized(Unique("u"), 701))));
        await PutNewAsync(client, calendar + "c.ics", Sized(Unique("u"), 700));
        Assert.Equal((2000L, 0L), await QuotaAsync(client, Home(user)));
    }

    [Fact]
    public async Task An_invitation_past_the_quota_is_recorded_failed_with_its_reason_and_applies_once_there_is_room()
    {
        var user = await server.NewUserAsync();
        var address = $"{user}@example.com";
        using var client = server.CreateClient(user);
        await PutNewAsync(client, Default(user) + "big.ics", Sized(Unique("u"), 1900));

        var uid = Unique("inv");
        var mail = MailBuilder.Build("organizer@example.com", address, "REQUEST",
            MailBuilder.Itip("REQUEST", MailBuilder.Invite(uid, attendees: [$"PARTSTAT=NEEDS-ACTION:mailto:{address}"])));
        var refused = await ProcessAsync(mail, address);
        Assert.Equal(ImipStatus.Failed, refused.Status);
        Assert.Equal("quota-exceeded", refused.Code);
        Assert.Contains("quota", refused.Reason);
        Assert.Equal(1900L, (await QuotaAsync(client, Home(user))).Used);

        Assert.Equal(HttpStatusCode.NoContent, (await SendAsync(client, new HttpRequestMessage(HttpMethod.Delete, Default(user) + "big.ics"))).Status);
        var applied = await ProcessAsync(mail, address);
        Assert.True(applied.Status == ImipStatus.Applied, applied.ToString());
        Assert.True((await QuotaAsync(client, Home(user))).Used > 0);
    }

    async Task<ImipStatusRecord> ProcessAsync(byte[] raw, string recipient)
    {
        var inbox = server.Services.GetRequiredService<ImipInbox>();
        var received = DateTimeOffset.UtcNow;
        var (blob, id) = await inbox.StoreAsync(new BinaryData(raw), received, null, CancellationToken.None);
        var message = new ImipQueueMessage { Id = id, Blob = blob, Recipient = recipient, Received = received }.ToJson();
        return await server.Services.GetRequiredService<ImipProcessor>().ProcessAsync(message, id, 1, received, CancellationToken.None);
    }
}

using System.Net;
using System.Text;
using Caldera.Calendars;
using Caldera.Calendars.Providers.Store;
using Caldera.Functions.Tests.Dav;
using Caldera.Storage;
using Microsoft.Extensions.DependencyInjection;
using static Caldera.Functions.Tests.Dav.DavHelpers;

namespace Caldera.Functions.Tests.Scheduling;

/// <summary>
/// The engine's side of implicit scheduling (RFC 6638 §3.2, §8): Schedule-Tag stored with the object and shown as a
/// header and a property, If-Schedule-Tag-Match, and the scheduler's hooks around PUT, DELETE, COPY and MOVE (with
/// <see cref="DavRecordingScheduler"/>, whose rules are fixed by SUMMARY).
/// </summary>
[Collection(DavSchedulingCollection.Name)]
public sealed class DavScheduleTagTests(DavSchedulingFixture server)
{
    const string User = "alice";

    static HttpRequestMessage WithTag(HttpRequestMessage request, string tag)
    {
        request.Headers.TryAddWithoutValidation("If-Schedule-Tag-Match", tag);
        return request;
    }

    static string? TagOf(DavResponse response) =>
        response.Headers.TryGetValues("Schedule-Tag", out var values) ? values.Single() : null;

    [Fact]
    public async Task A_tag_stored_through_the_store_shows_on_get_head_and_propfind()
    {
        using var client = server.CreateClient(User);
        var path = await MakeCalendarAsync(client, User, Unique("tagged"));
        var name = await StoreTaggedAsync(path, "\"stored-1\"");

        var get = await GetAsync(client, path + name);
        Assert.Equal("\"stored-1\"", TagOf(get));
        var head = await SendAsync(client, new HttpRequestMessage(HttpMethod.Head, path + name));
        Assert.Equal("\"stored-1\"", TagOf(head));
        var prop = await PropfindAsync(client, path, "1", C + "schedule-tag");
        Assert.Equal("\"stored-1\"", prop.Responses()[path + name].Prop(C + "schedule-tag").Value);

        // An object without a tag has neither header nor property.
        await PutNewAsync(client, path + "plain.ics", Event(Unique("u"), "plain"));
        Assert.Null(TagOf(await GetAsync(client, path + "plain.ics")));
        Assert.Equal(404, (await PropfindAsync(client, path + "plain.ics", "0", C + "schedule-tag")).Responses()[path + "plain.ics"].StatusOf(C + "schedule-tag"));
    }

    [Fact]
    public async Task If_Schedule_Tag_Match_with_a_stale_or_missing_tag_is_412_and_changes_nothing()
    {
        using var client = server.CreateClient(User);
        var path = await MakeCalendarAsync(client, User, Unique("stale"));
        var name = await StoreTaggedAsync(path, "\"current\"");
        var before = (await GetAsync(client, path + name)).Text;
        var uid = before.Split("\r\n").Single(l => l.StartsWith("UID:", StringComparison.Ordinal))[4..];

        var stalePut = await SendAsync(client, WithTag(Put(path + name, Event(uid, "changed")), "\"old\""));
        Assert.Equal(HttpStatusCode.PreconditionFailed, stalePut.Status);
        var staleDelete = await SendAsync(client, WithTag(new HttpRequestMessage(HttpMethod.Delete, path + name), "\"old\""));
        Assert.Equal(HttpStatusCode.PreconditionFailed, staleDelete.Status);
        Assert.Equal(before, (await GetAsync(client, path + name)).Text);

        // No object (or one without a tag) never matches.
        var missing = await SendAsync(client, WithTag(Put(path + "nothing.ics", Event(Unique("u"))), "\"current\""));
        Assert.Equal(HttpStatusCode.PreconditionFailed, missing.Status);
        Assert.Equal(HttpStatusCode.NotFound, (await GetAsync(client, path + "nothing.ics")).Status);
        var malformed = await SendAsync(client, WithTag(Put(path + name, Event(uid, "changed")), "current"));
        Assert.Equal(HttpStatusCode.BadRequest, malformed.Status);
    }

    [Fact]
    public async Task If_Schedule_Tag_Match_with_the_current_tag_lets_the_write_through()
    {
        using var client = server.CreateClient(User);
        var path = await MakeCalendarAsync(client, User, Unique("match"));
        var name = await StoreTaggedAsync(path, "\"now\"");
        var uid = (await GetAsync(client, path + name)).Text.Split("\r\n").Single(l => l.StartsWith("UID:", StringComparison.Ordinal))[4..];

        var put = await SendAsync(client, WithTag(Put(path + name, Event(uid, "accepted")), "\"now\""));
        Assert.Equal(HttpStatusCode.NoContent, put.Status);
        Assert.Contains("SUMMARY:accepted", (await GetAsync(client, path + name)).Text);
        // The write was not a scheduling one here (the test scheduler leaves "accepted" alone), so no tag remains.
        Assert.Null(TagOf(await GetAsync(client, path + name)));
    }

    [Fact]
    public async Task A_scheduling_put_stores_and_returns_the_schedulers_tag_then_completes()
    {
        using var client = server.CreateClient(User);
        var path = await MakeCalendarAsync(client, User, Unique("sched"));
        var name = Unique("o") + ".ics";
        var put = await SendAsync(client, Put(path + name, Event(Unique("u"), "sched-invite")));
        Assert.Equal(HttpStatusCode.Created, put.Status);
        var tag = TagOf(put);
        Assert.NotNull(tag);
        Assert.NotNull(put.ETag); // the body is stored as sent
        var get = await GetAsync(client, path + name);
        Assert.Equal(tag, TagOf(get));
        Assert.Equal(put.ETag, get.ETag);
        var calls = server.Scheduler.CallsFor(name);
        Assert.Equal(["write", "complete"], calls.Select(c => c.Call));
        Assert.Null(calls[0].ExistingETag); // a create: the scheduler saw no existing object

        // An update: the scheduler sees the stored object (its ETag and tag).
        var update = await SendAsync(client, Put(path + name, Event(get.Text.Split("\r\n").Single(l => l.StartsWith("UID:", StringComparison.Ordinal))[4..], "sched-update")));
        Assert.Equal(HttpStatusCode.NoContent, update.Status);
        var second = server.Scheduler.CallsFor(name)[2];
        Assert.Equal(("write", get.ETag, tag), (second.Call, second.ExistingETag, second.ExistingTag));
        Assert.NotEqual(tag, TagOf(update));
    }

    [Fact]
    public async Task A_body_the_scheduler_changed_is_stored_and_answered_without_an_etag()
    {
        using var client = server.CreateClient(User);
        var path = await MakeCalendarAsync(client, User, Unique("rewrite"));
        var put = await SendAsync(client, Put(path + "r.ics", Event(Unique("u"), "sched-rewrite")));
        Assert.Equal(HttpStatusCode.Created, put.Status);
        Assert.Null(put.ETag); // RFC 4791 §5.3.4: the stored body is not the one sent
        Assert.NotNull(TagOf(put));
        Assert.Contains("SUMMARY:sched-rewritten", (await GetAsync(client, path + "r.ics")).Text);
    }

    [Fact]
    public async Task A_refusal_is_the_schedulers_status_and_precondition_and_stores_nothing()
    {
        using var client = server.CreateClient(User);
        var path = await MakeCalendarAsync(client, User, Unique("refuse"));
        var put = await SendAsync(client, Put(path + "x.ics", Event(Unique("u"), "sched-refuse")));
        Assert.Equal(HttpStatusCode.Forbidden, put.Status);
        Assert.Contains(C + "allowed-organizer-scheduling-object-change", put.ErrorConditions());
        Assert.Equal(HttpStatusCode.NotFound, (await GetAsync(client, path + "x.ics")).Status);
        Assert.Equal(["write"], server.Scheduler.CallsFor("x.ics").Select(c => c.Call)); // asked, refused, nothing to complete
    }

    [Fact]
    public async Task Deleting_a_scheduling_object_goes_through_the_scheduler_plain_objects_do_not()
    {
        using var client = server.CreateClient(User);
        var path = await MakeCalendarAsync(client, User, Unique("del"));
        var tagged = Unique("t") + ".ics";
        var put = await SendAsync(client, Put(path + tagged, Event(Unique("u"), "sched-cancel-me")));
        var plain = Unique("p") + ".ics";
        await PutNewAsync(client, path + plain, Event(Unique("u"), "plain"));

        Assert.Equal(HttpStatusCode.NoContent, (await SendAsync(client, new HttpRequestMessage(HttpMethod.Delete, path + tagged))).Status);
        var calls = server.Scheduler.CallsFor(tagged);
        Assert.Equal(["write", "complete", "delete", "complete"], calls.Select(c => c.Call));
        Assert.Equal((put.ETag, TagOf(put)), (calls[2].ExistingETag, calls[2].ExistingTag));

        Assert.Equal(HttpStatusCode.NoContent, (await SendAsync(client, new HttpRequestMessage(HttpMethod.Delete, path + plain))).Status);
        Assert.DoesNotContain(server.Scheduler.CallsFor(plain), c => c.Call == "delete");
    }

    [Fact]
    public async Task Move_between_own_calendars_keeps_the_tag_and_sends_nothing_copy_is_refused()
    {
        using var client = server.CreateClient(User);
        var a = await MakeCalendarAsync(client, User, Unique("mva"));
        var b = await MakeCalendarAsync(client, User, Unique("mvb"));
        var name = Unique("m") + ".ics";
        var tag = TagOf(await SendAsync(client, Put(a + name, Event(Unique("u"), "sched-move"))));
        var before = server.Scheduler.Calls.Count;

        var copy = new HttpRequestMessage(Copy, a + name);
        copy.Headers.Add("Destination", new Uri(server.BaseUri, b + "copy.ics").AbsoluteUri);
        var copied = await SendAsync(client, copy);
        Assert.Equal(HttpStatusCode.Forbidden, copied.Status);
        Assert.Contains(C + "unique-scheduling-object-resource", copied.ErrorConditions());

        var move = new HttpRequestMessage(Move, a + name);
        move.Headers.Add("Destination", new Uri(server.BaseUri, b + name).AbsoluteUri);
        Assert.Equal(HttpStatusCode.Created, (await SendAsync(client, move)).Status);
        Assert.Equal(tag, TagOf(await GetAsync(client, b + name)));
        Assert.Equal(before, server.Scheduler.Calls.Count);
    }

    /// <summary>An event stored with a Schedule-Tag the way the scheduler's delivery stores one (no DAV write involved).</summary>
    async Task<string> StoreTaggedAsync(string calendarPath, string tag)
    {
        var segment = calendarPath.TrimEnd('/').Split('/')[^1];
        var record = await server.Services.GetRequiredService<ICalendarStore>().GetCalendarAsync(User, segment, default);
        var calendar = new StoreCalendar(record!, server.Services.GetRequiredService<ICalendarStore>(), Caldera.Calendars.Providers.CalendarPrivileges.All);
        var parsed = CalendarObjectParser.Parse(Encoding.UTF8.GetBytes(Event(Unique("u"), "stored")), ["VEVENT"]) with { ScheduleTag = tag };
        var name = Unique("s") + ".ics";
        Assert.Equal(WriteStatus.Created, (await calendar.PutObjectAsync(name, parsed, WriteConditions.None, default)).Status);
        return name;
    }
}

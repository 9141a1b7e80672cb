using System.Net;
using Caldera.Functions.Tests.Dav;
using Caldera.Functions.Tests.Imip;
using static Caldera.Functions.Tests.Dav.DavHelpers;
using static Caldera.Functions.Tests.Scheduling.SchedulingText;

namespace Caldera.Functions.Tests.Scheduling;

/// <summary>
/// Implicit scheduling between Caldera users end to end (RFC 6638 §3, §8): an organizer's PUT, update and DELETE
/// reach the attendee's default calendar and inbox through the iTIP engine; an attendee's answer reaches the
/// organizer's copy without changing its Schedule-Tag; SCHEDULE-AGENT=CLIENT sends nothing; a UID in two calendars
/// is refused; a sharee schedules as the calendar's owner; a provider calendar that takes iMIP gets the message.
/// </summary>
[Collection(SchedulingServerCollection.Name)]
public sealed class ImplicitSchedulingTests(SchedulingServerFixture fixture)
{
    const string Default = "default";

    static string ObjectPath(string user, string calendar, string name) => CalendarPath(user, calendar) + name;

    async Task<DavResponse> PutAsync(string user, string path, string body, params (string Name, string Value)[] headers)
    {
        using var client = fixture.Dav(user);
        var request = Put(path, body);
        foreach (var (name, value) in headers)
            request.Headers.TryAddWithoutValidation(name, value);
        return await SendAsync(client, request);
    }

    async Task<DavResponse> GetOkAsync(string user, string path)
    {
        using var client = fixture.Dav(user);
        var response = await GetAsync(client, path);
        Assert.True(response.Status == HttpStatusCode.OK, $"GET {path}: {response}");
        return response;
    }

    static string? ScheduleTag(DavResponse r) => r.Headers.TryGetValues("Schedule-Tag", out var v) ? v.Single() : null;

    /// <summary>alice invites <paramref name="attendees"/> with a new event in her default calendar; returns its path.</summary>
    async Task<string> InviteAsync(string uid, params string[] attendees)
    {
        var path = ObjectPath("alice", Default, uid + ".ics");
        var put = await PutAsync("alice", path, Invitation(uid, Mailto("alice"), attendees));
        Assert.True(put.Status == HttpStatusCode.Created, $"PUT {path}: {put}");
        return path;
    }

    async Task<(string Path, DavResponse Get)> BobsCopyAsync(string uid)
    {
        var name = await fixture.FindAsync("bob", Default, uid);
        Assert.True(name is not null, $"bob's default calendar holds no {uid}");
        var path = ObjectPath("bob", Default, name);
        return (path, await GetOkAsync("bob", path));
    }

    [Fact]
    public async Task Invitation_lands_in_the_attendees_default_calendar_and_inbox_and_the_organizer_copy_says_delivered()
    {
        var uid = Unique("inv");
        var alicePath = await InviteAsync(uid, Mailto("bob"));

        var (_, bobs) = await BobsCopyAsync(uid);
        Assert.Equal("NEEDS-ACTION", PartStat(bobs.Text, Mailto("bob")));
        Assert.NotNull(ScheduleTag(bobs));
        var inbox = Assert.Single(await fixture.InboxAsync("bob", uid));
        Assert.Contains("METHOD:REQUEST", inbox, StringComparison.Ordinal);

        var alices = await GetOkAsync("alice", alicePath);
        Assert.Equal("1.2", ScheduleStatus(alices.Text, Mailto("bob")));
        Assert.NotNull(ScheduleTag(alices));
    }

    [Fact]
    public async Task Attendee_accepts_by_put_and_the_organizer_copy_changes_but_keeps_its_schedule_tag()
    {
        var uid = Unique("acc");
        var alicePath = await InviteAsync(uid, Mailto("bob"));
        var aliceBefore = await GetOkAsync("alice", alicePath);
        var (bobPath, bobs) = await BobsCopyAsync(uid);

        var accepted = await PutAsync("bob", bobPath, Answer(bobs.Text, Mailto("bob"), "ACCEPTED"), ("If-Schedule-Tag-Match", ScheduleTag(bobs)!));
        Assert.True(accepted.Status is HttpStatusCode.NoContent or HttpStatusCode.OK, $"bob's PUT: {accepted}");

        var aliceAfter = await GetOkAsync("alice", alicePath);
        Assert.Equal("ACCEPTED", PartStat(aliceAfter.Text, Mailto("bob")));
        // RFC 6638 §3.2.10: an attendee's answer is not a change the organizer's client must reload for.
        Assert.Equal(ScheduleTag(aliceBefore), ScheduleTag(aliceAfter));
        Assert.NotEqual(aliceBefore.ETag, aliceAfter.ETag);
        Assert.Single(await fixture.InboxAsync("alice", uid), m => m.Contains("METHOD:REPLY", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_stale_if_schedule_tag_match_is_refused_with_412()
    {
        var uid = Unique("stale");
        var alicePath = await InviteAsync(uid, Mailto("bob"));
        var (bobPath, bobs) = await BobsCopyAsync(uid);
        var oldTag = ScheduleTag(bobs)!;

        // alice moves the meeting: bob's copy is replaced by the server, with a new Schedule-Tag.
        var moved = await PutAsync("alice", alicePath, Invitation(uid, Mailto("alice"), [Mailto("bob")], sequence: 1, start: "20270111T140000Z", end: "20270111T150000Z", stamp: "20260102T000000Z"));
        Assert.True(moved.Status is HttpStatusCode.NoContent or HttpStatusCode.OK, $"alice's update: {moved}");
        var (_, bobsNow) = await BobsCopyAsync(uid);
        Assert.NotEqual(oldTag, ScheduleTag(bobsNow));

        var stale = await PutAsync("bob", bobPath, Answer(bobs.Text, Mailto("bob"), "ACCEPTED"), ("If-Schedule-Tag-Match", oldTag));
        Assert.True(stale.Status == HttpStatusCode.PreconditionFailed, $"PUT with a stale tag: {stale}");
        var (_, unchanged) = await BobsCopyAsync(uid);
        Assert.Equal("NEEDS-ACTION", PartStat(unchanged.Text, Mailto("bob")));
        Assert.Equal("20270111T140000Z", Component(unchanged.Text, null)!.DtStart!.AsUtc.ToString("yyyyMMdd'T'HHmmss'Z'", System.Globalization.CultureInfo.InvariantCulture));
    }

    [Fact]
    public async Task Moving_one_instance_reaches_the_attendee_and_cancelling_the_series_cancels_their_copy()
    {
        var uid = Unique("rec");
        var alicePath = ObjectPath("alice", Default, uid + ".ics");
        const string Weekly = "RRULE:FREQ=WEEKLY;COUNT=4\r\n";
        Assert.Equal(HttpStatusCode.Created, (await PutAsync("alice", alicePath, Invitation(uid, Mailto("alice"), [Mailto("bob")], extra: Weekly))).Status);
        Assert.NotNull(await fixture.FindAsync("bob", Default, uid));

        // The second instance (18 January) moves to the afternoon.
        var overrideText = $"BEGIN:VEVENT\r\nUID:{uid}\r\nDTSTAMP:20260102T000000Z\r\nRECURRENCE-ID:20270118T100000Z\r\nDTSTART:20270118T150000Z\r\n" +
            $"DTEND:20270118T160000Z\r\nSUMMARY:Planning (moved)\r\nSEQUENCE:1\r\nORGANIZER;CN=Organizer:{Mailto("alice")}\r\n" +
            $"ATTENDEE;PARTSTAT=ACCEPTED;ROLE=CHAIR:{Mailto("alice")}\r\nATTENDEE;RSVP=TRUE;PARTSTAT=NEEDS-ACTION:{Mailto("bob")}\r\nEND:VEVENT\r\n";
        var moved = await PutAsync("alice", alicePath, Invitation(uid, Mailto("alice"), [Mailto("bob")], extra: Weekly, overrides: overrideText, stamp: "20260102T000000Z"));
        Assert.True(moved.Status is HttpStatusCode.NoContent or HttpStatusCode.OK, $"alice moves an instance: {moved}");
        var (_, bobs) = await BobsCopyAsync(uid);
        var instance = Component(bobs.Text, "20270118T100000Z");
        Assert.True(instance is not null, $"bob's copy has no override for 18 January: {bobs.Text}");
        Assert.Equal(15, instance.DtStart!.AsUtc.Hour);

        using (var alice = fixture.Dav("alice"))
        {
            var deleted = await SendAsync(alice, new HttpRequestMessage(HttpMethod.Delete, alicePath));
            Assert.True(deleted.Status == HttpStatusCode.NoContent, $"alice cancels the series: {deleted}");
        }
        var (_, cancelled) = await BobsCopyAsync(uid);
        Assert.Equal("CANCELLED", Component(cancelled.Text, null)!.Status);
        Assert.Contains(await fixture.InboxAsync("bob", uid), m => m.Contains("METHOD:CANCEL", StringComparison.Ordinal));
    }

    [Fact]
    public async Task An_attendee_deleting_their_copy_declines()
    {
        var uid = Unique("del");
        var alicePath = await InviteAsync(uid, Mailto("bob"));
        var (bobPath, _) = await BobsCopyAsync(uid);

        using (var bob = fixture.Dav("bob"))
        {
            var deleted = await SendAsync(bob, new HttpRequestMessage(HttpMethod.Delete, bobPath));
            Assert.True(deleted.Status == HttpStatusCode.NoContent, $"bob deletes his copy: {deleted}");
        }
        var alices = await GetOkAsync("alice", alicePath);
        Assert.Equal("DECLINED", PartStat(alices.Text, Mailto("bob")));
    }

    [Fact]
    public async Task Schedule_agent_client_delivers_nothing()
    {
        var uid = Unique("cli");
        var path = ObjectPath("alice", Default, uid + ".ics");
        var put = await PutAsync("alice", path, Invitation(uid, Mailto("alice"), [$"ATTENDEE;SCHEDULE-AGENT=CLIENT;PARTSTAT=NEEDS-ACTION:{Mailto("bob")}"]));
        Assert.True(put.Status == HttpStatusCode.Created, $"PUT: {put}");

        Assert.Null(await fixture.FindAsync("bob", Default, uid));
        Assert.Empty(await fixture.InboxAsync("bob", uid));
        // The client schedules this attendee itself: the server leaves the property as it was sent.
        Assert.Null(ScheduleStatus((await GetOkAsync("alice", path)).Text, Mailto("bob")));
    }

    [Fact]
    public async Task A_scheduling_uid_already_in_another_calendar_of_the_home_is_refused()
    {
        var uid = Unique("uniq");
        await InviteAsync(uid, Mailto("bob"));
        using var alice = fixture.Dav("alice");
        var other = await MakeCalendarAsync(alice, "alice", Unique("second"));

        var again = await PutAsync("alice", other + "copy.ics", Invitation(uid, Mailto("alice"), [Mailto("bob")]));
        Assert.True(again.Status == HttpStatusCode.Forbidden, $"second copy: {again}");
        Assert.Contains("unique-scheduling-object-resource", again.Text, StringComparison.Ordinal);
        Assert.Null(await fixture.FindAsync("alice", other.Split('/')[3], uid));
    }

    [Fact]
    public async Task A_sharee_writing_in_the_owners_calendar_invites_as_the_owner()
    {
        var calendar = Unique("team");
        using (var alice = fixture.Dav("alice"))
            await MakeCalendarAsync(alice, "alice", calendar);
        await fixture.ShareAsync("alice", calendar, "dave", "read-write");

        var uid = Unique("shr");
        var path = ObjectPath("dave", $"app-generated--shared--alice--{calendar}", uid + ".ics");
        var put = await PutAsync("dave", path, Invitation(uid, Mailto("alice"), [Mailto("bob")]));
        Assert.True(put.Status == HttpStatusCode.Created, $"dave's PUT into alice's calendar: {put}");

        var (_, bobs) = await BobsCopyAsync(uid);
        Assert.Equal("NEEDS-ACTION", PartStat(bobs.Text, Mailto("bob")));
        Assert.Equal(Mailto("alice"), Component(bobs.Text, null)!.Organizer!.Value!.OriginalString, ignoreCase: true);
        Assert.Equal("1.2", ScheduleStatus((await GetOkAsync("alice", ObjectPath("alice", calendar, uid + ".ics"))).Text, Mailto("bob")));
    }

    [Fact]
    public async Task A_provider_calendar_that_takes_imip_receives_internal_invitations()
    {
        var uid = Unique("prov");
        await InviteAsync(uid, Mailto("handled"));

        var handed = ImipSinkProvider.Received.Where(r => r.Owner == "handled" && r.Data.Contains($"UID:{uid}", StringComparison.Ordinal)).ToList();
        var one = Assert.Single(handed);
        Assert.Contains("METHOD:REQUEST", one.Data, StringComparison.Ordinal);
        Assert.Null(await fixture.FindAsync("handled", Default, uid));
    }
}

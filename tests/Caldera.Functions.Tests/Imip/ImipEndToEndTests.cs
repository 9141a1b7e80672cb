using System.Net;
using System.Text;
using Caldera.Imip.Itip;
using Caldera.Imip.Mime;
using Caldera.Storage.Imip;
using Caldera.Functions.Tests.Dav;
using Microsoft.Extensions.DependencyInjection;
using static Caldera.Functions.Tests.Dav.DavHelpers;
using static Caldera.Functions.Tests.Imip.MailBuilder;
using static Caldera.Functions.Tests.Imip.ImipServerFixture;

namespace Caldera.Functions.Tests.Imip;

/// <summary>
/// Invitation emails through POST /imip, the queue and the queue function (driven by the local host's pump on
/// Azurite) into the recipient's calendar, checked with CalDAV GET and calendar-query.
/// </summary>
[Collection(ImipServerCollection.Name)]
public sealed class ImipEndToEndTests(ImipServerFixture server)
{
    static ItipMessage ReadFixture(string name)
    {
        using var stream = File.OpenRead(FixturePath(name));
        var mail = ImipMailReader.Read(stream, ImipLimits.Default).Mail!;
        return ItipParser.Parse(mail.Method, mail.CalendarText).Message!;
    }

    static string ObjectPath(string user, ImipRow row) => $"/calendars/{user}/{row.Calendar}/{row.ObjectName}";

    static string TimeRangeQuery(string start, string end) => $"""
        <C:calendar-query xmlns:D="DAV:" xmlns:C="urn:ietf:params:xml:ns:caldav">
          <D:prop><D:getetag/></D:prop>
          <C:filter><C:comp-filter name="VCALENDAR"><C:comp-filter name="VEVENT">
            <C:time-range start="{start}" end="{end}"/>
          </C:comp-filter></C:comp-filter></C:filter>
        </C:calendar-query>
        """;

    async Task<List<string>> QueryAsync(string user, string calendar, string start, string end)
    {
        using var client = server.Dav(user);
        var response = await SendAsync(client, Xml(Report, CalendarPath(user, calendar), TimeRangeQuery(start, end), "1"));
        Assert.Equal(HttpStatusCode.MultiStatus, response.Status);
        return response.Responses().Keys.Select(Uri.UnescapeDataString).ToList();
    }

    async Task<DavResponse> GetObjectAsync(string user, string path)
    {
        using var client = server.Dav(user);
        return await GetAsync(client, path);
    }

    [Theory]
    [InlineData("outlook-request.eml")]
    [InlineData("gmail-request.eml")]
    [InlineData("thunderbird-request.eml")]
    public async Task Client_shaped_invitations_appear_in_the_recipients_calendar(string fixture)
    {
        var itip = ReadFixture(fixture);
        var row = await server.DeliverAsync(await File.ReadAllBytesAsync(FixturePath(fixture)), Alice, "alice");
        Assert.True(row.Status == ImipStatus.Applied, row.ToString());
        Assert.Equal("REQUEST", row.Method);
        Assert.Equal(itip.Uid, row.Uid);
        Assert.Equal("default", row.Calendar);

        var get = await GetObjectAsync("alice", ObjectPath("alice", row));
        Assert.Equal(HttpStatusCode.OK, get.Status);
        Assert.Contains("UID:" + itip.Uid, get.Text.Replace("\r\n ", ""));
        Assert.DoesNotContain("METHOD:", get.Text);

        var start = itip.Master!.DtStart!.AsUtc;
        var hrefs = await QueryAsync("alice", "default", $"{start:yyyyMMdd}T000000Z", $"{start.AddDays(1):yyyyMMdd}T000000Z");
        Assert.Contains(ObjectPath("alice", row), hrefs);
    }

    [Fact]
    public async Task The_readmes_example_invitation_is_applied()
    {
        var example = await File.ReadAllBytesAsync(Path.Combine(RepoPaths.Root, "docs", "examples", "invitation.eml"));
        var row = await server.DeliverAsync(example, "caldera@localhost", "caldera");
        Assert.True(row.Status == ImipStatus.Applied, row.ToString());
        Assert.Equal("kickoff-2027-01@example.com.ics", row.ObjectName);
        Assert.Contains("SUMMARY:Project kick-off", (await GetObjectAsync("caldera", ObjectPath("caldera", row))).Text);
    }

    [Fact]
    public async Task Updates_apply_in_sequence_order_and_a_stale_update_is_ignored()
    {
        var uid = Unique("upd");
        var first = await server.DeliverAsync(Build(Organizer, Alice, "REQUEST", Itip("REQUEST", Invite(uid, summary: "First"))), Alice, "alice");
        Assert.True(first.Status == ImipStatus.Applied, first.ToString());

        var update = await server.DeliverAsync(Build(Organizer, Alice, "REQUEST",
            Itip("REQUEST", Invite(uid, sequence: 2, summary: "Moved", start: "20270511T140000Z", end: "20270511T150000Z"))), Alice, "alice");
        Assert.True(update.Status == ImipStatus.Applied, update.ToString());
        var stale = await server.DeliverAsync(Build(Organizer, Alice, "REQUEST",
            Itip("REQUEST", Invite(uid, sequence: 1, summary: "Older", stamp: "20270402T080000Z"))), Alice, "alice");
        Assert.True(stale.Status == ImipStatus.IgnoredStale, stale.ToString());

        var body = (await GetObjectAsync("alice", ObjectPath("alice", first))).Text;
        Assert.Contains("SUMMARY:Moved", body);
        Assert.DoesNotContain("Older", body);
        Assert.Contains(ObjectPath("alice", first), await QueryAsync("alice", "default", "20270511T000000Z", "20270512T000000Z"));
        Assert.DoesNotContain(ObjectPath("alice", first), await QueryAsync("alice", "default", "20270510T000000Z", "20270511T000000Z"));
    }

    [Fact]
    public async Task Cancelling_one_instance_removes_only_that_instance()
    {
        var uid = Unique("series");
        var series = await server.DeliverAsync(Build(Organizer, Alice, "REQUEST",
            Itip("REQUEST", Invite(uid, rrule: "FREQ=DAILY;COUNT=5", start: "20270601T090000Z", end: "20270601T093000Z"))), Alice, "alice");
        Assert.True(series.Status == ImipStatus.Applied, series.ToString());
        var cancel = await server.DeliverAsync(Build(Organizer, Alice, "CANCEL",
            Itip("CANCEL", Invite(uid, sequence: 1, recurrenceId: "20270603T090000Z", start: "20270603T090000Z", end: "20270603T093000Z"))), Alice, "alice");
        Assert.True(cancel.Status == ImipStatus.Applied, cancel.ToString());

        var path = ObjectPath("alice", series);
        Assert.DoesNotContain(path, await QueryAsync("alice", "default", "20270603T000000Z", "20270604T000000Z"));
        Assert.Contains(path, await QueryAsync("alice", "default", "20270602T000000Z", "20270603T000000Z"));
        Assert.Contains(path, await QueryAsync("alice", "default", "20270604T000000Z", "20270605T000000Z"));
        Assert.Contains("EXDATE", (await GetObjectAsync("alice", path)).Text);
    }

    [Fact]
    public async Task Cancelling_the_series_marks_it_cancelled()
    {
        var uid = Unique("gone");
        var request = await server.DeliverAsync(Build(Organizer, Alice, "REQUEST", Itip("REQUEST", Invite(uid))), Alice, "alice");
        var cancel = await server.DeliverAsync(Build(Organizer, Alice, "CANCEL", Itip("CANCEL", Invite(uid, sequence: 1))), Alice, "alice");
        Assert.True(cancel.Status == ImipStatus.Applied, cancel.ToString());
        Assert.Contains("STATUS:CANCELLED", (await GetObjectAsync("alice", ObjectPath("alice", request))).Text);
    }

    [Fact]
    public async Task A_reply_updates_the_attendees_partstat_on_the_organizers_copy()
    {
        var uid = Unique("meet");
        using (var olga = server.Dav("olga"))
        {
            // The server adds SCHEDULE-STATUS to an organizer's copy (RFC 6638 §3.2.9), so this PUT answers no ETag.
            var put = await SendAsync(olga, Put($"/calendars/olga/default/{uid}.ics", Itip("REQUEST", Invite(uid,
                attendees: ["PARTSTAT=NEEDS-ACTION:mailto:alice@example.com", "PARTSTAT=NEEDS-ACTION:mailto:bob@example.org"])).Replace("METHOD:REQUEST\r\n", "")));
            Assert.True(put.Status == HttpStatusCode.Created, put.ToString());
        }

        var reply = await server.DeliverAsync(Build("Alice <alice@example.com>", Organizer, "REPLY",
            Itip("REPLY", Invite(uid, attendees: ["PARTSTAT=ACCEPTED:mailto:alice@example.com"]))), Organizer, "olga");
        Assert.True(reply.Status == ImipStatus.Applied, reply.ToString());
        Assert.Equal($"{uid}.ics", reply.ObjectName);

        var body = (await GetObjectAsync("olga", $"/calendars/olga/default/{uid}.ics")).Text.Replace("\r\n ", "");
        var attendees = body.Split("\r\n").Where(l => l.StartsWith("ATTENDEE", StringComparison.Ordinal)).ToList();
        Assert.Contains(attendees, l => l.EndsWith(":mailto:alice@example.com", StringComparison.Ordinal) && l.Contains("PARTSTAT=ACCEPTED"));
        Assert.Contains(attendees, l => l.EndsWith(":mailto:bob@example.org", StringComparison.Ordinal) && l.Contains("PARTSTAT=NEEDS-ACTION"));
    }

    [Fact]
    public async Task The_same_email_delivered_twice_has_one_effect()
    {
        var uid = Unique("dup");
        var raw = Build(Organizer, Alice, "REQUEST", Itip("REQUEST", Invite(uid)), messageId: $"{uid}@mail.example.com");
        var first = await server.DeliverAsync(raw, Alice, "alice");
        Assert.True(first.Status == ImipStatus.Applied, first.ToString());
        var etag = (await GetObjectAsync("alice", ObjectPath("alice", first))).ETag;

        var second = await server.DeliverAsync(raw, Alice, "alice");
        Assert.True(second.Status == ImipStatus.IgnoredDuplicate, second.ToString());
        Assert.Contains(first.Id, second.Reason);
        Assert.Equal(etag, (await GetObjectAsync("alice", ObjectPath("alice", first))).ETag);
    }

    [Fact]
    public async Task An_email_put_straight_onto_the_queue_is_processed_like_a_webhook_one()
    {
        var uid = Unique("direct");
        var raw = Build(Organizer, Alice, "REQUEST", Itip("REQUEST", Invite(uid)));
        var inbox = server.Services.GetRequiredService<ImipInbox>();
        var id = Guid.NewGuid().ToString("N");
        await inbox.EnqueueAsync(new ImipQueueMessage { Id = id, Mime = Convert.ToBase64String(raw), Recipient = "ALICE@example.com" }, CancellationToken.None);

        var row = await server.WaitAsync("alice", id);
        Assert.True(row.Status == ImipStatus.Applied, row.ToString());
        Assert.NotNull(row.Blob);
        Assert.True(await inbox.ExistsAsync(row.Blob!, CancellationToken.None), "the inline email is kept as a blob too");
        Assert.Equal(HttpStatusCode.OK, (await GetObjectAsync("alice", ObjectPath("alice", row))).Status);
    }

    [Fact]
    public async Task A_calendar_that_handles_imip_itself_gets_the_message()
    {
        var uid = Unique("sink");
        var row = await server.DeliverAsync(Build(Organizer, "handled@example.com", "REQUEST",
            Itip("REQUEST", Invite(uid, attendees: ["PARTSTAT=NEEDS-ACTION:mailto:handled@example.com"]))), "handled@example.com", "handled");
        Assert.True(row.Status == ImipStatus.Applied, row.ToString());
        Assert.Equal($"app-generated--{ImipSinkProvider.Id}--inbox", row.Calendar);
        Assert.Contains(ImipSinkProvider.Received, r => r.Owner == "handled" && r.Data.Contains("UID:" + uid));
        // nothing went to the user's own default calendar
        Assert.Equal(HttpStatusCode.NotFound, (await GetObjectAsync("handled", $"/calendars/handled/default/{uid}.ics")).Status);
    }

    [Fact]
    public async Task An_unknown_recipient_is_recorded_and_the_email_dropped()
    {
        var id = await server.PostAsync(Build(Organizer, "nobody@example.com", "REQUEST", Itip("REQUEST", Invite(Unique("lost")))), "nobody@example.com");
        var row = await server.WaitAsync(null, id);
        Assert.True(row.Status == ImipStatus.UnknownRecipient, row.ToString());
        Assert.Equal("nobody@example.com", row.Recipient);
        Assert.Null(row.Blob);
        var blobs = server.Services.GetRequiredService<Azure.Storage.Blobs.BlobServiceClient>()
            .GetBlobContainerClient(server.Services.GetRequiredService<Caldera.Storage.StorageLayout>().ImipContainer);
        await foreach (var blob in blobs.GetBlobsAsync())
            Assert.DoesNotContain(id, blob.Name);
    }
}

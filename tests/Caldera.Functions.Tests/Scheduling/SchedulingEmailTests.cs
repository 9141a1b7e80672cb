using System.Net;
using Caldera.Functions.Tests.Dav;
using Caldera.Functions.Tests.Imip;
using Caldera.Imip.Mime;
using static Caldera.Functions.Tests.Dav.DavHelpers;
using static Caldera.Functions.Tests.Scheduling.SchedulingText;

namespace Caldera.Functions.Tests.Scheduling;

/// <summary>
/// Implicit scheduling with people outside Caldera: an outside attendee is mailed through the outbound queue and a
/// real SMTP server, their emailed answer comes back through /imip into the organizer's copy (Schedule-Tag kept),
/// and an internal delivery that keeps failing is not lost but mailed to the recipient's address.
/// </summary>
[Collection(SchedulingServerCollection.Name)]
public sealed class SchedulingEmailTests(SchedulingServerFixture fixture)
{
    const string Carol = "carol@example.com";

    async Task<string> InviteAsync(string uid, params string[] attendees)
    {
        using var alice = fixture.Dav("alice");
        var path = CalendarPath("alice", "default") + uid + ".ics";
        var put = await SendAsync(alice, Put(path, Invitation(uid, Mailto("alice"), attendees)));
        Assert.True(put.Status == HttpStatusCode.Created, $"PUT {path}: {put}");
        return path;
    }

    async Task<DavResponse> GetAliceAsync(string path)
    {
        using var alice = fixture.Dav("alice");
        var get = await GetAsync(alice, path);
        Assert.True(get.Status == HttpStatusCode.OK, $"GET {path}: {get}");
        return get;
    }

    [Fact]
    public async Task An_outside_attendee_is_mailed_and_their_emailed_answer_reaches_the_organizer_copy()
    {
        var uid = Unique("ext");
        var path = await InviteAsync(uid, "mailto:" + Carol, Mailto("bob"));
        var invited = await GetAliceAsync(path);
        Assert.Equal("1.1", ScheduleStatus(invited.Text, "mailto:" + Carol));
        Assert.Equal("1.2", ScheduleStatus(invited.Text, Mailto("bob")));

        // The email carol gets reads back through Caldera's own inbound reader as the REQUEST alice sent.
        var (row, mail) = await fixture.SentAsync("alice", Carol, uid, "REQUEST");
        Assert.Equal("alice@example.com", row.From);
        Assert.Contains(Carol, mail.Recipients, StringComparer.OrdinalIgnoreCase);
        using (var raw = new MemoryStream(mail.Raw))
        {
            var read = ImipMailReader.Read(raw, ImipLimits.Default);
            Assert.True(read.Mail is not null, $"the outbound email does not read as iMIP: {read.Refusal}");
            Assert.Equal("REQUEST", read.Mail.Method);
            Assert.Contains($"UID:{uid}", read.Mail.CalendarText, StringComparison.Ordinal);
            Assert.Equal("NEEDS-ACTION", PartStat(read.Mail.CalendarText, "mailto:" + Carol));
        }

        // carol accepts from her own mail client: a REPLY email to alice's address, posted by the mail gateway.
        var reply = MailBuilder.Itip("REPLY",
            $"BEGIN:VEVENT\r\nUID:{uid}\r\nDTSTAMP:20260105T000000Z\r\nSEQUENCE:0\r\nDTSTART:20270111T100000Z\r\n" +
            $"ORGANIZER:{Mailto("alice")}\r\nATTENDEE;PARTSTAT=ACCEPTED:mailto:{Carol}\r\nEND:VEVENT\r\n");
        var status = await fixture.PostImipAsync(MailBuilder.Build(Carol, "alice@example.com", "REPLY", reply), "alice@example.com", "alice");
        Assert.True(status.Status == "applied", $"carol's REPLY: {status}");

        var answered = await GetAliceAsync(path);
        Assert.Equal("ACCEPTED", PartStat(answered.Text, "mailto:" + Carol));
        Assert.Equal(invited.Headers.GetValues("Schedule-Tag").Single(), answered.Headers.GetValues("Schedule-Tag").Single());
        Assert.NotEqual(invited.ETag, answered.ETag);
    }

    [Fact]
    public async Task An_internal_delivery_that_keeps_failing_is_mailed_to_the_recipient_instead_of_lost()
    {
        var uid = Unique("fail");
        var before = Volatile.Read(ref ExplodingImipProvider.Attempts);
        await InviteAsync(uid, Mailto("poisoned"));

        // The recipient's iMIP provider throws on every try: the dispatcher tried it inline, then queued the email.
        Assert.True(Volatile.Read(ref ExplodingImipProvider.Attempts) - before >= Caldera.Scheduling.Delivery.SchedulingDispatcher.Attempts);
        var (row, mail) = await fixture.SentAsync("alice", "poisoned@example.com", uid, "REQUEST");
        Assert.Equal("alice@example.com", row.From);
        using var raw = new MemoryStream(mail.Raw);
        var read = ImipMailReader.Read(raw, ImipLimits.Default);
        Assert.True(read.Mail is not null, $"the fallback email does not read as iMIP: {read.Refusal}");
        Assert.Contains($"UID:{uid}", read.Mail.CalendarText, StringComparison.Ordinal);
    }
}

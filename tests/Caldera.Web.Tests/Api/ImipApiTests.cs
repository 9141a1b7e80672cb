using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Caldera.Storage.Imip;
using Microsoft.Extensions.DependencyInjection;

namespace Caldera.Web.Tests.Api;

/// <summary>imip: the user's own invitation status rows, newest first, at most 100.</summary>
[Collection(WebServerCollection.Name)]
public sealed class ImipApiTests(WebServerFixture fixture)
{
    [Fact]
    public async Task Lists_the_user_s_own_rows_newest_first_and_at_most_100()
    {
        using var client = await ApiUsers.SignedInAsync(fixture, "imip");
        using var other = await ApiUsers.SignedInAsync(fixture, "imipother");
        var store = fixture.Services.GetRequiredService<ImipStatusStore>();
        var start = new DateTimeOffset(2027, 1, 1, 0, 0, 0, TimeSpan.Zero);
        for (var i = 0; i < 105; i++)
            await store.UpsertAsync(new ImipStatusRecord
            {
                User = client.User, Id = $"msg-{i:D3}", Received = start.AddMinutes(i), Recipient = $"{client.User}@example.com",
                Status = i == 104 ? ImipStatus.Quarantined : ImipStatus.Applied, Reason = i == 104 ? "sender-not-organizer <b>" : null,
                From = "organizer@example.org", Subject = $"Invitation {i}", Updated = start.AddMinutes(i),
            }, default);

        var rows = (await client.GetJsonAsync("imip")).AsArray();
        Assert.Equal(100, rows.Count);
        var newest = rows[0]!;
        Assert.Equal("Invitation 104", ApiUsers.Text(newest, "subject"));
        Assert.Equal("organizer@example.org", ApiUsers.Text(newest, "from"));
        Assert.Equal("quarantined", ApiUsers.Text(newest, "status"));
        Assert.Equal("sender-not-organizer <b>", ApiUsers.Text(newest, "reason"));
        Assert.Equal(start.AddMinutes(104), DateTimeOffset.Parse(ApiUsers.Text(newest, "received")));
        Assert.Equal("Invitation 5", ApiUsers.Text(rows[99], "subject"));
        Assert.Empty((await other.GetJsonAsync("imip")).AsArray());
    }

    [Fact]
    public async Task An_invitation_emailed_through_the_imip_webhook_is_listed_with_its_subject()
    {
        using var client = await ApiUsers.SignedInAsync(fixture, "invited");
        var mail = string.Join("\r\n",
            "From: Olga Organizer <olga@example.org>", $"To: {client.User}@example.com", "Subject: =?utf-8?Q?Caf=C3=A9_planning?=",
            "Message-ID: <web-imip-1@example.org>", "Date: Mon, 4 Jan 2027 08:00:00 +0000", "MIME-Version: 1.0",
            "Content-Type: text/calendar; charset=utf-8; method=REQUEST", "",
            "BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//test//EN", "METHOD:REQUEST", "BEGIN:VEVENT", "UID:web-imip-1@example.org",
            "DTSTAMP:20270104T080000Z", "DTSTART:20270110T100000Z", "DTEND:20270110T110000Z", "SUMMARY:Café planning",
            "ORGANIZER:mailto:olga@example.org", $"ATTENDEE;PARTSTAT=NEEDS-ACTION:mailto:{client.User}@example.com",
            "END:VEVENT", "END:VCALENDAR", "");
        using var management = fixture.CreateManagementClient();
        using var content = new ByteArrayContent(Encoding.UTF8.GetBytes(mail));
        content.Headers.ContentType = new MediaTypeHeaderValue("message/rfc822");
        using var request = new HttpRequestMessage(HttpMethod.Post, "imip") { Content = content };
        request.Headers.Add("X-Caldera-Recipient", $"{client.User}@example.com");
        using (var posted = await management.SendAsync(request))
            Assert.Equal(HttpStatusCode.Accepted, posted.StatusCode);

        // The queue function processes it in the background; the row ends in a status other than "failed".
        var deadline = DateTime.UtcNow.AddSeconds(60);
        System.Text.Json.Nodes.JsonNode? row = null;
        while (DateTime.UtcNow < deadline)
        {
            row = (await client.GetJsonAsync("imip")).AsArray().FirstOrDefault();
            if (row is not null && ApiUsers.Text(row, "status") != ImipStatus.Failed)
                break;
            await Task.Delay(100);
        }
        Assert.NotNull(row);
        Assert.Equal("Café planning", ApiUsers.Text(row, "subject"));
        Assert.Equal("olga@example.org", ApiUsers.Text(row, "from"));
        Assert.Equal(ImipStatus.Applied, ApiUsers.Text(row, "status"));
    }
}

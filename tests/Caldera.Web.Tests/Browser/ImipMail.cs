using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace Caldera.Web.Tests.Browser;

/// <summary>
/// Delivers an invitation email as an inbound mail service would (POST /imip with the function key, the raw message
/// and its envelope recipient) and waits for the queue function to record what became of it.
/// </summary>
public static class ImipMail
{
    /// <summary>A raw iMIP REQUEST from mallory@example.net to <paramref name="to"/>, with any Subject.</summary>
    public static byte[] Invitation(string to, string subject, string uid, string summary, string start, string end)
    {
        var calendar = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Caldera browser tests//EN\r\nMETHOD:REQUEST\r\n" +
            "BEGIN:VEVENT\r\n" +
            $"UID:{uid}\r\nDTSTAMP:20270101T000000Z\r\nSEQUENCE:0\r\nSUMMARY:{Ics.Text(summary)}\r\n" +
            $"DTSTART:{start}\r\nDTEND:{end}\r\n" +
            "ORGANIZER:mailto:mallory@example.net\r\n" +
            $"ATTENDEE;PARTSTAT=NEEDS-ACTION;RSVP=TRUE:mailto:{to}\r\n" +
            "END:VEVENT\r\nEND:VCALENDAR\r\n";
        var mail = "From: Mallory <mallory@example.net>\r\n" +
            $"To: <{to}>\r\n" +
            $"Subject: {subject}\r\n" +
            $"Message-ID: <{Guid.NewGuid():N}@example.net>\r\n" +
            "Date: Mon, 01 Mar 2027 09:00:00 +0000\r\n" +
            "MIME-Version: 1.0\r\n" +
            "Content-Type: text/calendar; charset=utf-8; method=REQUEST\r\n" +
            "Content-Transfer-Encoding: 8bit\r\n" +
            "\r\n" + calendar;
        return Encoding.UTF8.GetBytes(mail);
    }

    /// <summary>POSTs <paramref name="raw"/> to /imip for <paramref name="recipient"/> and waits until <paramref name="user"/>'s
    /// status list holds its row; returns that row's status.</summary>
    public static async Task<string> DeliverAsync(WebServerFixture server, byte[] raw, string recipient, string user)
    {
        using var client = server.CreateManagementClient();
        using var content = new ByteArrayContent(raw);
        content.Headers.ContentType = new MediaTypeHeaderValue("message/rfc822");
        using var post = new HttpRequestMessage(HttpMethod.Post, "imip") { Content = content };
        post.Headers.Add("X-Caldera-Recipient", recipient);
        using var posted = await client.SendAsync(post);
        var receipt = await posted.Content.ReadAsStringAsync();
        Assert.True(posted.StatusCode == HttpStatusCode.Accepted, $"POST /imip: {(int)posted.StatusCode} {receipt}");
        var id = JsonDocument.Parse(receipt).RootElement.GetProperty("id").GetString();

        // The queue function runs on the local host's pump; poll its status rows (management API) until it has run.
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (DateTime.UtcNow < deadline)
        {
            using var rows = JsonDocument.Parse(await client.GetStringAsync($"manage/users/{user}/imip?limit=1000"));
            foreach (var row in rows.RootElement.EnumerateArray())
                if (row.GetProperty("id").GetString() == id && row.GetProperty("status").GetString() is { } status and not "failed")
                    return status;
            await Task.Delay(100);
        }
        throw new Xunit.Sdk.XunitException($"the email {id} to {recipient} was not processed within 60 s");
    }
}

using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Xml.Linq;
using Caldera.Functions.Tests.Dav;
using static Caldera.Functions.Tests.Dav.DavHelpers;

namespace Caldera.Functions.Tests.Scheduling;

/// <summary>
/// Free-busy through the outbox (RFC 6638 §5): POST of a VFREEBUSY REQUEST answered with CALDAV:schedule-response,
/// busy time for Caldera users that honours TRANSP, STATUS and schedule-calendar-transp, clear statuses for everyone
/// else, and the refusals of the preconditions.
/// </summary>
[Collection(DavSchedulingCollection.Name)]
public sealed class DavOutboxPostTests(DavSchedulingFixture server)
{
    const string Outbox = "/calendars/alice/outbox/";

    static string Request(string organizer, IEnumerable<string> attendees, string start = "20250203T000000Z", string end = "20250204T000000Z",
        string method = "REQUEST", string component = "VFREEBUSY") =>
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Caldera tests//EN\r\n" + $"METHOD:{method}\r\nBEGIN:{component}\r\nUID:fb-{Guid.NewGuid():N}\r\n" +
        $"DTSTAMP:20250101T000000Z\r\nDTSTART:{start}\r\nDTEND:{end}\r\nORGANIZER:{organizer}\r\n" +
        string.Concat(attendees.Select(a => $"ATTENDEE:{a}\r\n")) + $"END:{component}\r\nEND:VCALENDAR\r\n";

    static HttpRequestMessage Post(string path, string body, string contentType = "text/calendar; charset=utf-8")
    {
        var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new ByteArrayContent(Encoding.UTF8.GetBytes(body)) };
        request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        return request;
    }

    static Dictionary<string, XElement> Answers(DavResponse response)
    {
        Assert.Equal(C + "schedule-response", response.Xml.Root!.Name);
        return response.Xml.Root.Elements(C + "response")
            .ToDictionary(r => r.Element(C + "recipient")!.Element(D + "href")!.Value, r => r);
    }

    [Fact]
    public async Task Busy_time_of_a_user_honours_transp_status_and_transparent_calendars()
    {
        using var dora = server.CreateClient("dora");
        var busyCalendar = await MakeCalendarAsync(dora, "dora", Unique("work"));
        var freeCalendar = await MakeCalendarAsync(dora, "dora", Unique("holidays"));
        await PutNewAsync(dora, busyCalendar + "opaque.ics", Event(Unique("u"), "meeting", "20250203T090000Z", "20250203T100000Z"));
        await PutNewAsync(dora, busyCalendar + "transparent.ics", Event(Unique("u"), "reminder", "20250203T110000Z", "20250203T120000Z", "TRANSP:TRANSPARENT\r\n"));
        await PutNewAsync(dora, busyCalendar + "cancelled.ics", Event(Unique("u"), "off", "20250203T130000Z", "20250203T140000Z", "STATUS:CANCELLED\r\n"));
        await PutNewAsync(dora, busyCalendar + "tentative.ics", Event(Unique("u"), "maybe", "20250203T150000Z", "20250203T160000Z", "STATUS:TENTATIVE\r\n"));
        await PutNewAsync(dora, freeCalendar + "holiday.ics", Event(Unique("u"), "someone's birthday", "20250203T170000Z", "20250203T180000Z"));
        var patch = await SendAsync(dora, Xml(Proppatch, freeCalendar, """
            <D:propertyupdate xmlns:D="DAV:" xmlns:C="urn:ietf:params:xml:ns:caldav"><D:set><D:prop>
              <C:schedule-calendar-transp><C:transparent/></C:schedule-calendar-transp>
            </D:prop></D:set></D:propertyupdate>
            """));
        Assert.Equal(200, patch.Responses()[freeCalendar].StatusOf(C + "schedule-calendar-transp"));

        using var alice = server.CreateClient("alice");
        var response = await SendAsync(alice, Post(Outbox, Request("mailto:alice@example.com", ["mailto:DORA@example.com"])));
        Assert.Equal(HttpStatusCode.OK, response.Status);
        var answer = Assert.Single(Answers(response)).Value;
        Assert.Equal("2.0;Success", answer.Element(C + "request-status")!.Value);
        var data = answer.Element(C + "calendar-data")!.Value;
        var lines = data.Split('\n').Select(l => l.TrimEnd('\r')).ToList(); // XML text carries CRLF as LF
        Assert.Contains("METHOD:REPLY", lines);
        Assert.Contains("ATTENDEE:mailto:dora@example.com", lines);
        Assert.Contains("ORGANIZER:mailto:alice@example.com", lines);
        Assert.Contains("DTSTART:20250203T000000Z", lines);
        Assert.Contains("DTEND:20250204T000000Z", lines);
        var busy = lines.Where(l => l.StartsWith("FREEBUSY", StringComparison.Ordinal)).ToList();
        Assert.Equal(["FREEBUSY:20250203T090000Z/20250203T100000Z", "FREEBUSY;FBTYPE=BUSY-TENTATIVE:20250203T150000Z/20250203T160000Z"], busy);
    }

    [Fact]
    public async Task External_and_invalid_recipients_get_their_own_status()
    {
        using var alice = server.CreateClient("alice");
        var response = await SendAsync(alice, Post(Outbox, Request("mailto:alice@example.com",
            ["mailto:carol@example.org", "urn:uuid:5f1c0f5e-0000-4000-8000-000000000001", "mailto:bob@example.com"])));
        Assert.Equal(HttpStatusCode.OK, response.Status);
        var answers = Answers(response);
        Assert.Equal("5.3;No scheduling support for user", answers["mailto:carol@example.org"].Element(C + "request-status")!.Value);
        Assert.Null(answers["mailto:carol@example.org"].Element(C + "calendar-data"));
        Assert.Equal("3.7;Invalid calendar user", answers["urn:uuid:5f1c0f5e-0000-4000-8000-000000000001"].Element(C + "request-status")!.Value);
        Assert.Equal("2.0;Success", answers["mailto:bob@example.com"].Element(C + "request-status")!.Value);
    }

    [Fact]
    public async Task Only_the_owner_may_be_the_organizer()
    {
        using var alice = server.CreateClient("alice");
        var response = await SendAsync(alice, Post(Outbox, Request("mailto:bob@example.com", ["mailto:dora@example.com"])));
        Assert.Equal(HttpStatusCode.Forbidden, response.Status);
        Assert.Contains(C + "organizer-allowed", response.ErrorConditions());
    }

    [Fact]
    public async Task Only_free_busy_requests_are_accepted()
    {
        using var alice = server.CreateClient("alice");
        var invite = await SendAsync(alice, Post(Outbox, Request("mailto:alice@example.com", ["mailto:dora@example.com"], component: "VEVENT")));
        Assert.Equal(HttpStatusCode.Forbidden, invite.Status);
        Assert.Contains(C + "valid-scheduling-message", invite.ErrorConditions());
        var reply = await SendAsync(alice, Post(Outbox, Request("mailto:alice@example.com", ["mailto:dora@example.com"], method: "REPLY")));
        Assert.Equal(HttpStatusCode.Forbidden, reply.Status);
        var backwards = await SendAsync(alice, Post(Outbox, Request("mailto:alice@example.com", ["mailto:dora@example.com"], "20250204T000000Z", "20250203T000000Z")));
        Assert.Equal(HttpStatusCode.BadRequest, backwards.Status);
        Assert.Contains(C + "valid-scheduling-message", backwards.ErrorConditions());
        var noAttendee = await SendAsync(alice, Post(Outbox, Request("mailto:alice@example.com", [])));
        Assert.Equal(HttpStatusCode.BadRequest, noAttendee.Status);
        var garbage = await SendAsync(alice, Post(Outbox, "this is not iCalendar"));
        Assert.Equal(HttpStatusCode.BadRequest, garbage.Status);
        var xml = await SendAsync(alice, Post(Outbox, "<x/>", "application/xml"));
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, xml.Status);
        Assert.Contains(C + "supported-calendar-data", xml.ErrorConditions());
    }

    [Fact]
    public async Task Requests_are_bounded_in_attendees_and_size()
    {
        using var alice = server.CreateClient("alice");
        var many = Enumerable.Range(0, 101).Select(i => $"mailto:guest{i}@example.org");
        var tooMany = await SendAsync(alice, Post(Outbox, Request("mailto:alice@example.com", many)));
        Assert.Equal(HttpStatusCode.Forbidden, tooMany.Status);
        Assert.Contains("at most 100", tooMany.Text);
        var huge = await SendAsync(alice, Post(Outbox, Request("mailto:alice@example.com", ["mailto:dora@example.com"]) + new string('x', 200_000)));
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, huge.Status);
    }

    [Fact]
    public async Task Post_elsewhere_is_refused()
    {
        using var bob = server.CreateClient("bob");
        // Another user's outbox is not found; one's own calendar does not take POST.
        Assert.Equal(HttpStatusCode.NotFound, (await SendAsync(bob, Post(Outbox, Request("mailto:bob@example.com", ["mailto:dora@example.com"])))).Status);
        var calendar = await SendAsync(bob, Post("/calendars/bob/default/", Request("mailto:bob@example.com", ["mailto:dora@example.com"])));
        Assert.Equal(HttpStatusCode.MethodNotAllowed, calendar.Status);
    }
}

using System.Text;
using System.Xml.Linq;
using Caldera.Dav.Scheduling;

namespace Caldera.Dav.Tests.Scheduling;

public class FreeBusyRequestTests
{
    static readonly XNamespace C = "urn:ietf:params:xml:ns:caldav";

    static byte[] Body(string method = "REQUEST", string component = "VFREEBUSY", string start = "DTSTART:20250203T000000Z",
        string end = "DTEND:20250204T000000Z", string organizer = "ORGANIZER;CN=Alice:mailto:alice@example.com", params string[] attendees) =>
        Encoding.UTF8.GetBytes("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//t//EN\r\n" + (method.Length > 0 ? $"METHOD:{method}\r\n" : "") +
            $"BEGIN:{component}\r\nUID:fb1\r\nDTSTAMP:20250101T000000Z\r\n{start}\r\n{end}\r\n{organizer}\r\n" +
            string.Concat((attendees.Length == 0 ? ["mailto:bob@example.com"] : attendees).Select(a => $"ATTENDEE:{a}\r\n")) +
            $"END:{component}\r\nEND:VCALENDAR\r\n");

    static DavException Refused(byte[] body) => Assert.Throws<DavException>(() => FreeBusyRequest.Parse(body));

    [Fact]
    public void A_well_formed_request_is_read()
    {
        var r = FreeBusyRequest.Parse(Body(attendees: ["mailto:bob@example.com", "mailto:BOB@example.com", "mailto:carol@example.org"]));
        Assert.Equal("mailto:alice@example.com", r.Organizer);
        Assert.Equal(["mailto:bob@example.com", "mailto:carol@example.org"], r.Attendees); // duplicates once
        Assert.Equal(new DateTime(2025, 2, 3, 0, 0, 0, DateTimeKind.Utc), r.Start);
        Assert.Equal(new DateTime(2025, 2, 4, 0, 0, 0, DateTimeKind.Utc), r.End);
        Assert.Equal("fb1", r.Uid);
    }

    [Theory]
    [InlineData("", "VFREEBUSY", 400)]       // no METHOD
    [InlineData("REPLY", "VFREEBUSY", 403)]  // not a request
    [InlineData("REQUEST", "VEVENT", 403)]   // invitations go through implicit scheduling
    public void Other_messages_are_not_valid_scheduling_messages_here(string method, string component, int status)
    {
        var e = Refused(Body(method, component));
        Assert.Equal(status, e.Status);
        Assert.Equal(C + "valid-scheduling-message", e.Condition!.Name);
    }

    [Theory]
    [InlineData("DTSTART:20250203T000000", "DTEND:20250204T000000Z")]          // floating
    [InlineData("DTSTART;VALUE=DATE:20250203", "DTEND:20250204T000000Z")]      // a date
    [InlineData("DTSTART:20250204T000000Z", "DTEND:20250203T000000Z")]         // backwards
    [InlineData("X-NONE:1", "DTEND:20250204T000000Z")]                          // missing
    public void The_range_must_be_utc_date_times_in_order(string start, string end)
    {
        var e = Refused(Body(start: start, end: end));
        Assert.Equal(400, e.Status);
        Assert.Equal(C + "valid-scheduling-message", e.Condition!.Name);
    }

    [Fact]
    public void Organizer_and_attendees_are_required_and_attendees_bounded()
    {
        Assert.Equal(400, Refused(Body(organizer: "X-NO-ORGANIZER:1")).Status);
        var many = Enumerable.Range(0, FreeBusyRequest.MaxAttendees + 1).Select(i => $"mailto:g{i}@example.org").ToArray();
        var e = Refused(Body(attendees: many));
        Assert.Equal(403, e.Status);
        Assert.Contains("at most 100", e.Message);
        Assert.Equal(FreeBusyRequest.MaxAttendees, FreeBusyRequest.Parse(Body(attendees: many[..^1])).Attendees.Count);
    }

    [Fact]
    public void Garbage_is_not_valid_calendar_data()
    {
        var e = Refused(Encoding.UTF8.GetBytes("BEGIN:VCALENDAR\r\nBEGIN:VFREEBUSY\r\n"));
        Assert.Equal(400, e.Status);
    }

    [Theory]
    [InlineData("mailto:Bob@Example.com", "bob@example.com")]
    [InlineData("MAILTO:bob%40example.com", "bob@example.com")]
    [InlineData("mailto:", null)]
    [InlineData("mailto:a@b@c", null)]
    [InlineData("mailto:bob@example.com%0D%0ABcc:x@y", null)] // a line break smuggled in
    [InlineData("urn:uuid:1234", null)]
    [InlineData("bob@example.com", null)]
    public void Calendar_user_addresses_are_mailto_emails(string address, string? email) =>
        Assert.Equal(email, CalendarUserAddress.Email(address));
}

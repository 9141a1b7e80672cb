using System.Text;
using Caldera.Calendars.Providers;
using Caldera.Dav.Scheduling;

namespace Caldera.Dav.Tests.Scheduling;

/// <summary>
/// X-CALENDARSERVER-MASK-UID (Apple Calendar's free-busy lookups while it edits an event, tests/clients/apple): read from
/// the request, and applied only to the requester's own events.
/// </summary>
public class BusyMaskTests
{
    static string Event(string uid, string? organizer) =>
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//t//EN\r\nBEGIN:VEVENT\r\nUID:" + uid + "\r\nDTSTAMP:20261130T100000Z\r\n" +
        "DTSTART:20261217T100000Z\r\nDTEND:20261217T110000Z\r\n" + (organizer is null ? "" : organizer + "\r\n") +
        "END:VEVENT\r\nEND:VCALENDAR\r\n";

    static byte[] Request(string? mask) => Encoding.UTF8.GetBytes(
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//t//EN\r\nMETHOD:REQUEST\r\nBEGIN:VFREEBUSY\r\nUID:fb1\r\n" +
        "DTSTAMP:20261130T100000Z\r\nDTSTART:20261217T000000Z\r\nDTEND:20261218T000000Z\r\n" +
        "ORGANIZER:mailto:alice@example.com\r\nATTENDEE:mailto:alice@example.com\r\n" +
        (mask is null ? "" : "X-CALENDARSERVER-MASK-UID:" + mask + "\r\n") + "END:VFREEBUSY\r\nEND:VCALENDAR\r\n");

    [Fact]
    public void The_mask_uid_is_read_from_the_request()
    {
        Assert.Equal("EVENT-1", FreeBusyRequest.Parse(Request("EVENT-1")).MaskUid);
        Assert.Null(FreeBusyRequest.Parse(Request(null)).MaskUid);
    }

    [Fact]
    public void An_event_the_requester_organizes_is_hidden()
    {
        var mask = new BusyMask("EVENT-1", "alice@example.com", RequesterIsAttendee: false);
        Assert.True(mask.Hides(new Obj("EVENT-1"), Event("EVENT-1", "ORGANIZER;CN=\"Alice: me\":mailto:ALICE@example.com")));
    }

    [Fact]
    public void Another_uid_or_someone_elses_event_stays_busy()
    {
        var mask = new BusyMask("EVENT-1", "alice@example.com", RequesterIsAttendee: true);
        Assert.False(mask.Hides(new Obj("EVENT-2"), Event("EVENT-2", "ORGANIZER:mailto:alice@example.com")));
        Assert.False(mask.Hides(new Obj("EVENT-1"), Event("EVENT-1", "ORGANIZER:mailto:mallory@example.com")));
    }

    [Fact]
    public void An_event_without_organizer_is_hidden_only_in_the_requesters_own_busy_time()
    {
        Assert.True(new BusyMask("EVENT-1", "alice@example.com", RequesterIsAttendee: true).Hides(new Obj("EVENT-1"), Event("EVENT-1", null)));
        Assert.False(new BusyMask("EVENT-1", "alice@example.com", RequesterIsAttendee: false).Hides(new Obj("EVENT-1"), Event("EVENT-1", null)));
    }

    sealed class Obj(string uid) : ICalendarObject
    {
        public string Name => uid + ".ics";
        public string ETag => "\"1\"";
        public long Size => 0;
        public string ContentType => "text/calendar";
        public DateTimeOffset LastModified => DateTimeOffset.UnixEpoch;
        public string Uid => uid;
        public string Component => "VEVENT";
        public Task<byte[]?> GetDataAsync(CancellationToken ct) => Task.FromResult<byte[]?>(null);
    }
}

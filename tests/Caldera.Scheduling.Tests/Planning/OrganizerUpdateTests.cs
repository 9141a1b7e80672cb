using Caldera.Imip.Itip;
using Caldera.Scheduling.Planning;
using Ical.Net.CalendarComponents;
using static Caldera.Scheduling.Tests.Planning.Ics;
using static Caldera.Scheduling.Tests.Planning.Plans;

namespace Caldera.Scheduling.Tests.Planning;

public sealed class OrganizerUpdateTests
{
    /// <summary>What a client that re-serializes the event sends back: new DTSTAMP and LAST-MODIFIED, its own X- data, alarms, TRANSP, a reply merged in.</summary>
    static string Reserialized(string text) => text
        .Replace("DTSTAMP:20261101T090000Z", "DTSTAMP:20261120T080000Z")
        .Replace("LAST-MODIFIED:20261101T090000Z", "LAST-MODIFIED:20261120T080000Z")
        .Replace("X-MOZ-GENERATION:1", "X-MOZ-GENERATION:2\r\nX-MOZ-LASTACK:20261120T080000Z")
        .Replace("TRIGGER:-PT15M", "TRIGGER:-PT30M")
        .Replace("TRANSP:OPAQUE", "TRANSP:TRANSPARENT")
        .Replace("ATTENDEE;CN=Bob;PARTSTAT=NEEDS-ACTION;ROLE=REQ-PARTICIPANT;RSVP=TRUE", "ATTENDEE;ROLE=REQ-PARTICIPANT;PARTSTAT=ACCEPTED;CN=Bob;SCHEDULE-STATUS=2.0")
        .Replace("DTSTART;TZID=Europe/Berlin:20261201T100000", "DTSTART:20261201T090000Z"); // the same moment in UTC

    [Fact]
    public void A_copy_changed_only_in_what_attendees_need_not_know_sends_nothing_and_is_stored_as_sent()
    {
        var plan = Write(Meeting, Reserialized(Meeting));

        Assert.Equal(SchedulingRole.Organizer, plan.Role);
        Assert.Empty(plan.Messages);
        Assert.Null(plan.StoredText);
        Assert.True(plan.ScheduleTagChanges);
    }

    [Fact]
    public void A_new_summary_is_sent_to_every_attendee()
    {
        var plan = Write(Meeting, Meeting.Replace("SUMMARY:Planning", "SUMMARY:Planning (room changed)"));

        Assert.Equal([Bob, Carol], plan.Messages.Select(m => m.Recipient).Order());
        Assert.Equal("Planning (room changed)", ((CalendarEvent)Only(plan, Bob, "REQUEST").Items[0]).Summary);
        Assert.Equal("1.2", AttendeeParameter(plan.StoredText!, Bob, "SCHEDULE-STATUS"));
    }

    [Fact]
    public void A_new_time_is_sent_to_every_attendee_with_its_SEQUENCE()
    {
        var moved = Meeting.Replace("T100000", "T140000").Replace("T110000", "T150000").Replace("SEQUENCE:0", "SEQUENCE:1");

        var plan = Write(Meeting, moved);

        foreach (var recipient in new[] { Bob, Carol })
        {
            var item = Only(plan, recipient, "REQUEST").Items[0];
            Assert.Equal(1, item.Sequence);
            Assert.Equal(new DateTime(2026, 12, 1, 13, 0, 0, DateTimeKind.Utc), item.DtStart!.AsUtc);
        }
    }

    [Fact]
    public void A_SEQUENCE_raised_alone_is_sent_so_attendee_replies_are_not_stale()
    {
        var plan = Write(Meeting, Meeting.Replace("SEQUENCE:0", "SEQUENCE:3"));

        Assert.Equal(3, Only(plan, Bob, "REQUEST").Items[0].Sequence);
        Assert.Equal(2, plan.Messages.Count);
    }

    [Fact]
    public void A_new_attendee_is_invited_and_the_others_hear_nothing()
    {
        var plan = Write(Meeting, Meeting.Replace(CarolLine, CarolLine + "\r\n" + DaveLine));

        var request = Only(plan, Dave, "REQUEST");
        Assert.Contains(Dave, AttendeeAddresses(request.Items[0]));
        Assert.Single(plan.Messages);
        Assert.Equal("1.1", AttendeeParameter(plan.StoredText!, Dave, "SCHEDULE-STATUS"));
        Assert.Null(AttendeeParameter(plan.StoredText!, Bob, "SCHEDULE-STATUS"));
    }

    [Fact]
    public void A_removed_attendee_gets_a_CANCEL_naming_only_them()
    {
        var plan = Write(Meeting, WithoutAttendee(Meeting, Carol));

        var cancel = Only(plan, Carol, "CANCEL");
        var item = Assert.Single(cancel.Items);
        Assert.Null(item.InstanceId());
        Assert.Equal("CANCELLED", item.Properties.Get<string>("STATUS"));
        Assert.Equal([Carol], AttendeeAddresses(item));
        Assert.Equal(new DateTime(2026, 12, 1, 9, 0, 0, DateTimeKind.Utc), item.DtStart!.AsUtc);
        Assert.Single(plan.Messages);
    }

    [Fact]
    public void Removing_every_attendee_cancels_the_event_for_all_of_them()
    {
        var plan = Write(Meeting, WithoutAttendee(WithoutAttendee(Meeting, Bob), Carol));

        Assert.Equal(SchedulingRole.Organizer, plan.Role);
        Only(plan, Bob, "CANCEL");
        Only(plan, Carol, "CANCEL");
        Assert.True(plan.ScheduleTagChanges);
    }

    [Fact]
    public void Removing_the_ORGANIZER_cancels_the_event_for_the_previous_attendees()
    {
        var plan = Write(Meeting, Meeting.Replace("ORGANIZER;CN=Alice:mailto:alice@example.com\r\n", ""));

        Assert.Null(plan.Refusal);
        Assert.Equal([Bob, Carol], plan.Messages.Select(m => m.Recipient).Order());
        Assert.All(plan.Messages, m => Assert.Equal("CANCEL", m.Method));
        Assert.Equal(Alice, Parsed(plan.Messages[0]).Organizer);
    }

    [Fact]
    public void Setting_STATUS_CANCELLED_cancels_the_event_for_every_attendee_once()
    {
        var cancelled = Meeting.Replace("SUMMARY:Planning", "SUMMARY:Planning\r\nSTATUS:CANCELLED").Replace("SEQUENCE:0", "SEQUENCE:1");

        var plan = Write(Meeting, cancelled);
        var again = Write(cancelled, cancelled.Replace("LOCATION:Room 1", "LOCATION:Room 2"));

        Assert.Equal(1, Only(plan, Bob, "CANCEL").Items[0].Sequence);
        Only(plan, Carol, "CANCEL");
        Assert.Empty(again.Messages);
    }

    [Fact]
    public void Making_an_attendee_optional_tells_only_that_attendee()
    {
        var plan = Write(Meeting, Meeting.Replace("CN=Carol;PARTSTAT=NEEDS-ACTION;ROLE=REQ-PARTICIPANT", "CN=Carol;PARTSTAT=NEEDS-ACTION;ROLE=OPT-PARTICIPANT"));

        Only(plan, Carol, "REQUEST");
        Assert.Single(plan.Messages);
    }

    [Fact]
    public void A_copy_that_did_not_schedule_before_invites_everyone_when_attendees_are_added()
    {
        var alone = WithoutAttendee(WithoutAttendee(Meeting, Bob), Carol);

        var plan = Write(alone, Meeting);

        Assert.Equal([Bob, Carol], plan.Messages.Select(m => m.Recipient).Order());
        Assert.All(plan.Messages, m => Assert.Equal("REQUEST", m.Method));
    }

    const string CarolLine = "ATTENDEE;CN=Carol;PARTSTAT=NEEDS-ACTION;ROLE=REQ-PARTICIPANT;RSVP=TRUE:mailto:carol@example.net";
}

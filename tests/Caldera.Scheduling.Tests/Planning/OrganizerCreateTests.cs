using Caldera.Imip.Itip;
using Caldera.Scheduling.Planning;
using Ical.Net.CalendarComponents;
using static Caldera.Scheduling.Tests.Planning.Ics;
using static Caldera.Scheduling.Tests.Planning.Plans;

namespace Caldera.Scheduling.Tests.Planning;

public sealed class OrganizerCreateTests
{
    [Fact]
    public void A_new_meeting_sends_each_attendee_a_REQUEST_and_the_organizer_nothing()
    {
        var plan = Write(null, Meeting);

        Assert.Equal(SchedulingRole.Organizer, plan.Role);
        Assert.Null(plan.Refusal);
        Assert.True(plan.ScheduleTagChanges);
        Assert.Equal([Bob, Carol], plan.Messages.Select(m => m.Recipient).Order());
        foreach (var recipient in new[] { Bob, Carol })
        {
            var message = Only(plan, recipient, "REQUEST");
            Assert.Equal(Alice, message.Organizer);
            var item = Assert.Single(message.Items);
            Assert.Null(item.InstanceId());
            Assert.Equal([Alice, Bob, Carol], AttendeeAddresses(item));
            Assert.Equal("Planning", ((CalendarEvent)item).Summary);
            Assert.Equal("Europe/Berlin", item.DtStart!.TzId);
            Assert.Single(message.Calendar.TimeZones, z => z.TzId == "Europe/Berlin");
        }
        Assert.All(plan.Messages, m => Assert.Equal((Alice, "meeting-1", "Planning"), (m.From, m.Uid, m.Summary)));
    }

    [Fact]
    public void The_stored_copy_records_each_attendees_delivery_status_and_leaves_the_organizer_alone()
    {
        var plan = Write(null, Meeting);

        Assert.NotNull(plan.StoredText);
        Assert.Equal("1.2", AttendeeParameter(plan.StoredText, Bob, "SCHEDULE-STATUS"));
        Assert.Equal("1.1", AttendeeParameter(plan.StoredText, Carol, "SCHEDULE-STATUS"));
        Assert.Null(AttendeeParameter(plan.StoredText, Alice, "SCHEDULE-STATUS"));
        Assert.Null(OrganizerParameter(plan.StoredText, "SCHEDULE-STATUS"));
        // The organizer's own copy keeps what the messages leave out.
        Assert.Contains("BEGIN:VALARM", plan.StoredText);
        Assert.Contains("X-MOZ-GENERATION:1", plan.StoredText);
    }

    [Fact]
    public void A_SCHEDULE_STATUS_the_client_sent_is_replaced_by_the_servers()
    {
        var sent = Meeting.Replace("ATTENDEE;CN=Bob;", "ATTENDEE;CN=Bob;SCHEDULE-STATUS=5.3;");

        var plan = Write(null, sent);

        Assert.Equal("1.2", AttendeeParameter(plan.StoredText!, Bob, "SCHEDULE-STATUS"));
    }

    [Fact]
    public void Attendees_without_a_PARTSTAT_are_invited_as_NEEDS_ACTION()
    {
        var sent = Meeting.Replace("ATTENDEE;CN=Bob;PARTSTAT=NEEDS-ACTION;", "ATTENDEE;CN=Bob;");

        var request = Only(Write(null, sent), Bob, "REQUEST");

        Assert.Equal("NEEDS-ACTION", AttendeesOf(request.Items[0]).Single(a => a.CommonName == "Bob").ParticipationStatus);
    }

    [Fact]
    public void An_event_whose_only_attendee_is_the_organizer_is_not_a_scheduling_object()
    {
        var sent = WithoutAttendee(WithoutAttendee(Meeting, Bob), Carol);

        var plan = Write(null, sent);

        Assert.Equal(SchedulingRole.None, plan.Role);
        Assert.Empty(plan.Messages);
        Assert.Null(plan.StoredText);
        Assert.False(plan.ScheduleTagChanges);
    }

    [Fact]
    public void An_event_the_owner_neither_organizes_nor_attends_is_not_a_scheduling_object()
    {
        var plan = Write(null, Meeting, owner: Dave);

        Assert.Equal(SchedulingRole.None, plan.Role);
        Assert.Empty(plan.Messages);
    }

    [Fact]
    public void An_organizer_address_among_several_of_the_owner_gets_no_message_under_any_of_them()
    {
        var sent = Meeting.Replace("ORGANIZER;CN=Alice:mailto:alice@example.com", "ORGANIZER;CN=Alice:mailto:Alice.Smith@Example.com");

        var plan = WriteAs(null, sent, "alice.smith@example.com", Alice);

        Assert.Equal(SchedulingRole.Organizer, plan.Role);
        Assert.Equal([Bob, Carol], plan.Messages.Select(m => m.Recipient).Order());
        Assert.All(plan.Messages, m => Assert.Equal("alice.smith@example.com", m.From));
    }

    [Fact]
    public void A_task_with_attendees_is_scheduled_like_an_event()
    {
        var todo = Wrap("""
            BEGIN:VTODO
            UID:task-1
            DTSTAMP:20261101T090000Z
            SEQUENCE:0
            DUE;TZID=Europe/Berlin:20261205T170000
            SUMMARY:Write the report
            ORGANIZER:mailto:alice@example.com
            ATTENDEE;PARTSTAT=NEEDS-ACTION:mailto:bob@example.com
            END:VTODO
            """);

        var request = Only(Write(null, todo), Bob, "REQUEST");

        Assert.Equal("VTODO", request.Kind);
        Assert.Single(request.Calendar.TimeZones, z => z.TzId == "Europe/Berlin");
    }
}

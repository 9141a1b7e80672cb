using Caldera.Imip.Itip;
using Caldera.Scheduling.Planning;
using static Caldera.Scheduling.Tests.Planning.Ics;
using static Caldera.Scheduling.Tests.Planning.Plans;

namespace Caldera.Scheduling.Tests.Planning;

public sealed class DeleteTests
{
    [Fact]
    public void The_organizer_deleting_cancels_the_whole_event_for_every_attendee()
    {
        var plan = Delete(Weekly);

        Assert.Equal(SchedulingRole.Organizer, plan.Role);
        Assert.True(plan.ScheduleTagChanges);
        Assert.Null(plan.StoredText);
        foreach (var recipient in new[] { Bob, Carol })
        {
            var cancel = Only(plan, recipient, "CANCEL");
            Assert.Equal([""], Instances(cancel));
            Assert.Equal([recipient], AttendeeAddresses(cancel.Items[0]));
        }
    }

    [Fact]
    public void The_CANCEL_marks_the_attendees_copy_cancelled_through_the_iTIP_engine()
    {
        var plan = Delete(Meeting);

        var decision = ItipApplier.Apply(Only(plan, Bob, "CANCEL"), Load(Meeting), Bob, null);

        Assert.NotNull(decision.NewText);
        Assert.Contains("STATUS:CANCELLED", decision.NewText);
    }

    [Fact]
    public void Deleting_an_event_already_cancelled_sends_nothing_more()
    {
        var cancelled = Meeting.Replace("SUMMARY:Planning", "SUMMARY:Planning\r\nSTATUS:CANCELLED");

        Assert.Empty(Delete(cancelled).Messages);
    }

    [Fact]
    public void An_attendee_deleting_their_copy_declines()
    {
        var plan = Delete(Meeting, Bob);

        Assert.Equal(SchedulingRole.Attendee, plan.Role);
        var message = Assert.Single(plan.Messages);
        Assert.Equal((Alice, Bob, "REPLY"), (message.Recipient, message.From, message.Method));
        Assert.Equal("DECLINED", Assert.Single(AttendeesOf(Parsed(message).Items[0])).ParticipationStatus);
    }

    [Fact]
    public void An_attendee_deleting_a_declined_or_cancelled_copy_sends_nothing()
    {
        var declined = Meeting.Replace("CN=Bob;PARTSTAT=NEEDS-ACTION", "CN=Bob;PARTSTAT=DECLINED");
        var cancelled = Meeting.Replace("SUMMARY:Planning", "SUMMARY:Planning\r\nSTATUS:CANCELLED");

        Assert.Empty(Delete(declined, Bob).Messages);
        Assert.Empty(Delete(cancelled, Bob).Messages);
    }

    [Fact]
    public void An_attendee_whose_client_schedules_sends_nothing_on_delete()
    {
        var client = Meeting.Replace("ORGANIZER;CN=Alice:", "ORGANIZER;CN=Alice;SCHEDULE-AGENT=CLIENT:");

        Assert.Empty(Delete(client, Bob).Messages);
    }

    [Fact]
    public void Deleting_an_event_that_schedules_no_one_plans_nothing()
    {
        var plan = Delete(Meeting, Dave);

        Assert.Equal(SchedulingRole.None, plan.Role);
        Assert.Empty(plan.Messages);
        Assert.False(plan.ScheduleTagChanges);
    }
}

using Caldera.Imip.Itip;
using Caldera.Scheduling.Planning;
using Ical.Net.CalendarComponents;
using static Caldera.Scheduling.Tests.Planning.Ics;
using static Caldera.Scheduling.Tests.Planning.Plans;

namespace Caldera.Scheduling.Tests.Planning;

/// <summary>Bob's side: his copy of alice's meeting, as internal delivery or his client stores it.</summary>
public sealed class AttendeeReplyTests
{
    const string BobNeeds = "ATTENDEE;CN=Bob;PARTSTAT=NEEDS-ACTION;ROLE=REQ-PARTICIPANT;RSVP=TRUE:mailto:bob@example.com";
    const string BobAccepts = "ATTENDEE;CN=Bob;PARTSTAT=ACCEPTED;ROLE=REQ-PARTICIPANT:mailto:bob@example.com";
    const string Second = "20261208T090000Z";

    static string Accepted(string text) => text.Replace(BobNeeds, BobAccepts).Replace(Ics.BobLine, Ics.BobLine.Replace("NEEDS-ACTION;RSVP=TRUE", "ACCEPTED"));

    [Fact]
    public void Accepting_sends_one_REPLY_to_the_organizer_with_only_the_attendee()
    {
        var plan = Write(Meeting, Accepted(Meeting), Bob);

        Assert.Equal(SchedulingRole.Attendee, plan.Role);
        Assert.True(plan.ScheduleTagChanges);
        var message = Assert.Single(plan.Messages);
        Assert.Equal((Alice, Bob, "REPLY"), (message.Recipient, message.From, message.Method));
        var reply = Parsed(message);
        var item = Assert.Single(reply.Items);
        Assert.Null(item.InstanceId());
        Assert.Equal(Alice, reply.Organizer);
        var attendee = Assert.Single(AttendeesOf(item));
        Assert.Equal((Bob, "ACCEPTED"), (CalendarAddress.Normalize(attendee.Value), attendee.ParticipationStatus));
        Assert.Equal(0, item.Sequence);
        Assert.Equal(new DateTime(2026, 12, 1, 9, 0, 0, DateTimeKind.Utc), item.DtStart!.AsUtc);
        Assert.Equal("1.2", OrganizerParameter(plan.StoredText!, "SCHEDULE-STATUS"));
    }

    [Fact]
    public void The_REPLY_updates_the_organizers_copy_through_the_iTIP_engine_recipients_use()
    {
        var plan = Write(Meeting, Accepted(Meeting), Bob);

        var decision = ItipApplier.Apply(Parsed(plan.Messages[0]), Load(Meeting), Alice, Bob);

        Assert.NotNull(decision.NewText);
        Assert.Equal("ACCEPTED", AttendeeParameter(decision.NewText, Bob, "PARTSTAT"));
    }

    [Fact]
    public void Alarms_transparency_and_client_data_change_nothing_for_the_organizer()
    {
        var mine = Meeting.Replace("TRIGGER:-PT15M", "TRIGGER:-PT5M").Replace("TRANSP:OPAQUE", "TRANSP:TRANSPARENT")
            .Replace("X-MOZ-GENERATION:1", "X-MOZ-GENERATION:4").Replace("DTSTAMP:20261101T090000Z", "DTSTAMP:20261102T090000Z")
            .Replace("LOCATION:Room 1", "LOCATION:Room 1\r\nCATEGORIES:Work");

        var plan = Write(Meeting, mine, Bob);

        Assert.Null(plan.Refusal);
        Assert.Empty(plan.Messages);
        Assert.Null(plan.StoredText);
    }

    [Fact]
    public void Accepting_one_instance_with_a_new_override_replies_for_that_instance_only()
    {
        var answered = WeeklyOverride("20261208T100000", "20261208T100000", "20261208T110000",
            string.Join("\n", AliceLine, Ics.BobLine.Replace("NEEDS-ACTION;RSVP=TRUE", "TENTATIVE"), CarolLine));

        var plan = Write(Weekly, Wrap(WeeklyMaster, answered), Bob);

        var reply = Parsed(Assert.Single(plan.Messages));
        Assert.Equal([Second], Instances(reply));
        Assert.Equal("TENTATIVE", Assert.Single(AttendeesOf(reply.Items[0])).ParticipationStatus);
    }

    [Fact]
    public void Removing_an_instance_with_an_EXDATE_declines_it()
    {
        var without = Weekly.Replace("RRULE:FREQ=WEEKLY;COUNT=10", "RRULE:FREQ=WEEKLY;COUNT=10\r\nEXDATE;TZID=Europe/Berlin:20261208T100000");

        var plan = Write(Weekly, without, Bob);

        var reply = Parsed(Assert.Single(plan.Messages));
        Assert.Equal([Second], Instances(reply));
        Assert.Equal("DECLINED", Assert.Single(AttendeesOf(reply.Items[0])).ParticipationStatus);
        Assert.Equal(new DateTime(2026, 12, 8, 9, 0, 0, DateTimeKind.Utc), reply.Items[0].DtStart!.AsUtc);
    }

    [Fact]
    public void A_copy_created_unanswered_sends_nothing_and_an_answered_one_replies()
    {
        var unanswered = Write(null, Meeting, Bob);
        var answered = Write(null, Accepted(Meeting), Bob);

        Assert.Equal(SchedulingRole.Attendee, unanswered.Role);
        Assert.Empty(unanswered.Messages);
        Assert.Null(unanswered.StoredText);
        Assert.Equal("ACCEPTED", Assert.Single(AttendeesOf(Parsed(Assert.Single(answered.Messages)).Items[0])).ParticipationStatus);
    }

    [Fact]
    public void SCHEDULE_FORCE_SEND_REPLY_sends_the_answer_again_and_is_not_stored()
    {
        var accepted = Accepted(Meeting);
        var forced = accepted.Replace("ORGANIZER;CN=Alice:", "ORGANIZER;CN=Alice;SCHEDULE-FORCE-SEND=REPLY:");

        var plan = Write(accepted, forced, Bob);

        Assert.Equal("ACCEPTED", Assert.Single(AttendeesOf(Parsed(Assert.Single(plan.Messages)).Items[0])).ParticipationStatus);
        Assert.DoesNotContain("SCHEDULE-FORCE-SEND", plan.StoredText!.Replace("\r\n ", ""));
        Assert.Equal("1.2", OrganizerParameter(plan.StoredText, "SCHEDULE-STATUS"));
    }

    [Theory]
    [InlineData("CLIENT")]
    [InlineData("NONE")]
    [InlineData("X-SOMETHING")]
    public void An_ORGANIZER_the_server_does_not_schedule_for_gets_no_REPLY(string agent)
    {
        var mine = Meeting.Replace("ORGANIZER;CN=Alice:", $"ORGANIZER;CN=Alice;SCHEDULE-AGENT={agent}:");

        var plan = Write(mine, Accepted(mine), Bob);

        Assert.Empty(plan.Messages);
        Assert.Null(plan.StoredText);
    }

    [Fact]
    public void Answering_a_cancelled_event_sends_nothing()
    {
        var cancelled = Meeting.Replace("SUMMARY:Planning", "SUMMARY:Planning\r\nSTATUS:CANCELLED");

        Assert.Empty(Write(cancelled, Accepted(cancelled), Bob).Messages);
    }

    [Fact]
    public void Leaving_out_one_of_the_single_instances_one_is_invited_to_declines_it()
    {
        var lines = string.Join("\n", AliceLine, Ics.BobLine);
        var first = WeeklyOverride("20261208T100000", "20261208T140000", "20261208T150000", lines);
        var second = WeeklyOverride("20261215T100000", "20261215T140000", "20261215T150000", lines);

        var plan = Write(Wrap(first, second), Wrap(first), Bob);

        Assert.Null(plan.Refusal);
        var reply = Parsed(Assert.Single(plan.Messages));
        Assert.Equal(["20261215T090000Z"], Instances(reply));
        Assert.Equal("DECLINED", Assert.Single(AttendeesOf(reply.Items[0])).ParticipationStatus);
    }

    [Fact]
    public void Accepting_the_series_restates_an_instance_declined_before()
    {
        var declinedOne = WeeklyOverride("20261208T100000", "20261208T100000", "20261208T110000",
            string.Join("\n", AliceLine, Ics.BobLine.Replace("NEEDS-ACTION;RSVP=TRUE", "DECLINED"), CarolLine));
        var before = Wrap(WeeklyMaster, declinedOne);

        var plan = Write(before, Wrap(WeeklyMaster.Replace(Ics.BobLine, Ics.BobLine.Replace("NEEDS-ACTION;RSVP=TRUE", "ACCEPTED")), declinedOne), Bob);

        var reply = Parsed(Assert.Single(plan.Messages));
        Assert.Equal(["", Second], Instances(reply));
        Assert.Equal(["ACCEPTED", "DECLINED"], reply.Items.OrderBy(i => i.InstanceId() is null ? 0 : 1).Select(i => AttendeesOf(i).Single().ParticipationStatus));
    }
}

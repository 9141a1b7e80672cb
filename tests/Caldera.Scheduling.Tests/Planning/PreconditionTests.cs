using Caldera.Scheduling.Planning;
using static Caldera.Scheduling.Tests.Planning.Ics;
using static Caldera.Scheduling.Tests.Planning.Plans;

namespace Caldera.Scheduling.Tests.Planning;

/// <summary>RFC 6638 §3.2.4: a refused write sends nothing, stores nothing and keeps the Schedule-Tag.</summary>
public sealed class PreconditionTests
{
    static void Refused(SchedulingPlan plan, string precondition)
    {
        Assert.Equal(precondition, plan.Refusal?.Precondition);
        Assert.False(string.IsNullOrWhiteSpace(plan.Refusal!.Reason));
        Assert.Empty(plan.Messages);
        Assert.Null(plan.StoredText);
        Assert.False(plan.ScheduleTagChanges);
    }

    [Fact]
    public void Components_naming_different_organizers_are_refused()
    {
        var other = WeeklyOverride("20261208T100000", "20261208T100000", "20261208T110000", string.Join("\n", AliceLine, BobLine))
            .Replace("ORGANIZER;CN=Alice:mailto:alice@example.com", "ORGANIZER:mailto:mallory@example.com");

        Refused(Write(null, Wrap(WeeklyMaster, other)), "same-organizer-in-all-components");
    }

    [Fact]
    public void The_organizer_cannot_hand_the_event_to_someone_else()
    {
        var handed = Meeting.Replace("ORGANIZER;CN=Alice:mailto:alice@example.com", "ORGANIZER;CN=Bob:mailto:bob@example.com");

        Refused(Write(Meeting, handed), "allowed-organizer-scheduling-object-change");
    }

    [Fact]
    public void The_organizer_may_switch_to_another_of_their_own_addresses()
    {
        var alias = Meeting.Replace("ORGANIZER;CN=Alice:mailto:alice@example.com", "ORGANIZER;CN=Alice:mailto:a.smith@example.com");

        var plan = WriteAs(Meeting, alias, Alice, "a.smith@example.com");

        Assert.Null(plan.Refusal);
        Assert.Equal(SchedulingRole.Organizer, plan.Role);
    }

    [Theory]
    [InlineData("DTSTART;TZID=Europe/Berlin:20261201T100000", "DTSTART;TZID=Europe/Berlin:20261201T090000")]
    [InlineData("DTEND;TZID=Europe/Berlin:20261201T110000", "DURATION:PT2H")]
    [InlineData("ORGANIZER;CN=Alice:mailto:alice@example.com", "ORGANIZER;CN=Bob:mailto:bob@example.com")]
    [InlineData("ATTENDEE;CN=Carol;PARTSTAT=NEEDS-ACTION;ROLE=REQ-PARTICIPANT;RSVP=TRUE:mailto:carol@example.net", "ATTENDEE:mailto:dave@example.org")]
    public void An_attendee_cannot_change_what_only_the_organizer_decides(string from, string to)
    {
        Refused(Write(Meeting, Meeting.Replace(from, to), Bob), "allowed-attendee-scheduling-object-change");
    }

    [Fact]
    public void An_attendee_cannot_change_the_recurrence()
    {
        Refused(Write(Weekly, Weekly.Replace("COUNT=10", "COUNT=3"), Bob), "allowed-attendee-scheduling-object-change");
    }

    [Fact]
    public void An_attendee_cannot_remove_themselves_from_the_attendees()
    {
        Refused(Write(Meeting, WithoutAttendee(Meeting, Bob), Bob), "allowed-attendee-scheduling-object-change");
    }

    [Fact]
    public void An_attendee_cannot_move_one_instance_with_an_override()
    {
        var moved = WeeklyOverride("20261208T100000", "20261208T160000", "20261208T170000", string.Join("\n", AliceLine, BobLine, CarolLine));

        Refused(Write(Weekly, Wrap(WeeklyMaster, moved), Bob), "allowed-attendee-scheduling-object-change");
    }

    [Fact]
    public void An_attendee_cannot_drop_an_instance_the_organizer_moved_without_excluding_it()
    {
        var moved = WeeklyOverride("20261208T100000", "20261208T160000", "20261208T170000", string.Join("\n", AliceLine, BobLine, CarolLine));

        Refused(Write(Wrap(WeeklyMaster, moved), Weekly, Bob), "allowed-attendee-scheduling-object-change");
    }

    [Fact]
    public void An_attendee_may_re_serialize_dates_in_UTC_and_reorder_parameters()
    {
        var rewritten = Meeting
            .Replace("DTSTART;TZID=Europe/Berlin:20261201T100000", "DTSTART:20261201T090000Z")
            .Replace("ATTENDEE;CN=Carol;PARTSTAT=NEEDS-ACTION;ROLE=REQ-PARTICIPANT;RSVP=TRUE:mailto:carol@example.net",
                     "ATTENDEE;RSVP=TRUE;ROLE=REQ-PARTICIPANT;PARTSTAT=ACCEPTED;CN=Carol:MAILTO:Carol@Example.NET");

        var plan = Write(Meeting, rewritten, Bob);

        Assert.Null(plan.Refusal);
        Assert.Empty(plan.Messages);
    }

    [Fact]
    public void An_attendee_may_rewrite_the_rule_in_another_order_and_the_end_as_a_duration()
    {
        var rewritten = Weekly.Replace("RRULE:FREQ=WEEKLY;COUNT=10", "RRULE:COUNT=10;INTERVAL=1;FREQ=WEEKLY")
            .Replace("DTEND;TZID=Europe/Berlin:20261201T110000", "DURATION:PT1H");

        var plan = Write(Weekly, rewritten, Bob);

        Assert.Null(plan.Refusal);
        Assert.Empty(plan.Messages);
    }
}

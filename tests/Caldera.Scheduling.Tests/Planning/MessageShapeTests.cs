using Caldera.Imip.Itip;
using Caldera.Scheduling.Planning;
using Ical.Net.CalendarComponents;
using static Caldera.Scheduling.Tests.Planning.Ics;
using static Caldera.Scheduling.Tests.Planning.Plans;

namespace Caldera.Scheduling.Tests.Planning;

/// <summary>What the messages hold beyond methods and recipients: subjects that cannot inject headers, all-day instances, the engine recipients run.</summary>
public sealed class MessageShapeTests
{
    [Fact]
    public void A_summary_with_line_breaks_becomes_one_line_for_the_subject()
    {
        var sent = Meeting.Replace("SUMMARY:Planning", "SUMMARY:Planning\\nBcc: victim@example.org\\NX-Evil: 1");

        var plan = Write(null, sent);

        Assert.All(plan.Messages, m => Assert.Equal("Planning Bcc: victim@example.org X-Evil: 1", m.Summary));
        Assert.All(plan.Messages, m => Assert.DoesNotContain('\n', m.Summary!));
    }

    [Fact]
    public void An_all_day_series_cancels_an_excluded_day_by_its_date()
    {
        var allDay = Wrap(WeeklyMaster
            .Replace("DTSTART;TZID=Europe/Berlin:20261201T100000", "DTSTART;VALUE=DATE:20261201")
            .Replace("DTEND;TZID=Europe/Berlin:20261201T110000", "DTEND;VALUE=DATE:20261202"));
        var excluded = allDay.Replace("RRULE:FREQ=WEEKLY;COUNT=10", "RRULE:FREQ=WEEKLY;COUNT=10\r\nEXDATE;VALUE=DATE:20261208");

        var plan = Write(allDay, excluded);

        var cancel = Only(plan, Bob, "CANCEL");
        var item = Assert.Single(cancel.Items);
        Assert.False(item.InstanceId()!.HasTime);
        Assert.Equal(new DateOnly(2026, 12, 8), item.InstanceId()!.Date);
        Assert.Contains("RECURRENCE-ID;VALUE=DATE:20261208", plan.Messages[0].Text);
    }

    [Fact]
    public void The_REQUEST_creates_the_attendees_copy_through_the_iTIP_engine_without_the_organizers_alarms()
    {
        var plan = Write(null, Meeting);

        var decision = ItipApplier.Apply(Only(plan, Bob, "REQUEST"), null, Bob, null);

        Assert.NotNull(decision.NewText);
        Assert.DoesNotContain("METHOD:", decision.NewText);
        Assert.DoesNotContain("VALARM", decision.NewText);
        Assert.Equal("NEEDS-ACTION", AttendeeParameter(decision.NewText, Bob, "PARTSTAT"));
    }

    [Fact]
    public void A_moved_instance_updates_the_attendees_copy_through_the_iTIP_engine()
    {
        var moved = Wrap(WeeklyMaster, WeeklyOverride("20261208T100000", "20261208T140000", "20261208T150000", string.Join("\n", AliceLine, BobLine, CarolLine)));
        // Bob's copy from the first invitation, an hour before the move (DTSTAMP orders updates of one SEQUENCE).
        var bobsCopy = ItipApplier.Apply(Only(Write(null, Weekly), Bob, "REQUEST"), null, Bob, null).NewText!
            .Replace("DTSTAMP:" + FixedClock.NowText, "DTSTAMP:20261130T110000Z");

        var decision = ItipApplier.Apply(Only(Write(Weekly, moved), Bob, "REQUEST"), Load(bobsCopy), Bob, null);

        Assert.NotNull(decision.NewText);
        var instance = Load(decision.NewText).Events.Single(e => e.RecurrenceIdentifier is not null);
        Assert.Equal(new DateTime(2026, 12, 8, 13, 0, 0, DateTimeKind.Utc), instance.DtStart!.AsUtc);
    }

    [Fact]
    public void Attendees_invited_to_the_same_instances_get_the_same_REQUEST_text()
    {
        var plan = Write(null, Meeting);

        Assert.Equal(plan.Messages[0].Text, plan.Messages[1].Text);
    }

    [Fact]
    public void More_attendees_than_the_limit_are_refused_before_anything_is_sent()
    {
        var many = string.Join("\r\n", Enumerable.Range(0, SchedulingPlanner.MaxAttendeesPerInstance + 1).Select(i => $"ATTENDEE:mailto:guest{i}@example.org"));
        var sent = Meeting.Replace("ATTENDEE;CN=Alice;", many + "\r\nATTENDEE;CN=Alice;");

        var plan = Write(null, sent);

        Assert.Equal("max-attendees-per-instance", plan.Refusal?.Precondition);
        Assert.Empty(plan.Messages);
    }

    [Fact]
    public void A_REPLY_to_a_task_carries_no_start_it_did_not_have()
    {
        var todo = Wrap("""
            BEGIN:VTODO
            UID:task-1
            DTSTAMP:20261101T090000Z
            SEQUENCE:2
            DUE:20261205T160000Z
            SUMMARY:Write the report
            ORGANIZER:mailto:alice@example.com
            ATTENDEE;PARTSTAT=NEEDS-ACTION:mailto:bob@example.com
            END:VTODO
            """);

        var reply = Parsed(Assert.Single(Write(todo, todo.Replace("PARTSTAT=NEEDS-ACTION", "PARTSTAT=IN-PROCESS"), Bob).Messages));

        var item = Assert.IsType<Todo>(reply.Items[0]);
        Assert.Equal(2, item.Sequence);
        Assert.Null(item.DtStart);
        Assert.Equal("IN-PROCESS", Assert.Single(item.Attendees).ParticipationStatus);
    }
}

using Caldera.Imip.Itip;
using Caldera.Scheduling.Planning;
using Ical.Net.CalendarComponents;
using static Caldera.Scheduling.Tests.Planning.Ics;
using static Caldera.Scheduling.Tests.Planning.Plans;

namespace Caldera.Scheduling.Tests.Planning;

public sealed class RecurringOrganizerTests
{
    // 2026-12-08 10:00 Berlin is 09:00 UTC.
    const string Second = "20261208T090000Z";
    const string Third = "20261215T090000Z";

    static string Moved(string attendees, string extra = "") =>
        WeeklyOverride("20261208T100000", "20261208T140000", "20261208T150000", attendees, extra);

    static string AllThree => string.Join("\n", AliceLine, BobLine, CarolLine);

    static string WithExdate(string master, string exdate) =>
        master.Replace("RRULE:FREQ=WEEKLY;COUNT=10", "RRULE:FREQ=WEEKLY;COUNT=10\nEXDATE;TZID=Europe/Berlin:" + exdate);

    [Fact]
    public void Each_attendee_is_invited_to_the_instances_they_are_in_and_the_master_excludes_the_others()
    {
        // Carol is not invited to the moved second instance.
        var series = Wrap(WeeklyMaster, Moved(string.Join("\n", AliceLine, BobLine)));

        var plan = Write(null, series);

        var bob = Only(plan, Bob, "REQUEST");
        Assert.Equal(["", Second], Instances(bob));
        var carol = Only(plan, Carol, "REQUEST");
        var master = Assert.Single(carol.Items);
        Assert.Contains(master.ExceptionDates.GetAllDates(), d => d.AsUtc == new DateTime(2026, 12, 8, 9, 0, 0, DateTimeKind.Utc));
        Assert.Equal("1.2", AttendeeParameter(plan.StoredText!, Bob, "SCHEDULE-STATUS"));
    }

    [Fact]
    public void An_attendee_invited_to_one_instance_only_gets_just_that_instance()
    {
        var series = Wrap(WeeklyMaster, Moved(AllThree + "\n" + DaveLine));

        var dave = Only(Write(null, series), Dave, "REQUEST");

        Assert.Equal([Second], Instances(dave));
    }

    [Fact]
    public void Moving_one_instance_sends_only_that_instance()
    {
        var plan = Write(Weekly, Wrap(WeeklyMaster, Moved(AllThree)));

        foreach (var recipient in new[] { Bob, Carol })
        {
            var request = Only(plan, recipient, "REQUEST");
            Assert.Equal([Second], Instances(request));
            Assert.Equal(new DateTime(2026, 12, 8, 13, 0, 0, DateTimeKind.Utc), request.Items[0].DtStart!.AsUtc);
        }
        Assert.DoesNotContain(plan.Messages, m => m.Recipient == Alice);
    }

    [Fact]
    public void An_override_that_only_restates_the_instance_sends_nothing()
    {
        var same = WeeklyOverride("20261208T100000", "20261208T100000", "20261208T110000", AllThree);

        var plan = Write(Weekly, Wrap(WeeklyMaster, same));

        Assert.Empty(plan.Messages);
    }

    [Fact]
    public void A_new_EXDATE_cancels_that_instance_for_its_attendees()
    {
        var plan = Write(Weekly, Wrap(WithExdate(WeeklyMaster, "20261215T100000")));

        foreach (var recipient in new[] { Bob, Carol })
        {
            var cancel = Only(plan, recipient, "CANCEL");
            Assert.Equal([Third], Instances(cancel));
            Assert.Equal([recipient], AttendeeAddresses(cancel.Items[0]));
            Assert.Equal(new DateTime(2026, 12, 15, 9, 0, 0, DateTimeKind.Utc), cancel.Items[0].DtStart!.AsUtc);
        }
    }

    [Fact]
    public void Deleting_a_moved_instance_as_Thunderbird_does_cancels_it_once()
    {
        var before = Wrap(WeeklyMaster, Moved(AllThree));
        var after = Wrap(WithExdate(WeeklyMaster, "20261208T100000"));

        var plan = Write(before, after);

        var cancel = Only(plan, Bob, "CANCEL");
        Assert.Equal([Second], Instances(cancel));
        Assert.Equal(new DateTime(2026, 12, 8, 13, 0, 0, DateTimeKind.Utc), cancel.Items[0].DtStart!.AsUtc);
        Only(plan, Carol, "CANCEL");
    }

    [Fact]
    public void Removing_an_attendee_from_one_instance_cancels_only_that_instance_for_them()
    {
        var before = Wrap(WeeklyMaster, Moved(AllThree));
        var after = Wrap(WeeklyMaster, Moved(string.Join("\n", AliceLine, BobLine)));

        var plan = Write(before, after);

        var cancel = Only(plan, Carol, "CANCEL");
        Assert.Equal([Second], Instances(cancel));
        Assert.Single(plan.Messages);
    }

    [Fact]
    public void Cancelling_one_instance_with_STATUS_sends_an_instance_CANCEL()
    {
        var before = Wrap(WeeklyMaster, Moved(AllThree));
        var after = Wrap(WeeklyMaster, Moved(AllThree, "STATUS:CANCELLED\n"));

        var plan = Write(before, after);

        Assert.Equal([Second], Instances(Only(plan, Bob, "CANCEL")));
        Assert.Equal([Second], Instances(Only(plan, Carol, "CANCEL")));
    }

    [Fact]
    public void A_changed_rule_sends_the_whole_series()
    {
        var plan = Write(Weekly, Weekly.Replace("COUNT=10", "COUNT=5"));

        var request = Only(plan, Bob, "REQUEST");
        Assert.Equal([""], Instances(request));
        Assert.Equal(5, request.Items[0].RecurrenceRule!.Count);
    }

    [Fact]
    public void Bringing_back_an_excluded_instance_sends_the_whole_series()
    {
        var excluded = Wrap(WithExdate(WeeklyMaster, "20261215T100000"));

        var plan = Write(excluded, Weekly);

        var request = Only(plan, Carol, "REQUEST");
        Assert.Empty(request.Items[0].ExceptionDates.GetAllDates());
    }

    [Fact]
    public void A_series_change_is_sent_with_the_overrides_each_attendee_is_in()
    {
        var before = Wrap(WeeklyMaster, Moved(AllThree));
        var after = Wrap(WeeklyMaster.Replace("SUMMARY:Weekly", "SUMMARY:Weekly sync"), Moved(AllThree));

        var request = Only(Write(before, after), Bob, "REQUEST");

        Assert.Equal(["", Second], Instances(request));
    }

    [Fact]
    public void Taking_an_attendee_off_the_series_but_not_a_moved_instance_cancels_the_series_and_resends_the_instance()
    {
        var before = Wrap(WeeklyMaster, Moved(AllThree));
        var after = Wrap(WeeklyMaster.Replace(CarolLine + "\n", ""), Moved(AllThree));

        var plan = Write(before, after);

        var carol = plan.Messages.Where(m => m.Recipient == Carol).ToList();
        Assert.Equal(["CANCEL", "REQUEST"], carol.Select(m => m.Method));
        Assert.Equal([""], Instances(Parsed(carol[0])));
        Assert.Equal([Second], Instances(Parsed(carol[1])));
        Assert.DoesNotContain(plan.Messages, m => m.Recipient == Bob);
    }

    [Fact]
    public void An_attendee_only_in_a_moved_instance_hears_nothing_when_an_excluded_instance_comes_back()
    {
        var before = Wrap(WithExdate(WeeklyMaster, "20261215T100000"), Moved(AllThree + "\n" + DaveLine));
        var after = Wrap(WeeklyMaster, Moved(AllThree + "\n" + DaveLine));

        var plan = Write(before, after);

        Assert.DoesNotContain(plan.Messages, m => m.Recipient == Dave);
        Only(plan, Bob, "REQUEST");
    }

    [Fact]
    public void A_long_series_with_many_overrides_and_attendees_plans_each_attendee_once()
    {
        // 50 moved instances, 40 attendees each: a summary change on the series goes to every attendee in one message.
        var guests = Enumerable.Range(0, 40).Select(i => $"ATTENDEE;PARTSTAT=NEEDS-ACTION:mailto:guest{i}@example.org").ToList();
        var lines = string.Join("\n", guests.Prepend(AliceLine));
        var master = WeeklyMaster.Replace("COUNT=10", "COUNT=400").Replace(string.Join("\n", AliceLine, BobLine, CarolLine), lines);
        var overrides = Enumerable.Range(0, 50).Select(w =>
        {
            var day = new DateTime(2026, 12, 1).AddDays(7 * w).ToString("yyyyMMdd");
            return WeeklyOverride(day + "T100000", day + "T120000", day + "T130000", lines);
        });
        var before = Wrap(overrides.Prepend(master).ToArray());
        var after = before.Replace("COUNT=400\r\nSUMMARY:Weekly", "COUNT=400\r\nSUMMARY:Weekly sync");

        var plan = Write(before, after);

        Assert.Equal(40, plan.Messages.Count);
        Assert.All(plan.Messages, m => Assert.Equal("REQUEST", m.Method));
        Assert.Equal(51, Parsed(plan.Messages[0]).Items.Count);
        Assert.Single(plan.Messages.Select(m => m.Text).Distinct());
    }
}

using Caldera.Calendars.Query;
using Ical.Net;
using Ical.Net.DataTypes;

namespace Caldera.Calendars.Tests;

/// <summary>
/// Issue 12, item 9: a series is evaluated from near the range asked for, not walked from DTSTART. The jump must
/// not change a single instance, so every rule here is evaluated both ways from starts far enough from DTSTART to
/// jump, and the instances must be the same (start, end and source component).
/// </summary>
public class RecurrenceJumpTests
{
    static readonly string[] Starts =
    [
        "DTSTART:20000131T093000Z",
        "DTSTART;TZID=Europe/Berlin:20000131T023000",       // 02:30 does not exist on the last Sunday of March
        "DTSTART;TZID=America/New_York:20000131T013000",    // 01:30 happens twice on the first Sunday of November
        "DTSTART;TZID=Australia/Lord_Howe:20000229T120000",  // half-hour change of offset; a leap day
        "DTSTART:20000131T093000",                          // floating
    ];

    static readonly string[] Rules =
    [
        "FREQ=MINUTELY;INTERVAL=7",
        "FREQ=MINUTELY;INTERVAL=90;BYHOUR=1,2,3",
        "FREQ=HOURLY;INTERVAL=5;BYMINUTE=0,30",
        "FREQ=HOURLY",
        "FREQ=DAILY",
        "FREQ=DAILY;INTERVAL=3;BYHOUR=2,17",
        "FREQ=DAILY;UNTIL=20400101T000000Z",
        "FREQ=WEEKLY;BYDAY=MO,WE,FR",
        "FREQ=WEEKLY;INTERVAL=2;BYDAY=TU,SU;WKST=SU",
        "FREQ=WEEKLY;INTERVAL=3",
        "FREQ=MONTHLY",
        "FREQ=MONTHLY;BYMONTHDAY=31",
        "FREQ=MONTHLY;INTERVAL=5;BYDAY=-1FR",
        "FREQ=MONTHLY;BYDAY=MO,TU,WE,TH,FR;BYSETPOS=-1",
        "FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=29",
    ];

    /// <summary>The furthest a test start lies from DTSTART.</summary>
    static readonly TimeSpan Latest = TimeSpan.FromDays(365.25 * 90);

    /// <summary>Steps the unjumped walk may take in a test (it is what makes the old way slow).</summary>
    const long WalkableSteps = 40_000;

    public static TheoryData<string, string> Cases()
    {
        var data = new TheoryData<string, string>();
        foreach (var start in Starts)
            foreach (var rule in Rules)
                data.Add(start, rule);
        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void JumpingChangesNoInstance(string dtStart, string rule)
    {
        var calendar = Series(dtStart, rule);
        var step = StepOf(rule);
        var origin = calendar.Events[0]!.DtStart!.AsUtc;
        // Far enough to jump (more than 500 steps), near enough to walk in a test; odd offsets on purpose.
        foreach (var fraction in new[] { 0.31, 0.77, 1.0 })
        {
            var from = origin + TimeSpan.FromTicks((long)(Math.Min(step.Ticks * (double)WalkableSteps, Latest.Ticks) * fraction)) + TimeSpan.FromMinutes(13);

            var start = new CalDateTime(from, "UTC");
            if ((from - origin) / step > 600)
                Assert.NotNull(RecurrenceJump.From(calendar, start, Instances.MaxCount)); // the case is one that jumps
            // A zoned rule that repeats within a day is stepped in elapsed time: the same rule from the same instant in UTC.
            var reference = dtStart.Contains("TZID") && (rule.Contains("MINUTELY") || rule.Contains("HOURLY"))
                ? Series($"DTSTART:{origin:yyyyMMddTHHmmss}Z", rule)
                : calendar;
            var walked = Describe(Instances.Unjumped(reference, start, CalendarObjectParser.Evaluation), reference);
            var jumped = Describe(Instances.Of(calendar, start, CalendarObjectParser.Evaluation), calendar);
            Assert.Equal(walked, jumped);
        }
    }

    [Fact]
    public void ZonedSubDailyRulesFollowElapsedTime()
    {
        // 01:30 New York is 06:30 UTC; every fifth hour from there, at :00 and :30 of the hour. Ical.Net's own walk
        // keeps local times and re-reads them at each step, so a step that lands in the repeated 01:00–02:00 of a
        // November night can come back an hour off. The jump counts elapsed hours, as RFC 5545 does for HOURLY.
        var calendar = Series("DTSTART;TZID=America/New_York:20000131T013000", "FREQ=HOURLY;INTERVAL=5;BYMINUTE=0,30");
        var slot = new DateTime(2000, 1, 31, 6, 0, 0, DateTimeKind.Utc);
        foreach (var year in new[] { 2007, 2031, 2077 })
        {
            var from = new CalDateTime(new DateTime(year, 11, 1, 0, 0, 0, DateTimeKind.Utc), "UTC");
            var starts = Instances.Of(calendar, from, CalendarObjectParser.Evaluation).Take(40).Select(o => o.Period.StartTime.AsUtc).ToList();
            Assert.Equal(40, starts.Count);
            Assert.All(starts, s => Assert.Contains((s - slot).Ticks % TimeSpan.FromHours(5).Ticks, new[] { 0, TimeSpan.FromMinutes(30).Ticks }));
        }
    }

    [Theory]
    [InlineData("America/New_York:20261025T013000", "FREQ=HOURLY", "2026-11-02T00:00:00Z")]
    [InlineData("America/New_York:20261025T013000", "FREQ=MINUTELY;INTERVAL=15", "2026-11-02T00:00:00Z")]
    [InlineData("America/New_York:20261031T220000", "FREQ=MINUTELY;INTERVAL=7", "2026-10-31T23:00:00Z")]
    [InlineData("Australia/Lord_Howe:20260401T120000", "FREQ=MINUTELY;INTERVAL=7", "2026-04-06T00:00:00Z")]
    public async Task ZonedSubDailyRulesGetPastAChangeToWinterTime(string dtStart, string rule, string from)
    {
        // Ical.Net's own walk never ends on these (it is stepped back an hour each time it reaches the repeated hour).
        var calendar = Series("DTSTART;TZID=" + dtStart, rule);
        var start = new CalDateTime(DateTime.Parse(from, null, System.Globalization.DateTimeStyles.AdjustToUniversal), "UTC");
        var walk = Task.Run(() => Instances.Of(calendar, start, CalendarObjectParser.Evaluation).Take(200).Select(o => o.Period.StartTime.AsUtc).ToList());
        var starts = await walk.WaitAsync(TimeSpan.FromMinutes(2)); // a generous bound: before the fix it never ended
        Assert.Equal(200, starts.Count);
        var step = (starts[1] - starts[0]).Ticks;
        Assert.All(starts.Zip(starts.Skip(1)), p => Assert.Equal(step, (p.Second - p.First).Ticks)); // evenly spaced in elapsed time
    }

    [Fact]
    public void OverridesExdatesAndRdatesSurviveTheJump()
    {
        var text = Ics.Calendar(
            Ics.Event("o", "DTSTART;TZID=Europe/Berlin:20000103T090000", "DURATION:PT1H", "RRULE:FREQ=DAILY",
                "EXDATE;TZID=Europe/Berlin:20300105T090000", "RDATE;TZID=Europe/Berlin:20300105T210000", "SUMMARY:master"),
            Ics.Event("o", "RECURRENCE-ID;TZID=Europe/Berlin:20300107T090000", "DTSTART;TZID=Europe/Berlin:20300107T150000",
                "DURATION:PT2H", "SUMMARY:moved"));
        var calendar = Ics.Parse(text).Calendar;
        var start = new CalDateTime(new DateTime(2030, 1, 4, 0, 0, 0, DateTimeKind.Utc), "UTC");
        var walked = Describe(Instances.Unjumped(calendar, start, CalendarObjectParser.Evaluation), calendar);
        var jumped = Describe(Instances.Of(calendar, start, CalendarObjectParser.Evaluation), calendar);
        Assert.Equal(walked, jumped);
        Assert.Contains("2030-01-05T20:00:00/2030-01-05T21:00:00 #0", jumped); // the RDATE, Berlin winter time in UTC
        Assert.DoesNotContain(jumped, j => j.StartsWith("2030-01-05T08:00:00", StringComparison.Ordinal)); // EXDATE
        Assert.Contains("2030-01-07T14:00:00/2030-01-07T16:00:00 #1", jumped); // the override, from its own component
    }

    [Fact]
    public void RulesThatStepAlikeAreJumpedTogether()
    {
        // Two RRULEs and an EXRULE, all daily: the jump is a whole number of days, so each keeps its phase.
        var text = Ics.Calendar(Ics.Event("r", "DTSTART;TZID=Europe/Berlin:20000103T090000", "DURATION:PT1H",
            "RRULE:FREQ=DAILY;BYHOUR=9", "RRULE:FREQ=DAILY;BYHOUR=17", "EXRULE:FREQ=DAILY;BYDAY=SA,SU;BYHOUR=9,17"));
        var calendar = Calendar.Load(text)!;
        var start = new CalDateTime(new DateTime(2041, 3, 27, 0, 0, 0, DateTimeKind.Utc), "UTC");
        Assert.NotNull(RecurrenceJump.From(calendar, start, Instances.MaxCount));
        var walked = Describe(Instances.Unjumped(calendar, start, CalendarObjectParser.Evaluation), calendar);
        Assert.Equal(walked, Describe(Instances.Of(calendar, start, CalendarObjectParser.Evaluation), calendar));
        Assert.Equal(60, walked.Count);
    }

    [Fact]
    public void RulesThatStepDifferentlyAreRefusedAtPut()
    {
        var text = Ics.Calendar(Ics.Event("r", "DTSTART:20000103T090000Z", "DURATION:PT1H",
            "RRULE:FREQ=DAILY", "EXRULE:FREQ=WEEKLY;INTERVAL=2"));
        Assert.Equal(CalendarDataError.InvalidData, Ics.Refusal(text));
        Assert.Null(RecurrenceJump.From(Calendar.Load(text)!, new CalDateTime(new DateTime(2041, 1, 1, 0, 0, 0, DateTimeKind.Utc), "UTC"), Instances.MaxCount));
    }

    [Theory]
    [InlineData("FREQ=SECONDLY", CalendarDataError.InvalidData)]
    [InlineData("FREQ=MINUTELY;BYSECOND=0,30", CalendarDataError.InvalidData)]
    [InlineData("FREQ=DAILY;COUNT=10001", CalendarDataError.TooManyInstances)]
    public void RulesTooCostlyToStoreAreRefused(string rule, CalendarDataError error)
    {
        Assert.Equal(error, Ics.Refusal(Ics.Calendar(Ics.Event("r", "DTSTART:20260101T000000Z", "DURATION:PT1S", "RRULE:" + rule))));
    }

    [Theory]
    [InlineData("DTSTART:20260101T000000Z", "FREQ=SECONDLY;INTERVAL=60")]
    [InlineData("DTSTART:20260101T000000Z", "FREQ=DAILY;COUNT=10000")]
    [InlineData("DTSTART;TZID=Europe/Berlin:20260101T000000", "FREQ=HOURLY;INTERVAL=3;BYSECOND=0")]
    [InlineData("DTSTART:20260101T000000Z", "FREQ=HOURLY;BYMINUTE=0,30")]
    public void RulesWithinTheLimitsAreStored(string dtStart, string rule)
    {
        Assert.NotNull(Ics.Parse(Ics.Calendar(Ics.Event("r", dtStart, "DURATION:PT1S", "RRULE:" + rule))));
    }

    [Fact]
    public void AZonedSubDailyRuleWithByPartsIsRefused()
    {
        Assert.Equal(CalendarDataError.InvalidData, Ics.Refusal(Ics.Calendar(Ics.Event("r",
            "DTSTART;TZID=Europe/Berlin:20260101T000000", "DURATION:PT1M", "RRULE:FREQ=HOURLY;BYMINUTE=0,30"))));
    }

    [Fact]
    public void TheOriginalCalendarIsNotTouched()
    {
        var text = Ics.Calendar(Ics.Event("t", "DTSTART:20000131T093000Z", "DTEND:20000131T100000Z", "RRULE:FREQ=MONTHLY"));
        var calendar = Ics.Parse(text).Calendar;
        var before = new Ical.Net.Serialization.CalendarSerializer().SerializeToString(calendar);
        _ = Instances.Of(calendar, new CalDateTime(new DateTime(2080, 1, 1, 0, 0, 0, DateTimeKind.Utc), "UTC"), CalendarObjectParser.Evaluation).Take(5).ToList();
        Assert.Equal(before, new Ical.Net.Serialization.CalendarSerializer().SerializeToString(calendar));
    }

    [Fact]
    public void AMinutelyRuleACenturyOnStartsNearTheRange()
    {
        // Walked from DTSTART this is 68 million steps (minutes of CPU); the jump leaves at most a few hours' worth.
        var calendar = Series("DTSTART:19700101T000000Z", "FREQ=MINUTELY");
        var from = new DateTime(2100, 1, 1, 0, 0, 0, DateTimeKind.Utc);
        var jump = RecurrenceJump.From(calendar, new CalDateTime(from, "UTC"), Instances.MaxCount);
        Assert.NotNull(jump);
        var seed = jump.View.Events[0]!.DtStart!.AsUtc;
        Assert.InRange(seed, from.AddDays(-1), from);
        var first = Instances.Of(calendar, new CalDateTime(from, "UTC"), CalendarObjectParser.Evaluation).Take(3)
            .Select(o => o.Period.StartTime.AsUtc).ToList();
        // Every whole minute, half an hour long: the first to overlap 2100 began at 23:31.
        Assert.Equal([from.AddMinutes(-29), from.AddMinutes(-28), from.AddMinutes(-27)], first);
    }

    [Fact]
    public void ACountBeyondTheLimitIsCutThere()
    {
        var calendar = Series("DTSTART:20000101T000000Z", "FREQ=HOURLY;COUNT=50000");
        var all = Instances.Of(calendar, null, CalendarObjectParser.Evaluation).ToList();
        Assert.Equal(Instances.MaxCount, all.Count);
        Assert.Equal(50000, calendar.Events[0]!.RecurrenceRule!.Count); // in the copy only
    }

    [Fact]
    public void ADecadeQueryOnASecondlyRuleMatchesWhereItsRangeBegins()
    {
        // Stored before PUT refused such rules: it must still answer, and answer right.
        var calendar = Series("DTSTART:20260101T000000Z", "FREQ=SECONDLY", "PT1S");
        var filter = new CompFilter("VCALENDAR", false, null, [], [new CompFilter("VEVENT", false,
            new TimeRange(new DateTime(2030, 1, 1, 0, 0, 0, DateTimeKind.Utc), new DateTime(2040, 1, 1, 0, 0, 0, DateTimeKind.Utc)), [], [])]);
        Assert.True(FilterEvaluator.Matches(calendar, filter));
    }

    /// <summary>One series, loaded as stored data is (PUT would refuse some of these rules).</summary>
    static Calendar Series(string dtStart, string rule, string duration = "PT30M") =>
        Calendar.Load(Ics.Calendar(Ics.Event("s", dtStart, "DURATION:" + duration, "RRULE:" + rule)))!;

    static TimeSpan StepOf(string rule)
    {
        var interval = rule.Split(';').FirstOrDefault(p => p.StartsWith("INTERVAL=", StringComparison.Ordinal)) is { } i ? int.Parse(i[9..]) : 1;
        var unit = rule.Split(';')[0] switch
        {
            "FREQ=MINUTELY" => TimeSpan.FromMinutes(1),
            "FREQ=HOURLY" => TimeSpan.FromHours(1),
            "FREQ=DAILY" => TimeSpan.FromDays(1),
            "FREQ=WEEKLY" => TimeSpan.FromDays(7),
            "FREQ=MONTHLY" => TimeSpan.FromDays(30.4),
            _ => TimeSpan.FromDays(365.25),
        };
        return unit * interval;
    }

    /// <summary>The first 60 instances as "start/end #component-index", in UTC.</summary>
    static List<string> Describe(IEnumerable<Occurrence> occurrences, Calendar calendar)
    {
        var components = calendar.Children.ToList();
        return occurrences.Take(60).Select(o =>
            $"{o.Period.StartTime.AsUtc:yyyy-MM-ddTHH:mm:ss}/{o.Period.EffectiveEndTime?.AsUtc:yyyy-MM-ddTHH:mm:ss} #{components.FindIndex(c => ReferenceEquals(c, o.Source))}")
            .ToList();
    }
}

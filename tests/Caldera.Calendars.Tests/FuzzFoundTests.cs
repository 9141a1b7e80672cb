namespace Caldera.Calendars.Tests;

/// <summary>
/// Defects the fuzzer found (tests/fuzz/corpus/ical/), each pinned by a plain test. A hang is caught by a
/// generous watchdog, not timed.
/// </summary>
public class FuzzFoundTests
{
    static readonly TimeSpan Watchdog = TimeSpan.FromSeconds(60);

    static CalendarDataError RefusalWithin(string text)
    {
        var refusal = Task.Run(() => Ics.Refusal(text, Ics.All));
        Assert.True(refusal.Wait(Watchdog), "the validator did not answer: it hangs");
        return refusal.Result;
    }

    /// <summary>
    /// A THISANDFUTURE override takes its instances from the master's; one with an endless RRULE of its own had
    /// every instance skipped while looking for the envelope's end, so PUT never answered (hang-thisandfuture-override-with-own-rrule.ics).
    /// </summary>
    [Theory]
    [InlineData("RRULE:FREQ=DAILY")]
    [InlineData("RRULE:FREQ=HOURLY;INTERVAL=6;BYHOUR=10,16")]
    public void A_thisandfuture_override_with_its_own_rule_is_refused(string rule)
    {
        var text = Ics.Calendar(Ics.Event("u@example.com", "DTSTART:20260101T100000Z", "DURATION:PT1H", rule,
            "RECURRENCE-ID;RANGE=THISANDFUTURE:20260301T100000Z"));
        Assert.Equal(CalendarDataError.InvalidData, RefusalWithin(text));
    }

    [Fact]
    public void A_thisandfuture_override_with_its_own_rule_after_a_short_master_is_refused()
    {
        var text = Ics.Calendar(
            Ics.Event("u@example.com", "DTSTART:20260101T100000Z", "DURATION:PT1H", "RRULE:FREQ=DAILY;COUNT=2"),
            Ics.Event("u@example.com", "RECURRENCE-ID;RANGE=THISANDFUTURE:20260102T100000Z", "DTSTART:20260102T120000Z",
                "DURATION:PT1H", "RRULE:FREQ=DAILY"));
        Assert.Equal(CalendarDataError.InvalidData, RefusalWithin(text));
    }
}

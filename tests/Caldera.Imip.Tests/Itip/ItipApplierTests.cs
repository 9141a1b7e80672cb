using Caldera.Imip.Itip;
using Caldera.Storage.Imip;
using Ical.Net;
using Ical.Net.CalendarComponents;
using static Caldera.Imip.Tests.Itip.ItipText;

namespace Caldera.Imip.Tests.Itip;

public sealed class ItipApplierTests
{
    static ItipMessage Message(string method, params string[] components)
    {
        var (message, refusal) = ItipParser.Parse(method, Calendar(method, components));
        Assert.Null(refusal);
        return message!;
    }

    static Calendar Stored(params string[] components) => Ical.Net.Calendar.Load(Calendar(null, components))!;

    static Calendar Result(ItipDecision decision)
    {
        Assert.Equal(ImipStatus.Applied, decision.Status);
        return Ical.Net.Calendar.Load(decision.NewText!)!;
    }

    static CalendarEvent Master(Calendar c) => c.Events.Single(e => e.RecurrenceIdentifier is null);

    [Fact]
    public void A_new_request_is_stored_without_method()
    {
        var decision = ItipApplier.Apply(Message("REQUEST", Event()), null, Alice, null);
        var stored = Result(decision);
        Assert.Null(stored.Method);
        Assert.DoesNotContain("METHOD", decision.NewText);
        Assert.Equal("Planning", Master(stored).Summary);
        // stored as the organizer sent it, but for METHOD (no re-serialization)
        Assert.Equal(Calendar("REQUEST", Event()).Replace("METHOD:REQUEST\r\n", ""), decision.NewText);
    }

    [Theory]
    [InlineData(2, "20270101T090000Z", 1, "20270105T090000Z", false)] // lower SEQUENCE loses even with a later DTSTAMP
    [InlineData(1, "20270101T090000Z", 2, "20261201T090000Z", true)]  // higher SEQUENCE wins even with an earlier DTSTAMP
    [InlineData(1, "20270101T090000Z", 1, "20270101T090000Z", false)] // the same revision again changes nothing
    [InlineData(1, "20270101T090000Z", 1, "20270102T090000Z", true)]  // same SEQUENCE, later DTSTAMP: a minor update
    public void Requests_are_ordered_by_sequence_then_dtstamp(int storedSeq, string storedStamp, int seq, string stamp, bool applied)
    {
        var stored = Stored(Event(sequence: storedSeq, stamp: storedStamp, summary: "Old"));
        var decision = ItipApplier.Apply(Message("REQUEST", Event(sequence: seq, stamp: stamp, summary: "New")), stored, Alice, null);
        Assert.Equal(applied ? ImipStatus.Applied : ImipStatus.IgnoredStale, decision.Status);
        if (applied)
            Assert.Equal("New", Master(Result(decision)).Summary);
        else
            Assert.Null(decision.NewText);
    }

    [Fact]
    public void A_minor_update_keeps_the_recipients_answer_and_a_major_one_asks_again()
    {
        var accepted = new[] { $"PARTSTAT=ACCEPTED:mailto:{Alice}", $"PARTSTAT=NEEDS-ACTION:mailto:{Bob}" };
        var stored = Stored(Event(sequence: 1, attendees: accepted));
        var minor = Result(ItipApplier.Apply(Message("REQUEST", Event(sequence: 1, stamp: "20270102T000000Z", summary: "Renamed")), stored, Alice, null));
        Assert.Equal("ACCEPTED", Master(minor).Attendees.Single(a => a.Value!.ToString().Contains(Alice)).ParticipationStatus);
        var major = Result(ItipApplier.Apply(Message("REQUEST", Event(sequence: 2, start: "20270311T100000Z", end: "20270311T110000Z")), stored, Alice, null));
        Assert.Equal("NEEDS-ACTION", Master(major).Attendees.Single(a => a.Value!.ToString().Contains(Alice)).ParticipationStatus);
    }

    [Fact]
    public void An_instance_request_adds_or_replaces_only_that_override()
    {
        var stored = Stored(Event(rrule: "FREQ=DAILY;COUNT=5", summary: "Daily"));
        var moved = Result(ItipApplier.Apply(Message("REQUEST",
            Event(sequence: 1, recurrenceId: "20270312T100000Z", start: "20270312T150000Z", end: "20270312T160000Z", summary: "Moved")), stored, Alice, null));
        Assert.Equal("Daily", Master(moved).Summary);
        var instance = moved.Events.Single(e => e.RecurrenceIdentifier is not null);
        Assert.Equal("Moved", instance.Summary);
        Assert.Equal(15, instance.DtStart!.AsUtc.Hour);
        // the same instance at an older SEQUENCE is stale
        var stale = ItipApplier.Apply(Message("REQUEST", Event(sequence: 0, stamp: "20261201T000000Z", recurrenceId: "20270312T100000Z")), moved, Alice, null);
        Assert.Equal(ImipStatus.IgnoredStale, stale.Status);
    }

    [Fact]
    public void Cancel_of_the_series_marks_every_component_cancelled()
    {
        var stored = Stored(Event(rrule: "FREQ=DAILY;COUNT=5"), Event(recurrenceId: "20270312T100000Z", summary: "Special"));
        var cancelled = Result(ItipApplier.Apply(Message("CANCEL", Event(sequence: 1, status: "CANCELLED")), stored, Alice, null));
        Assert.All(cancelled.Events, e => Assert.Equal("CANCELLED", e.Status));
        Assert.Equal(2, cancelled.Events.Count);
        // and again: nothing more to do
        Assert.Equal(ImipStatus.IgnoredStale, ItipApplier.Apply(Message("CANCEL", Event(sequence: 1)), cancelled, Alice, null).Status);
    }

    [Fact]
    public void Cancel_of_one_instance_excludes_it_from_the_series()
    {
        var stored = Stored(Event(rrule: "FREQ=DAILY;COUNT=5"), Event(recurrenceId: "20270312T100000Z", summary: "Special"));
        var decision = ItipApplier.Apply(Message("CANCEL", Event(sequence: 1, recurrenceId: "20270312T100000Z")), stored, Alice, null);
        var result = Result(decision);
        var master = Master(result);
        Assert.Contains(master.ExceptionDates.GetAllDates(), d => d.AsUtc == new DateTime(2027, 3, 12, 10, 0, 0, DateTimeKind.Utc));
        Assert.DoesNotContain(result.Events, e => e.RecurrenceIdentifier is not null);
        var starts = master.GetOccurrences(null, null).Select(o => o.Period.StartTime.AsUtc.Day).ToList();
        Assert.Equal([10, 11, 13, 14], starts);
    }

    [Fact]
    public void Cancel_this_and_future_ends_the_series_before_it()
    {
        var stored = Stored(Event(rrule: "FREQ=DAILY;COUNT=5"), Event(recurrenceId: "20270313T100000Z", summary: "Later special"));
        var cancel = Message("CANCEL", Event(sequence: 1, recurrenceId: "20270312T100000Z").Replace("RECURRENCE-ID:", "RECURRENCE-ID;RANGE=THISANDFUTURE:"));
        var result = Result(ItipApplier.Apply(cancel, stored, Alice, null));
        var master = Master(result);
        Assert.Equal([10, 11], master.GetOccurrences(null, null).Select(o => o.Period.StartTime.AsUtc.Day).ToList());
        Assert.DoesNotContain(result.Events, e => e.RecurrenceIdentifier is not null);
        // and again: nothing is left to cancel
        Assert.Equal(ImipStatus.IgnoredStale, ItipApplier.Apply(cancel, result, Alice, null).Status);
        // a series that already ended before it keeps its COUNT (turning it into UNTIL would add instances)
        var short2 = Stored(Event(rrule: "FREQ=DAILY;COUNT=2"));
        var late = Message("CANCEL", Event(sequence: 1, recurrenceId: "20270320T100000Z").Replace("RECURRENCE-ID:", "RECURRENCE-ID;RANGE=THISANDFUTURE:"));
        Assert.Equal(ImipStatus.IgnoredStale, ItipApplier.Apply(late, short2, Alice, null).Status);
    }

    [Fact]
    public void An_older_cancel_is_stale()
    {
        var stored = Stored(Event(sequence: 3));
        var decision = ItipApplier.Apply(Message("CANCEL", Event(sequence: 2)), stored, Alice, null);
        Assert.Equal(ImipStatus.IgnoredStale, decision.Status);
    }

    [Fact]
    public void A_reply_sets_the_attendees_partstat_on_the_organizers_copy()
    {
        var stored = Stored(Event());
        var reply = Message("REPLY", Event(attendees: [$"PARTSTAT=ACCEPTED:mailto:{Bob}"]));
        var result = Result(ItipApplier.Apply(reply, stored, Organizer, Bob));
        var attendees = Master(result).Attendees;
        Assert.Equal("ACCEPTED", attendees.Single(a => a.Value!.ToString().Contains(Bob)).ParticipationStatus);
        Assert.Equal("NEEDS-ACTION", attendees.Single(a => a.Value!.ToString().Contains(Alice)).ParticipationStatus);
        // the same answer again changes nothing
        Assert.Equal(ImipStatus.IgnoredStale, ItipApplier.Apply(reply, result, Organizer, Bob).Status);
    }

    [Fact]
    public void Replies_of_one_sequence_are_ordered_by_dtstamp()
    {
        var accepted = Message("REPLY", Event(stamp: "20270102T100000Z", attendees: [$"PARTSTAT=ACCEPTED:mailto:{Bob}"]));
        var declinedLater = Message("REPLY", Event(stamp: "20270103T100000Z", attendees: [$"PARTSTAT=DECLINED:mailto:{Bob}"]));
        var tentativeEarlier = Message("REPLY", Event(stamp: "20270101T100000Z", attendees: [$"PARTSTAT=TENTATIVE:mailto:{Bob}"]));
        var declinedAgainLater = Message("REPLY", Event(stamp: "20270104T100000Z", attendees: [$"PARTSTAT=DECLINED:mailto:{Bob}"]));

        var afterAccept = Result(ItipApplier.Apply(accepted, Stored(Event()), Organizer, Bob));
        var afterDecline = Result(ItipApplier.Apply(declinedLater, afterAccept, Organizer, Bob));
        // the earlier TENTATIVE arrives late: it does not undo the newer DECLINED
        Assert.Equal(ImipStatus.IgnoredStale, ItipApplier.Apply(tentativeEarlier, afterDecline, Organizer, Bob).Status);
        string? Partstat(Calendar c) => Master(c).Attendees.Single(a => a.Value!.ToString().Contains(Bob)).ParticipationStatus;
        Assert.Equal("DECLINED", Partstat(afterDecline));
        // the same answer with a newer DTSTAMP moves the stamp on, so an answer between the two stays older
        var restamped = Result(ItipApplier.Apply(declinedAgainLater, afterDecline, Organizer, Bob));
        Assert.Equal(ImipStatus.IgnoredStale, ItipApplier.Apply(declinedLater, restamped, Organizer, Bob).Status);
        Assert.Contains("X-CALDERA-DTSTAMP=20270104T100000Z", new Ical.Net.Serialization.CalendarSerializer().SerializeToString(restamped));
    }

    [Fact]
    public void A_reply_for_the_series_and_one_instance_keeps_the_instances_own_answer()
    {
        var stored = Stored(Event(rrule: "FREQ=WEEKLY;COUNT=4"));
        var reply = Message("REPLY",
            Event(attendees: [$"PARTSTAT=ACCEPTED:mailto:{Bob}"]),
            Event(recurrenceId: "20270317T100000Z", start: "20270317T100000Z", end: "20270317T110000Z", attendees: [$"PARTSTAT=DECLINED:mailto:{Bob}"]));
        var result = Result(ItipApplier.Apply(reply, stored, Organizer, Bob));
        string? Bobs(CalendarEvent e) => e.Attendees.Single(a => a.Value!.ToString().Contains(Bob)).ParticipationStatus;
        Assert.Equal("ACCEPTED", Bobs(Master(result)));
        Assert.Equal("DECLINED", Bobs(result.Events.Single(e => e.RecurrenceIdentifier is not null)));
    }

    [Fact]
    public void A_reply_for_one_instance_makes_an_override_for_it()
    {
        var stored = Stored(Event(rrule: "FREQ=DAILY;COUNT=5"));
        var reply = Message("REPLY", Event(recurrenceId: "20270312T100000Z", start: "20270312T100000Z", end: "20270312T110000Z",
            attendees: [$"PARTSTAT=DECLINED:mailto:{Bob}"]));
        var result = Result(ItipApplier.Apply(reply, stored, Organizer, Bob));
        var instance = result.Events.Single(e => e.RecurrenceIdentifier is not null);
        Assert.Equal(new DateTime(2027, 3, 12, 10, 0, 0, DateTimeKind.Utc), instance.DtStart!.AsUtc);
        Assert.Equal("DECLINED", instance.Attendees.Single(a => a.Value!.ToString().Contains(Bob)).ParticipationStatus);
        Assert.Equal("NEEDS-ACTION", Master(result).Attendees.Single(a => a.Value!.ToString().Contains(Bob)).ParticipationStatus);
        Assert.Null(instance.RecurrenceRule);
    }

    [Fact]
    public void Checks_that_need_the_stored_copy()
    {
        // a UID that belongs to another organizer's event
        var foreign = Stored(Event(organizer: "someone@example.net"));
        Assert.Equal("uid-belongs-to-another-organizer", ItipApplier.Apply(Message("REQUEST", Event(sequence: 5)), foreign, Alice, null).Code);
        Assert.Equal("uid-belongs-to-another-organizer", ItipApplier.Apply(Message("CANCEL", Event(sequence: 5)), foreign, Alice, null).Code);
        // the recipient's own event (no ORGANIZER) is not anyone's to change by email
        var own = Stored(Event().Replace("ORGANIZER;CN=Org:mailto:organizer@example.com\r\n", ""));
        Assert.Equal(ImipStatus.Quarantined, ItipApplier.Apply(Message("REQUEST", Event(sequence: 5)), own, Alice, null).Status);
        // a request to its own organizer
        Assert.Equal("recipient-is-organizer", ItipApplier.Apply(Message("REQUEST", Event()), null, Organizer, null).Code);
        // a reply from someone the organizer did not invite
        var reply = Message("REPLY", Event(attendees: ["PARTSTAT=ACCEPTED:mailto:eve@example.net"]));
        Assert.Equal("not-an-attendee", ItipApplier.Apply(reply, Stored(Event()), Organizer, "eve@example.net").Code);
        // a reply to someone who is not the organizer
        Assert.Equal("recipient-not-organizer",
            ItipApplier.Apply(Message("REPLY", Event(attendees: [$"PARTSTAT=ACCEPTED:mailto:{Bob}"])), Stored(Event()), Alice, Bob).Code);
        // a reply or cancel for an unknown event
        Assert.Equal(ImipStatus.Ignored, ItipApplier.Apply(Message("CANCEL", Event()), null, Alice, null).Status);
    }

    [Fact]
    public void Add_puts_a_new_instance_into_the_series()
    {
        var stored = Stored(Event(rrule: "FREQ=WEEKLY;COUNT=2"));
        var result = Result(ItipApplier.Apply(Message("ADD", Event(sequence: 1, start: "20270401T100000Z", end: "20270401T110000Z", summary: "Extra")), stored, Alice, null));
        var days = Master(result).GetOccurrences(null, null).Select(o => o.Period.StartTime.AsUtc.Date).ToList();
        Assert.Contains(new DateTime(2027, 4, 1), days);
        Assert.Equal("Extra", result.Events.Single(e => e.RecurrenceIdentifier is not null).Summary);
    }

    [Theory]
    [InlineData("COUNTER", "counter-proposal")]
    [InlineData("REFRESH", "refresh-requested")]
    public void Counter_and_refresh_are_recorded_for_the_organizer(string method, string code)
    {
        var decision = ItipApplier.Apply(Message(method, Event(attendees: [$"PARTSTAT=NEEDS-ACTION:mailto:{Bob}"])), Stored(Event()), Organizer, Bob);
        Assert.Equal(ImipStatus.Recorded, decision.Status);
        Assert.Equal(code, decision.Code);
        Assert.Null(decision.NewText);
    }
}

using Caldera.Scheduling.Planning;
using static Caldera.Scheduling.Tests.Planning.Ics;
using static Caldera.Scheduling.Tests.Planning.Plans;

namespace Caldera.Scheduling.Tests.Planning;

/// <summary>RFC 6638 §7.1 SCHEDULE-AGENT, §7.2 SCHEDULE-FORCE-SEND and §3.2.9 status for addresses that cannot be mailed, on the organizer's side.</summary>
public sealed class ScheduleAgentTests
{
    const string CarolParams = "ATTENDEE;CN=Carol;";

    [Theory]
    [InlineData("CLIENT")]
    [InlineData("NONE")]
    [InlineData("X-EXPERIMENTAL")]
    public void An_attendee_the_server_does_not_schedule_for_gets_no_message_and_no_status(string agent)
    {
        var sent = Meeting.Replace(CarolParams, $"ATTENDEE;SCHEDULE-AGENT={agent};CN=Carol;");

        var plan = Write(null, sent);

        Assert.Equal([Bob], plan.Messages.Select(m => m.Recipient));
        Assert.Null(AttendeeParameter(plan.StoredText!, Carol, "SCHEDULE-STATUS"));
        Assert.Equal(agent, AttendeeParameter(plan.StoredText!, Carol, "SCHEDULE-AGENT"));
    }

    [Fact]
    public void A_client_scheduled_attendee_removed_gets_no_CANCEL_from_the_server()
    {
        var client = Meeting.Replace(CarolParams, "ATTENDEE;SCHEDULE-AGENT=CLIENT;CN=Carol;");

        Assert.Empty(Write(client, WithoutAttendee(client, Carol)).Messages);
    }

    [Fact]
    public void SCHEDULE_FORCE_SEND_REQUEST_resends_to_that_attendee_only_and_is_not_stored()
    {
        var forced = Meeting.Replace(CarolParams, "ATTENDEE;SCHEDULE-FORCE-SEND=REQUEST;CN=Carol;");

        var plan = Write(Meeting, forced);

        Only(plan, Carol, "REQUEST");
        Assert.Single(plan.Messages);
        Assert.NotNull(plan.StoredText);
        Assert.DoesNotContain("SCHEDULE-FORCE-SEND", plan.StoredText.Replace("\r\n ", ""));
        Assert.Equal("1.1", AttendeeParameter(plan.StoredText, Carol, "SCHEDULE-STATUS"));
        Assert.Null(AttendeeParameter(plan.StoredText, Bob, "SCHEDULE-STATUS"));
    }

    [Fact]
    public void An_attendee_with_an_address_that_is_not_mailto_gets_status_3_7_and_no_message()
    {
        var sent = Meeting.Replace("mailto:carol@example.net", "sip:carol@example.net");

        var plan = Write(null, sent);

        Assert.Equal([Bob], plan.Messages.Select(m => m.Recipient));
        var status = Load(plan.StoredText!).Events.Single().Attendees
            .Single(a => a.Value!.OriginalString.Contains("sip:", StringComparison.Ordinal)).Parameters.Get("SCHEDULE-STATUS");
        Assert.Equal("3.7", status);
    }

    [Fact]
    public void A_status_the_server_did_not_set_this_time_is_left_as_it_was()
    {
        var stored = Meeting.Replace("ATTENDEE;CN=Bob;", "ATTENDEE;CN=Bob;SCHEDULE-STATUS=1.2;");

        var plan = Write(stored, stored.Replace(CarolParams, "ATTENDEE;SCHEDULE-FORCE-SEND=REQUEST;CN=Carol;"));

        Assert.Equal("1.2", AttendeeParameter(plan.StoredText!, Bob, "SCHEDULE-STATUS"));
    }

    [Fact]
    public void A_participant_Ical_Net_cannot_read_is_never_dropped_by_rewriting_the_copy()
    {
        // Ical.Net 5.2.4 reads urn: and tel: ATTENDEE values as null; a re-serialized copy would lose the line.
        var sent = Meeting.Replace("mailto:carol@example.net", "urn:uuid:5b2b4d3c-7d7e-4c61-9d0e-2a4b7e1f0c11");

        var plan = Write(null, sent);

        Assert.Equal([Bob], plan.Messages.Select(m => m.Recipient));
        Assert.Null(plan.StoredText);
    }

    [Fact]
    public void An_attendee_handed_from_the_client_to_the_server_is_invited_by_the_server()
    {
        var client = Meeting.Replace(CarolParams, "ATTENDEE;SCHEDULE-AGENT=CLIENT;CN=Carol;");

        var plan = Write(client, Meeting);

        Only(plan, Carol, "REQUEST");
        Assert.Single(plan.Messages);
    }
}

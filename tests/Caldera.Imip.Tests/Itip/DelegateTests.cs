using Caldera.Imip.Itip;
using Caldera.Storage.Imip;
using Ical.Net;
using static Caldera.Imip.Tests.Itip.ItipText;

namespace Caldera.Imip.Tests.Itip;

/// <summary>
/// A SENT-BY is written by whoever writes the message. A delegate it names may bring a new invitation (anyone may
/// invite), but may change a stored copy only when that copy already names the same delegate: otherwise any
/// co-invitee who knows the UID could cancel or rewrite the recipient's event, or answer for another attendee.
/// </summary>
public sealed class DelegateTests
{
    const string Assistant = "assistant@example.com";
    const string Mallory = "mallory@example.net";

    static ItipMessage Message(string method, string component, string? delegateAddress)
    {
        var (message, refusal) = ItipParser.Parse(method, Calendar(method, component));
        Assert.Null(refusal);
        return message! with { Delegate = delegateAddress };
    }

    static Calendar Stored(string component) => Ical.Net.Calendar.Load(Calendar(null, component))!;

    [Fact]
    public void A_new_invitation_from_a_delegate_is_stored()
    {
        var decision = ItipApplier.Apply(Message("REQUEST", Event(organizerSentBy: Assistant), Assistant), null, Alice, null);
        Assert.Equal(ImipStatus.Applied, decision.Status);
    }

    [Theory]
    [InlineData("CANCEL")]
    [InlineData("REQUEST")]
    public void A_self_declared_delegate_cannot_change_a_copy_that_names_no_delegate(string method)
    {
        var stored = Stored(Event(sequence: 0));
        var decision = ItipApplier.Apply(Message(method, Event(sequence: 5, organizerSentBy: Mallory, status: method == "CANCEL" ? "CANCELLED" : null), Mallory),
            stored, Alice, null);
        Assert.Equal(ImipStatus.Quarantined, decision.Status);
        Assert.Equal("delegate-not-known", decision.Code);
        Assert.Null(decision.NewText);
    }

    [Fact]
    public void The_delegate_the_copy_names_may_cancel_it()
    {
        var stored = Stored(Event(sequence: 0, organizerSentBy: Assistant));
        var decision = ItipApplier.Apply(Message("CANCEL", Event(sequence: 1, organizerSentBy: Assistant, status: "CANCELLED"), Assistant),
            stored, Alice, null);
        Assert.Equal(ImipStatus.Applied, decision.Status);
        Assert.Contains("STATUS:CANCELLED", decision.NewText);
        // a different delegate still may not
        Assert.Equal("delegate-not-known", ItipApplier.Apply(
            Message("CANCEL", Event(sequence: 2, organizerSentBy: Mallory, status: "CANCELLED"), Mallory), stored, Alice, null).Code);
    }

    [Fact]
    public void A_reply_through_a_self_declared_delegate_is_quarantined_unless_the_organizers_copy_names_it()
    {
        var reply = Message("REPLY", Event(attendees: [$"PARTSTAT=DECLINED;SENT-BY=\"mailto:{Mallory}\":mailto:{Bob}"]), Mallory);
        var plain = Stored(Event());
        var refused = ItipApplier.Apply(reply, plain, Organizer, Bob);
        Assert.Equal(ImipStatus.Quarantined, refused.Status);
        Assert.Equal("delegate-not-known", refused.Code);

        var named = Stored(Event(attendees: [$"PARTSTAT=NEEDS-ACTION:mailto:{Alice}", $"PARTSTAT=NEEDS-ACTION;SENT-BY=\"mailto:{Mallory}\":mailto:{Bob}"]));
        var applied = ItipApplier.Apply(reply, named, Organizer, Bob);
        Assert.Equal(ImipStatus.Applied, applied.Status);
        Assert.Contains("DECLINED", applied.NewText);
    }
}

using Caldera.Imip.Itip;
using Caldera.Imip.Mime;
using static Caldera.Imip.Tests.Itip.ItipText;

namespace Caldera.Imip.Tests.Itip;

public sealed class SenderCheckTests
{
    static ItipMessage Message(string method, string component) => ItipParser.Parse(method, Calendar(method, component)).Message!;

    static InboundMail Mail(string from, string method, string? sender = null) =>
        new() { From = from, Sender = sender, Method = method, CalendarText = "" };

    [Theory]
    [InlineData("organizer@example.com", null, true)]
    [InlineData("ORGANIZER@example.com", null, true)]
    [InlineData("mallory@example.net", null, false)]
    // Sender is not authenticated by anyone (DMARC checks From): naming the organizer there proves nothing.
    [InlineData("mallory@example.net", "organizer@example.com", false)]
    [InlineData("assistant@example.com", null, true)] // SENT-BY on the ORGANIZER: accepted as a delegate
    public void Organizer_methods_come_from_the_organizer_or_its_sent_by(string from, string? sender, bool allowed)
    {
        var message = Message("REQUEST", Event(organizerSentBy: "assistant@example.com"));
        var refusal = SenderCheck.Check(message, Mail(from.ToLowerInvariant(), "REQUEST", sender), out _, out var delegateAddress);
        Assert.Equal(allowed, refusal is null);
        if (!allowed)
            Assert.Equal("sender-not-organizer", refusal!.Code);
        // Only a sender accepted through the message's own SENT-BY is a delegate; the organizer is not.
        Assert.Equal(allowed && from != "organizer@example.com" && from != "ORGANIZER@example.com" ? "assistant@example.com" : null, delegateAddress);
    }

    [Fact]
    public void Cancel_from_someone_else_is_refused()
    {
        var refusal = SenderCheck.Check(Message("CANCEL", Event()), Mail(Bob, "CANCEL"), out _, out _);
        Assert.Equal("sender-not-organizer", refusal!.Code);
    }

    [Fact]
    public void A_reply_speaks_for_the_attendee_that_sent_it()
    {
        var reply = Message("REPLY", Event(attendees: [$"PARTSTAT=ACCEPTED:mailto:{Bob}"]));
        Assert.Null(SenderCheck.Check(reply, Mail(Bob, "REPLY"), out var attendee, out var delegateAddress));
        Assert.Equal(Bob, attendee);
        Assert.Null(delegateAddress);
        Assert.Equal("sender-not-attendee", SenderCheck.Check(reply, Mail("eve@example.net", "REPLY"), out _, out _)!.Code);
        Assert.Equal("sender-not-attendee", SenderCheck.Check(reply, Mail("eve@example.net", "REPLY", sender: Bob), out _, out _)!.Code);
        var delegated = Message("REPLY", Event(attendees: [$"PARTSTAT=ACCEPTED;SENT-BY=\"mailto:secretary@example.org\":mailto:{Bob}"]));
        Assert.Null(SenderCheck.Check(delegated, Mail("secretary@example.org", "REPLY"), out attendee, out delegateAddress));
        Assert.Equal(Bob, attendee);
        Assert.Equal("secretary@example.org", delegateAddress);
    }
}

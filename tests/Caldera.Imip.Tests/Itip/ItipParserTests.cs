using System.Text;
using Caldera.Imip.Itip;

namespace Caldera.Imip.Tests.Itip;

public sealed class ItipParserTests
{
    [Fact]
    public void A_request_parses_to_its_uid_organizer_and_items()
    {
        var (message, refusal) = ItipParser.Parse("REQUEST", ItipText.Calendar("REQUEST", ItipText.Event(organizerSentBy: "assistant@example.com")));
        Assert.Null(refusal);
        Assert.Equal("evt-1", message!.Uid);
        Assert.Equal("VEVENT", message.Kind);
        Assert.Equal(ItipText.Organizer, message.Organizer);
        Assert.Equal("assistant@example.com", message.OrganizerSentBy);
        Assert.NotNull(message.Master);
    }

    [Theory]
    [InlineData("REPLY", "REQUEST", "method-mismatch")]
    [InlineData("REQUEST", null, "method-mismatch")]
    [InlineData("FROBNICATE", "FROBNICATE", "unsupported-method")]
    public void Methods_must_agree_and_be_itip(string mimeMethod, string? bodyMethod, string code)
    {
        var (_, refusal) = ItipParser.Parse(mimeMethod, ItipText.Calendar(bodyMethod, ItipText.Event()));
        Assert.Equal(code, refusal!.Code);
    }

    [Fact]
    public void Ten_thousand_components_are_refused_before_parsing()
    {
        var body = new StringBuilder();
        for (var i = 0; i < 10_000; i++)
            body.Append(ItipText.Event(recurrenceId: $"2027{(i % 12) + 1:D2}{(i % 28) + 1:D2}T100000Z"));
        var (_, refusal) = ItipParser.Parse("REQUEST", ItipText.Calendar("REQUEST", body.ToString()));
        Assert.Equal("too-many-components", refusal!.Code);
    }

    [Fact]
    public void Several_uids_no_organizer_and_journals_are_refused()
    {
        Assert.Equal("invalid-uid", ItipParser.Parse("REQUEST",
            ItipText.Calendar("REQUEST", ItipText.Event(uid: "a"), ItipText.Event(uid: "b", recurrenceId: "20270311T100000Z"))).Refusal!.Code);
        Assert.Equal("no-organizer", ItipParser.Parse("REQUEST",
            ItipText.Calendar("REQUEST", ItipText.Event().Replace("ORGANIZER;CN=Org:mailto:organizer@example.com\r\n", ""))).Refusal!.Code);
        Assert.Equal("unsupported-component", ItipParser.Parse("PUBLISH",
            ItipText.Calendar("PUBLISH", "BEGIN:VJOURNAL\r\nUID:j\r\nDTSTAMP:20270101T000000Z\r\nEND:VJOURNAL\r\n")).Refusal!.Code);
        Assert.Contains(ItipParser.Parse("REQUEST", "this is not iCalendar").Refusal!.Code, new[] { "invalid-icalendar", "method-mismatch" });
    }

    [Theory]
    [InlineData("mailto:Alice@Example.COM", "alice@example.com")]
    [InlineData("MAILTO:bob@example.org", "bob@example.org")]
    [InlineData("alice@example.com", "alice@example.com")]
    [InlineData("urn:uuid:1234", null)]
    [InlineData("mailto:", null)]
    [InlineData("mailto:no-at-sign", null)]
    [InlineData("mailto:a%0Ab@example.com", null)]  // a forged line break would reach logs and status rows
    [InlineData("a\r\nX-Forged: 1@example.com", null)]
    [InlineData("mailto:a%09b@example.com", null)]
    [InlineData("mailto:a b@example.com", null)]
    public void Addresses_compare_as_lower_case_emails(string value, string? expected) =>
        Assert.Equal(expected, CalendarAddress.Normalize(value));
}

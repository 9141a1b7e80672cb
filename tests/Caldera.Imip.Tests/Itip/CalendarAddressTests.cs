using Caldera.Imip.Itip;

namespace Caldera.Imip.Tests.Itip;

public sealed class CalendarAddressTests
{
    [Theory]
    [InlineData("mailto:Carol@Example.COM", "carol@example.com")]
    [InlineData("carol@example.com", "carol@example.com")]
    [InlineData("MAILTO:bob%40example.org", "bob@example.org")]
    public void Mailto_addresses_become_lower_case_emails(string value, string expected) =>
        Assert.Equal(expected, CalendarAddress.Normalize(value));

    [Theory]
    [InlineData("urn:uuid:0b2f6c39-2b56-4f6b-9d5a-57a7a1f4d7a3")]
    [InlineData("sip:carol@example.net")]
    [InlineData("mailto:sip:carol@example.net")] // what Ical.Net makes of a sip: ATTENDEE
    [InlineData("mailto:carol@exa\r\nmple.com")]
    [InlineData("mailto:no-at-sign")]
    [InlineData("")]
    public void Anything_else_is_not_an_email(string value) => Assert.Null(CalendarAddress.Normalize(value));
}

using Caldera.Imip.Outbound;
using Microsoft.Extensions.Configuration;
using static Caldera.Imip.Tests.Outbound.OutboundSamples;

namespace Caldera.Imip.Tests.Outbound;

public class SmtpSettingsTests
{
    [Fact]
    public void Without_a_host_everything_is_held_with_a_reason_naming_the_setting()
    {
        var settings = SmtpSettings.Read(new ConfigurationBuilder().Build());
        Assert.False(settings.CanSend);
        Assert.Contains("Caldera__Smtp__Host", settings.HeldReason);
        Assert.Equal("held — set Caldera__Smtp__Host to send", settings.Describe());
    }

    [Fact]
    public void Ports_default_by_security_and_the_description_never_shows_the_password()
    {
        Assert.Equal(587, Settings().Port);
        Assert.Equal(SmtpSecurity.StartTls, Settings().Security);
        Assert.Equal(465, Settings(("Security", "SslOnConnect")).Port);
        Assert.Equal(25, Settings(("Security", "none")).Port);
        var withAuth = Settings(("Port", "2525"), ("UserName", "relay-user"), ("Password", "s3cret-value"));
        Assert.True(withAuth.CanSend);
        Assert.Equal("smtp://smtp.example.net:2525 (StartTls, as relay-user)", withAuth.Describe());
        Assert.DoesNotContain("s3cret", withAuth.Describe());
    }

    [Theory]
    [InlineData("Security", "Tls13", "Caldera__Smtp__Security")]
    [InlineData("Port", "70000", "Caldera__Smtp__Port")]
    [InlineData("From", "a@example.com, b@example.com", "Caldera__Smtp__From")]
    [InlineData("From", "caldera@example.com\r\nBcc: x@example.net", "Caldera__Smtp__From")]
    [InlineData("Password", "@Microsoft.KeyVault(VaultName=kv;SecretName=smtp-password)", "Key Vault reference")]
    [InlineData("MaxEmailsPerUserPerHour", "-1", "Caldera__Smtp__MaxEmailsPerUserPerHour")]
    [InlineData("MaxEmailsPerUserPerHour", "lots", "Caldera__Smtp__MaxEmailsPerUserPerHour")]
    public void Bad_settings_hold_the_mail_and_say_which(string key, string value, string named)
    {
        var settings = Settings(("UserName", "u"), ("Password", "p"), (key, value));
        Assert.False(settings.CanSend);
        Assert.Contains(named, settings.HeldReason);
        Assert.StartsWith("held — ", settings.Describe());
    }

    [Fact]
    public void Allowed_sender_domains_default_to_the_system_senders_domain()
    {
        Assert.True(Settings().MaySendAs("example.com"));
        Assert.False(Settings().MaySendAs("example.org"));
        Assert.True(Settings(("SenderDomains", "Example.org, example.net")).MaySendAs("EXAMPLE.ORG"));
        Assert.False(Settings(("SenderDomains", "example.org")).MaySendAs("example.com"));
        Assert.True(Settings(("From", null)).MaySendAs("anything.example"));
    }

    [Fact]
    public void The_hourly_limit_per_user_defaults_to_200_and_0_means_none()
    {
        Assert.Equal(200, Settings().MaxEmailsPerUserPerHour);
        Assert.Equal(0, Settings(("MaxEmailsPerUserPerHour", "0")).MaxEmailsPerUserPerHour);
        Assert.Equal(3, Settings(("MaxEmailsPerUserPerHour", " 3 ")).MaxEmailsPerUserPerHour);
        // A typo keeps the default (it never lifts the limit) and holds sending with the reason.
        var typo = Settings(("MaxEmailsPerUserPerHour", "lots"));
        Assert.Equal(200, typo.MaxEmailsPerUserPerHour);
        Assert.False(typo.CanSend);
    }
}

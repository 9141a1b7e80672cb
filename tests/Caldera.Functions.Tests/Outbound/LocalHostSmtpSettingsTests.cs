using System.Collections;
using Caldera.Imip.Outbound;
using Caldera.LocalHost;
using Microsoft.Extensions.Configuration;

namespace Caldera.Functions.Tests.Outbound;

/// <summary>The local host takes the SMTP settings under their app setting names, as the app in Azure does.</summary>
public sealed class LocalHostSmtpSettingsTests
{
    [Fact]
    public void Caldera__Smtp__settings_in_the_environment_reach_the_apps_configuration()
    {
        var env = new Hashtable
        {
            ["Caldera__Smtp__Host"] = "smtp.example.net",
            ["Caldera__Smtp__Port"] = "2525",
            ["Caldera__Smtp__Security"] = "SslOnConnect",
            ["Caldera__Smtp__Password"] = "pw-from-env",
            ["Caldera__Smtp__From"] = "Caldera <caldera@example.net>",
            ["UNRELATED"] = "x",
        };
        var options = LocalServerOptions.Parse([], env).Options!;
        Assert.Equal("smtp.example.net", options.Configuration!["Caldera:Smtp:Host"]);
        Assert.Equal("pw-from-env", options.Configuration["Caldera:Smtp:Password"]);
        Assert.Equal(5, options.Configuration.Count);

        var settings = SmtpSettings.Read(new ConfigurationBuilder().AddInMemoryCollection(options.Configuration).Build());
        Assert.Equal("smtp://smtp.example.net:2525 (SslOnConnect)", settings.Describe());
    }

    [Fact]
    public void Without_SMTP_settings_nothing_is_added_and_the_help_says_how()
    {
        Assert.Null(LocalServerOptions.Parse([], new Hashtable()).Options!.Configuration);
        Assert.Contains("Caldera__Smtp__Host", LocalServerOptions.HelpText);
    }
}

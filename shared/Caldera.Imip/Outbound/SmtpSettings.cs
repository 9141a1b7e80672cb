using System.Globalization;
using Microsoft.Extensions.Configuration;
using MimeKit;

namespace Caldera.Imip.Outbound;

/// <summary>How the connection to the relay is secured (MailKit's SecureSocketOptions, a safe subset).</summary>
public enum SmtpSecurity
{
    /// <summary>Plain SMTP: a relay on the same host or a test server only.</summary>
    None,
    /// <summary>STARTTLS, required (the connection fails if the relay does not offer it). The default.</summary>
    StartTls,
    /// <summary>TLS from the first byte (port 465).</summary>
    SslOnConnect,
    /// <summary>MailKit decides by port: TLS on 465, otherwise STARTTLS when offered (and plain when not).</summary>
    Auto,
}

/// <summary>
/// The relay outbound iMIP email goes through, read from configuration section <c>Caldera:Smtp</c> (app settings
/// <c>Caldera__Smtp__Host</c>, …). Read at every send, so a host that changes configuration (or a test) needs no
/// restart. Without a host nothing is sent: emails are kept with status held until a resend.
/// </summary>
public sealed record SmtpSettings
{
    public const string Section = "Caldera:Smtp";
    /// <summary>What an App Service Key Vault reference looks like while the platform has not resolved it.</summary>
    const string UnresolvedKeyVaultReference = "@Microsoft.KeyVault(";

    public string? Host { get; init; }
    public int Port { get; init; }
    public SmtpSecurity Security { get; init; } = SmtpSecurity.StartTls;
    public string? UserName { get; init; }
    public string? Password { get; init; }
    /// <summary>The system sender (<c>Caldera:Smtp:From</c>): envelope sender, and the From when a user's domain may not be sent for.</summary>
    public MailboxAddress? SystemFrom { get; init; }
    /// <summary>
    /// Domains the relay may send as (<c>Caldera:Smtp:SenderDomains</c>, comma-separated). Unset: the system sender's
    /// domain only, or every domain when there is no system sender.
    /// </summary>
    public IReadOnlyList<string> SenderDomains { get; init; } = [];
    /// <summary>
    /// Outbound iMIP emails one user may queue per fixed UTC hour (<c>Caldera:Smtp:MaxEmailsPerUserPerHour</c>,
    /// default <see cref="DefaultMaxEmailsPerUserPerHour"/>); 0 means no limit. Enforced when an email is queued.
    /// </summary>
    public int MaxEmailsPerUserPerHour { get; init; } = DefaultMaxEmailsPerUserPerHour;
    public const int DefaultMaxEmailsPerUserPerHour = 200;
    /// <summary>Why nothing can be sent with these settings, or null when they are complete.</summary>
    public string? HeldReason { get; init; }

    public bool CanSend => HeldReason is null;

    public static SmtpSettings Read(IConfiguration configuration)
    {
        var section = configuration.GetSection(Section);
        var host = Blank(section["Host"]);
        var problems = new List<string>();

        var security = SmtpSecurity.StartTls;
        if (Blank(section["Security"]) is { } securityText && !Enum.TryParse(securityText, ignoreCase: true, out security))
            problems.Add($"Caldera__Smtp__Security '{securityText}' is not None, StartTls, SslOnConnect or Auto");

        var port = security switch { SmtpSecurity.SslOnConnect => 465, SmtpSecurity.None => 25, _ => 587 };
        if (Blank(section["Port"]) is { } portText &&
            (!int.TryParse(portText, NumberStyles.None, CultureInfo.InvariantCulture, out port) || port is < 1 or > 65535))
            problems.Add($"Caldera__Smtp__Port '{portText}' is not a port number");

        var maxPerHour = DefaultMaxEmailsPerUserPerHour;
        if (Blank(section["MaxEmailsPerUserPerHour"]) is { } maxText &&
            !int.TryParse(maxText, NumberStyles.None, CultureInfo.InvariantCulture, out maxPerHour))
        {
            // A typo must not lift the limit: the default applies, and like any invalid setting it holds sending with the reason.
            maxPerHour = DefaultMaxEmailsPerUserPerHour;
            problems.Add($"Caldera__Smtp__MaxEmailsPerUserPerHour '{maxText}' is not a whole number (0 = no limit)");
        }

        MailboxAddress? from = null;
        if (Blank(section["From"]) is { } fromText)
        {
            from = HeaderSafety.ParseMailbox(fromText);
            if (from is null)
                problems.Add("Caldera__Smtp__From is not one email address (\"Name <address>\" or \"address\")");
        }

        var domains = (section["SenderDomains"] ?? "")
            .Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(d => d.ToLowerInvariant())
            .ToList();

        var userName = Blank(section["UserName"]);
        var password = section["Password"];
        if (password is not null && password.StartsWith(UnresolvedKeyVaultReference, StringComparison.OrdinalIgnoreCase))
            problems.Add("Caldera__Smtp__Password is a Key Vault reference the platform has not resolved (does the secret exist, may the app's identity read it?)");
        else if (userName is not null && string.IsNullOrEmpty(password))
            problems.Add("Caldera__Smtp__UserName is set but Caldera__Smtp__Password is empty");

        string? held = host is null
            ? "no SMTP relay is configured (set Caldera__Smtp__Host); the email is kept and a resend sends it"
            : problems.Count > 0 ? string.Join("; ", problems) : null;
        return new SmtpSettings
        {
            Host = host, Port = port, Security = security, UserName = userName, Password = password,
            SystemFrom = from, SenderDomains = domains, MaxEmailsPerUserPerHour = maxPerHour, HeldReason = held,
        };
    }

    /// <summary>May the relay send with a From in <paramref name="domain"/>?</summary>
    public bool MaySendAs(string domain)
    {
        domain = domain.ToLowerInvariant();
        if (SenderDomains.Count > 0)
            return SenderDomains.Contains(domain);
        return SystemFrom is null || string.Equals(DomainOf(SystemFrom.Address), domain, StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>One line for the local host's banner: where outbound mail goes. Never shows the password.</summary>
    public string Describe() =>
        Host is null ? "held — set Caldera__Smtp__Host to send"
        : HeldReason is { } reason ? $"held — {reason}"
        : $"smtp://{Host}:{Port} ({Security}{(UserName is null ? "" : $", as {UserName}")})";

    internal static string DomainOf(string address) => address[(address.LastIndexOf('@') + 1)..].ToLowerInvariant();

    static string? Blank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}

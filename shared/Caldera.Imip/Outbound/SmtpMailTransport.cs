using MailKit.Net.Smtp;
using MimeKit;

namespace Caldera.Imip.Outbound;

/// <summary>Sends one email over SMTP with MailKit: a connection per email (the queue function sends one at a time).</summary>
public class SmtpMailTransport
{
    static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    public virtual async Task SendAsync(MimeMessage message, string envelopeFrom, string recipient, SmtpSettings settings, CancellationToken ct)
    {
        using var client = new SmtpClient { Timeout = (int)Timeout.TotalMilliseconds };
        await client.ConnectAsync(settings.Host ?? throw new InvalidOperationException("no SMTP host is configured"), settings.Port, settings.Security switch
        {
            SmtpSecurity.None => MailKit.Security.SecureSocketOptions.None,
            SmtpSecurity.SslOnConnect => MailKit.Security.SecureSocketOptions.SslOnConnect,
            SmtpSecurity.Auto => MailKit.Security.SecureSocketOptions.Auto,
            _ => MailKit.Security.SecureSocketOptions.StartTls,
        }, ct);
        if (settings.UserName is not null)
            await client.AuthenticateAsync(settings.UserName, settings.Password ?? "", ct);
        await client.SendAsync(ImipMessageBuilder.Format, message, new MailboxAddress("", envelopeFrom), [new MailboxAddress("", recipient)], ct);
        await client.DisconnectAsync(quit: true, ct);
    }
}

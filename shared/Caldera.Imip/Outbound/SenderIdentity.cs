using MimeKit;

namespace Caldera.Imip.Outbound;

/// <summary>
/// Who an outbound email says it is from. RFC 6047 §3 has receivers match the From (or Sender) against the
/// ORGANIZER, or the ATTENDEE of a REPLY, so the From is the calendar user whenever the relay may send for their
/// domain (with Sender = the system address when that differs, RFC 5322 §3.6.2: who actually transmitted it).
/// When it may not (a relay verified for some domains only), the From is "Name via Caldera" &lt;system address&gt;
/// and Reply-To the calendar user, so answers still reach them; receivers that insist on From = ORGANIZER (as
/// Caldera's own inbound check does) will not apply such a message automatically.
/// </summary>
public sealed record SenderIdentity(MailboxAddress From, MailboxAddress? Sender, MailboxAddress? ReplyTo, string EnvelopeFrom)
{
    public const string Via = "via Caldera";

    /// <param name="calendarUser">The validated calendar user address (lower case).</param>
    /// <param name="name">The calendar user's display name (CN), already made header-safe; may be empty.</param>
    public static SenderIdentity For(string calendarUser, string name, SmtpSettings settings)
    {
        var user = new MailboxAddress(name, calendarUser);
        var system = settings.SystemFrom;
        if (settings.MaySendAs(SmtpSettings.DomainOf(calendarUser)) || system is null)
        {
            var sender = system is not null && !string.Equals(system.Address, calendarUser, StringComparison.OrdinalIgnoreCase) ? system : null;
            return new SenderIdentity(user, sender, null, system?.Address ?? calendarUser);
        }
        var display = HeaderSafety.Text($"{(name.Length > 0 ? name : calendarUser)} {Via}", HeaderSafety.MaxName + Via.Length + 1);
        return new SenderIdentity(new MailboxAddress(display, system.Address), null, user, system.Address);
    }

    /// <summary>Sets From, Sender and Reply-To on <paramref name="message"/> (replacing what was there).</summary>
    public void ApplyTo(MimeMessage message)
    {
        message.From.Clear();
        message.From.Add(From);
        message.Sender = Sender;
        message.ReplyTo.Clear();
        if (ReplyTo is not null)
            message.ReplyTo.Add(ReplyTo);
    }
}

using Caldera.Imip.Mime;
using Ical.Net.CalendarComponents;

namespace Caldera.Imip.Itip;

/// <summary>
/// RFC 6047 §3: an iTIP message is only as trustworthy as its sender. Organizer methods must come from the
/// ORGANIZER (or whoever its SENT-BY names); attendee methods from the ATTENDEE they speak for (or its SENT-BY).
/// </summary>
public static class SenderCheck
{
    static readonly string[] OrganizerMethods = ["PUBLISH", "REQUEST", "ADD", "CANCEL", "DECLINECOUNTER"];

    public static bool IsOrganizerMethod(string method) => OrganizerMethods.Contains(method);

    /// <summary>Null when the sender may send this; for attendee methods <paramref name="attendee"/> is whom it speaks for.</summary>
    public static ImipRefusal? Check(ItipMessage message, InboundMail mail, out string? attendee)
    {
        attendee = null;
        // The Sender header names the mailbox that actually sent on behalf of From (RFC 5322 §3.6.2).
        string?[] senders = [mail.From, mail.Sender];
        if (IsOrganizerMethod(message.Method))
        {
            if (senders.Any(s => CalendarAddress.Same(s, message.Organizer) || CalendarAddress.Same(s, message.OrganizerSentBy)))
                return null;
            return new ImipRefusal("sender-not-organizer",
                $"{message.Method} must come from the ORGANIZER {message.Organizer}, but the email is from {mail.From} (RFC 6047 §3)");
        }

        foreach (var item in message.Items.OfType<UniqueComponent>())
            foreach (var a in item.Attendees)
            {
                var address = CalendarAddress.Normalize(a.Value);
                if (address is null)
                    continue;
                if (senders.Any(s => CalendarAddress.Same(s, address) || CalendarAddress.Same(s, CalendarAddress.Normalize(a.SentBy))))
                {
                    attendee = address;
                    return null;
                }
            }
        return new ImipRefusal("sender-not-attendee",
            $"{message.Method} must come from the ATTENDEE it answers for, but {mail.From} is not among the message's attendees (RFC 6047 §3)");
    }
}

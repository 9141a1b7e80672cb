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

    /// <summary>
    /// Null when the sender may send this; for attendee methods <paramref name="attendee"/> is whom it speaks for, and
    /// <paramref name="delegateAddress"/> is the sender when it is accepted only through the message's own SENT-BY.
    /// </summary>
    /// <remarks>
    /// Only From counts. It is the address the receiving gateway's DMARC check authenticates; the Sender header is not
    /// checked by anyone, so a mail "From: mallory" with "Sender: organizer" must not pass as the organizer's.
    /// </remarks>
    public static ImipRefusal? Check(ItipMessage message, InboundMail mail, out string? attendee, out string? delegateAddress)
    {
        attendee = null;
        delegateAddress = null;
        var from = mail.From;
        if (IsOrganizerMethod(message.Method))
        {
            if (CalendarAddress.Same(from, message.Organizer))
                return null;
            if (CalendarAddress.Same(from, message.OrganizerSentBy))
            {
                delegateAddress = message.OrganizerSentBy;
                return null;
            }
            return new ImipRefusal("sender-not-organizer",
                $"{message.Method} must come from the ORGANIZER {message.Organizer}, but the email is from {from} (RFC 6047 §3)");
        }

        string? delegated = null, delegatedFor = null;
        foreach (var item in message.Items.OfType<UniqueComponent>())
            foreach (var a in item.Attendees)
            {
                var address = CalendarAddress.Normalize(a.Value);
                if (address is null)
                    continue;
                if (CalendarAddress.Same(from, address))
                {
                    attendee = address;
                    return null;
                }
                if (delegatedFor is null && CalendarAddress.Normalize(a.SentBy) is { } sentBy && CalendarAddress.Same(from, sentBy))
                    (delegated, delegatedFor) = (sentBy, address);
            }
        if (delegatedFor is not null)
        {
            (attendee, delegateAddress) = (delegatedFor, delegated);
            return null;
        }
        return new ImipRefusal("sender-not-attendee",
            $"{message.Method} must come from the ATTENDEE it answers for, but {from} is not among the message's attendees (RFC 6047 §3)");
    }
}

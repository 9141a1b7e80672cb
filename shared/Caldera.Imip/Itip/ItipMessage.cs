using Ical.Net;
using Ical.Net.CalendarComponents;

namespace Caldera.Imip.Itip;

/// <summary>
/// A parsed iTIP message (RFC 5546): one METHOD, one UID, its components (a master and/or instances), and the
/// ORGANIZER they all name.
/// </summary>
public sealed record ItipMessage
{
    public required string Method { get; init; }
    public required Calendar Calendar { get; init; }
    /// <summary>The calendar part's text as it came.</summary>
    public required string Text { get; init; }
    /// <summary>VEVENT or VTODO.</summary>
    public required string Kind { get; init; }
    public required string Uid { get; init; }
    /// <summary>The components of <see cref="Kind"/>, master first when there is one.</summary>
    public required IReadOnlyList<RecurringComponent> Items { get; init; }
    /// <summary>The ORGANIZER's email (lower case).</summary>
    public required string Organizer { get; init; }
    /// <summary>SENT-BY of the ORGANIZER, when the organizer's mail was sent by someone on their behalf.</summary>
    public string? OrganizerSentBy { get; init; }

    /// <summary>
    /// Set by <see cref="SenderCheck"/> when the email came from a delegate named only by this message's own SENT-BY
    /// (not from the ORGANIZER or ATTENDEE itself): the delegate's address. Anyone can write a SENT-BY, so
    /// <see cref="ItipApplier"/> lets it change a stored copy only when that copy already names the same delegate.
    /// </summary>
    public string? Delegate { get; init; }

    public RecurringComponent? Master => Items.FirstOrDefault(i => i.InstanceId() is null);
}

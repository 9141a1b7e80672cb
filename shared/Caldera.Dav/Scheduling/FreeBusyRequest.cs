using System.Xml.Linq;
using Caldera.Calendars;
using Ical.Net.CalendarComponents;
using static Caldera.Dav.Xml.DavNames;

namespace Caldera.Dav.Scheduling;

/// <summary>
/// A VFREEBUSY REQUEST posted to an outbox (RFC 6638 §5, RFC 5546 §3.3.2), checked before anything is looked up:
/// one VFREEBUSY with METHOD:REQUEST, an ORGANIZER, UTC DTSTART before DTEND, and 1 to <see cref="MaxAttendees"/> ATTENDEEs.
/// </summary>
public sealed record FreeBusyRequest(string Organizer, IReadOnlyList<string> Attendees, DateTime Start, DateTime End, string? Uid,
    string? MaskUid = null)
{
    /// <summary>Recipients one POST may ask about: each costs a directory lookup and a pass over that user's calendars.</summary>
    public const int MaxAttendees = 100;

    /// <summary>Request bodies past this are refused (413) before they are parsed: a free-busy request is a few hundred bytes per attendee.</summary>
    public const int MaxBodyBytes = 128 * 1024;

    public static FreeBusyRequest Parse(byte[] body)
    {
        Ical.Net.Calendar? calendar;
        try
        {
            calendar = Ical.Net.Calendar.Load(CalendarText.Read(body));
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            throw DavException.BadRequest("the body is not valid iCalendar: " + e.Message, new XElement(C + "valid-calendar-data"));
        }
        if (calendar is null)
            throw DavException.BadRequest("the body is not valid iCalendar", new XElement(C + "valid-calendar-data"));
        var method = calendar.Method?.Trim().ToUpperInvariant();
        if (string.IsNullOrEmpty(method))
            throw Invalid(400, "a scheduling message needs a METHOD (RFC 5546 §3.2)");
        var components = calendar.Children.OfType<CalendarComponent>().Where(c => c is not VTimeZone).ToList();
        if (method != "REQUEST" || components.Count == 0 || components.Any(c => c is not FreeBusy))
            throw Invalid(403, "the outbox answers only free-busy requests (METHOD:REQUEST with VFREEBUSY); invitations are sent by storing the event in a calendar");
        if (components.Count != 1)
            throw Invalid(400, "a free-busy request holds exactly one VFREEBUSY");
        var fb = (FreeBusy)components[0];

        // Addresses are read from the text itself: Ical.Net turns values that are no URI into gaps, and any address
        // (urn:, a typo) must still get its own answer.
        var text = CalendarText.Read(body);
        var organizers = AddressesOf(text, "ORGANIZER");
        if (organizers.Count != 1 || organizers[0].Length == 0)
            throw Invalid(400, "the VFREEBUSY needs exactly one ORGANIZER");
        var organizer = organizers[0];
        var attendees = AddressesOf(text, "ATTENDEE");
        if (attendees.Count == 0 || attendees.Any(a => a.Length == 0))
            throw Invalid(400, "the VFREEBUSY needs at least one ATTENDEE, each with an address");
        if (attendees.Count > MaxAttendees)
            throw DavException.Forbidden($"a free-busy request may name at most {MaxAttendees} attendees; this one names {attendees.Count}",
                new XElement(C + "max-attendees-per-instance"));
        if (fb.DtStart is not { HasTime: true, IsUtc: true } start || fb.DtEnd is not { HasTime: true, IsUtc: true } end)
            throw Invalid(400, "the VFREEBUSY needs DTSTART and DTEND as UTC date-times (RFC 5546 §3.3.2)");
        if (end.AsUtc <= start.AsUtc)
            throw Invalid(400, "the VFREEBUSY ends before it starts");
        var uid = fb.Uid is { Length: > 0 and <= 255 } u && !u.Any(char.IsControl) ? u : null;
        // CalendarServer's X-CALENDARSERVER-MASK-UID: the event being edited, left out of the answer (see BusyMask).
        var mask = AddressesOf(text, "X-CALENDARSERVER-MASK-UID").FirstOrDefault(m => m.Length is > 0 and <= 255 && !m.Any(char.IsControl));
        return new FreeBusyRequest(organizer, attendees.Distinct(StringComparer.OrdinalIgnoreCase).ToList(),
            DateTime.SpecifyKind(start.AsUtc, DateTimeKind.Utc), DateTime.SpecifyKind(end.AsUtc, DateTimeKind.Utc), uid, mask);
    }

    /// <summary>The values of one property of the VFREEBUSY (unfolded; parameters, quoted or not, skipped): addresses, the mask UID.</summary>
    static List<string> AddressesOf(string text, string property)
    {
        var values = new List<string>();
        var inside = false;
        foreach (var line in ICalendarLineScanner.Unfold(text))
        {
            if (line.Equals("BEGIN:VFREEBUSY", StringComparison.OrdinalIgnoreCase))
                inside = true;
            else if (line.Equals("END:VFREEBUSY", StringComparison.OrdinalIgnoreCase))
                inside = false;
            else if (inside && ICalendarLineScanner.IsProperty(line, property))
                values.Add(ICalendarLineScanner.ValueOf(line).Trim());
        }
        return values;
    }

    static DavException Invalid(int status, string message) => new(status, message, new XElement(C + "valid-scheduling-message"));
}

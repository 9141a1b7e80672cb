using Caldera.Calendars;
using Caldera.Imip.Mime;
using Ical.Net;
using Ical.Net.CalendarComponents;

namespace Caldera.Imip.Itip;

/// <summary>Turns a calendar part into an <see cref="ItipMessage"/>, or the refusal that says why it cannot be one.</summary>
public static class ItipParser
{
    /// <summary>More components than this (VTIMEZONE and VALARM included) is not an invitation anyone sends.</summary>
    public const int MaxComponents = 1000;

    public static readonly IReadOnlyList<string> Methods = ["PUBLISH", "REQUEST", "REPLY", "ADD", "CANCEL", "REFRESH", "COUNTER", "DECLINECOUNTER"];
    static readonly string[] Kinds = ["VEVENT", "VTODO"];

    public static (ItipMessage? Message, ImipRefusal? Refusal) Parse(string method, string text)
    {
        if (!Methods.Contains(method))
            return Refuse("unsupported-method", $"METHOD {method} is not an iTIP method Caldera applies");
        // Count before Ical.Net builds objects for them: a 10,000-component body costs a line scan, not a parse.
        var components = CountComponents(text);
        if (components > MaxComponents)
            return Refuse("too-many-components", $"the calendar part has {components} components; at most {MaxComponents} are read");

        Calendar? calendar;
        try
        {
            calendar = Calendar.Load(text);
        }
        catch (Exception e)
        {
            return Refuse("invalid-icalendar", "the calendar part is not valid iCalendar: " + e.Message);
        }
        if (calendar is null)
            return Refuse("invalid-icalendar", "the calendar part holds no VCALENDAR");
        if (!string.Equals(calendar.Method, method, StringComparison.OrdinalIgnoreCase))
            return Refuse("method-mismatch", $"the MIME method is {method} but the iCalendar METHOD is {calendar.Method ?? "missing"} (RFC 6047 §2.4)");

        var kinds = calendar.Children.OfType<CalendarComponent>().Select(c => c.Name.ToUpperInvariant())
            .Where(n => n is not "VTIMEZONE").Distinct().ToList();
        if (kinds.Count != 1 || !Kinds.Contains(kinds[0]))
            return Refuse("unsupported-component", kinds.Count == 0
                ? "the calendar part holds no VEVENT or VTODO"
                : $"the calendar part holds {string.Join(", ", kinds)}; one of VEVENT or VTODO is applied");
        var kind = kinds[0];
        var items = calendar.Children.OfType<RecurringComponent>().Where(c => c.Name.Equals(kind, StringComparison.OrdinalIgnoreCase))
            .OrderBy(c => c.InstanceId() is null ? 0 : 1).ToList();

        var uids = items.Select(i => RawText(i, "UID")).Distinct().ToList();
        if (uids.Count != 1 || string.IsNullOrWhiteSpace(uids[0]))
            return Refuse("invalid-uid", "every component of an iTIP message must carry the same UID");
        if (items.Count(i => i.InstanceId() is null) > 1)
            return Refuse("invalid-icalendar", "more than one component without RECURRENCE-ID");

        var organizers = items.Select(i => i is UniqueComponent u ? CalendarAddress.Normalize(u.Organizer?.Value) : null).Distinct().ToList();
        if (organizers.Count != 1 || organizers[0] is null)
            return Refuse("no-organizer", "every component must name one and the same ORGANIZER with a mailto: address");
        var sentBy = items.OfType<UniqueComponent>().Select(u => CalendarAddress.Normalize(u.Organizer?.SentBy)).FirstOrDefault(s => s is not null);

        return (new ItipMessage
        {
            Method = method,
            Calendar = calendar,
            Text = text,
            Kind = kind,
            Uid = uids[0]!,
            Items = items,
            Organizer = organizers[0]!,
            OrganizerSentBy = sentBy,
        }, null);
    }

    /// <summary>Ical.Net invents values for some missing properties (UID); this reads only what the text had.</summary>
    internal static string? RawText(CalendarComponent c, string name) =>
        c.Properties.ContainsKey(name) ? c.Properties.Get<string>(name) : null;

    static int CountComponents(string text)
    {
        var n = 0;
        foreach (var line in ICalendarLineScanner.Unfold(text))
            if (line.StartsWith("BEGIN:", StringComparison.OrdinalIgnoreCase) && ++n > MaxComponents)
                break;
        return n;
    }

    static (ItipMessage?, ImipRefusal?) Refuse(string code, string reason) => (null, new ImipRefusal(code, reason));
}

using System.Globalization;
using System.Text;
using Caldera.Imip.Itip;
using Ical.Net.CalendarComponents;
using Ical.Net.DataTypes;

namespace Caldera.Imip.Outbound;

/// <summary>
/// The human half of an outbound iMIP email: subject and a short text saying what, when, where, who, and what to do,
/// per METHOD. Every value from the calendar passes <see cref="HeaderSafety.Text"/>; the HTML form is encoded.
/// </summary>
public sealed record InvitationText(string Subject, IReadOnlyList<(string Label, string Value)> Facts, string Lead, string Action)
{
    const int MaxValue = 500;

    public static InvitationText From(ItipMessage itip, string calendarUser, string? summary)
    {
        var item = itip.Master ?? itip.Items[0];
        var title = HeaderSafety.Text(summary ?? item.Summary, HeaderSafety.MaxSubjectText);
        if (title.Length == 0)
            title = "(no title)";
        var organizer = Person(item is UniqueComponent u ? u.Organizer : null) ?? itip.Organizer;
        var when = When(item);
        var facts = new List<(string, string)> { ("What", title) };
        if (when is not null)
            facts.Add(("When", when));
        if (item.RecurrenceRule is { } rule)
            facts.Add(("Repeats", HeaderSafety.Text(rule.ToString(), MaxValue)));
        if (itip.Master is null && item.InstanceId() is { } rid)
            facts.Add(("Occurrence", Format(rid)));
        if (item is CalendarEvent { Location: { Length: > 0 } location })
            facts.Add(("Where", HeaderSafety.Text(location, MaxValue)));
        facts.Add(("Organizer", organizer));
        var attendees = item.Attendees.Select(a => $"{Person(a)} ({HeaderSafety.Text(a.ParticipationStatus ?? "NEEDS-ACTION", 30).ToLowerInvariant()})").ToList();
        if (attendees.Count > 0)
            facts.Add(("Attendees", string.Join(", ", attendees.Take(50)) + (attendees.Count > 50 ? $", and {attendees.Count - 50} more" : "")));

        var sequence = item.Sequence;
        switch (itip.Method)
        {
            case "CANCEL":
                return new($"Cancelled: {title}", facts, $"{organizer} has cancelled this event.",
                    "Nothing to answer. Your calendar program removes the event when you open this message (or the attached invite.ics).");
            case "REPLY":
                var answerer = item.Attendees.FirstOrDefault(a => CalendarAddress.Same(CalendarAddress.Normalize(a.Value), calendarUser));
                var verb = (answerer?.ParticipationStatus ?? "").ToUpperInvariant() switch
                {
                    "ACCEPTED" => "accepted",
                    "DECLINED" => "declined",
                    "TENTATIVE" => "tentatively accepted",
                    "DELEGATED" => "delegated",
                    _ => "answered",
                };
                var who = Person(answerer) ?? calendarUser;
                return new($"{Capitalize(verb)}: {title} ({HeaderSafety.Text(who, HeaderSafety.MaxName)})", facts, $"{who} has {verb} your invitation.",
                    "Nothing to do: your calendar program records the answer when you open this message (or the attached invite.ics).");
            case "REQUEST" or "ADD":
                var updated = sequence > 0;
                return new($"{(updated ? "Updated invitation" : "Invitation")}: {title}{(when is null ? "" : $" @ {when}")}", facts,
                    updated ? $"{organizer} has changed this event." : $"{organizer} invites you to this event.",
                    "Please answer with the Accept, Tentative or Decline buttons your mail or calendar program shows for this message, " +
                    "or open the attached invite.ics in your calendar program. Your answer goes back to the organizer by email.");
            default:
                return new($"{Capitalize(itip.Method.ToLowerInvariant())}: {title}", facts, $"A calendar message ({itip.Method}) about this event.",
                    "Open this message (or the attached invite.ics) in your calendar program.");
        }
    }

    public string Plain()
    {
        var text = new StringBuilder();
        text.Append(Lead).Append("\r\n\r\n");
        foreach (var (label, value) in Facts)
            text.Append(label).Append(": ").Append(value).Append("\r\n");
        text.Append("\r\n").Append(Action).Append("\r\n");
        return text.ToString();
    }

    public string Html()
    {
        // The five characters HTML gives meaning; everything else stays UTF-8 text.
        static string E(string s) => s.Replace("&", "&amp;").Replace("<", "&lt;").Replace(">", "&gt;").Replace("\"", "&quot;").Replace("'", "&#39;");
        var html = new StringBuilder();
        html.Append("<!DOCTYPE html>\r\n<html><head><meta charset=\"utf-8\"></head><body>\r\n");
        html.Append("<p>").Append(E(Lead)).Append("</p>\r\n<table>\r\n");
        foreach (var (label, value) in Facts)
            html.Append("<tr><th align=\"left\" valign=\"top\">").Append(E(label)).Append("</th><td>").Append(E(value)).Append("</td></tr>\r\n");
        html.Append("</table>\r\n<p>").Append(E(Action)).Append("</p>\r\n</body></html>\r\n");
        return html.ToString();
    }

    static string? Person(Ical.Net.DataTypes.Attendee? a) => a is null ? null : Person(a.CommonName, a.Value);
    static string? Person(Organizer? o) => o is null ? null : Person(o.CommonName, o.Value);

    static string? Person(string? name, Uri? value)
    {
        var address = CalendarAddress.Normalize(value) ?? HeaderSafety.Text(value?.OriginalString, HeaderSafety.MaxName);
        var cn = HeaderSafety.Text(name, HeaderSafety.MaxName);
        return address.Length == 0 ? null : cn.Length > 0 ? $"{cn} <{address}>" : address;
    }

    static string? When(RecurringComponent item)
    {
        if (item.DtStart is not { } start)
            return null;
        var end = item switch
        {
            CalendarEvent e when e.DtEnd is { } dtEnd => dtEnd,
            Todo t when t.Due is { } due => due,
            _ => null,
        };
        if (!start.HasTime)
        {
            var lastDay = end is { HasTime: false } ? end.AddDays(-1) : start;
            return lastDay.Value.Date > start.Value.Date
                ? $"{start.Value:yyyy-MM-dd} to {lastDay.Value:yyyy-MM-dd} (all day)"
                : $"{start.Value:yyyy-MM-dd} (all day)";
        }
        var zone = Zone(start);
        if (end is null || !end.HasTime)
            return $"{start.Value.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture)}{zone}";
        var sameDay = end.Value.Date == start.Value.Date && Zone(end) == zone;
        var endText = end.Value.ToString(sameDay ? "HH:mm" : "yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture);
        return $"{start.Value.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture)} to {endText}{Zone(end)}";
    }

    static string Format(CalDateTime value) =>
        value.HasTime ? $"{value.Value.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture)}{Zone(value)}" : $"{value.Value:yyyy-MM-dd}";

    static string Zone(CalDateTime value) =>
        value.IsUtc ? " UTC" : value.TzId is { Length: > 0 } tz ? $" ({HeaderSafety.Text(tz, 64)})" : "";

    static string Capitalize(string s) => s.Length == 0 ? s : char.ToUpperInvariant(s[0]) + s[1..];
}

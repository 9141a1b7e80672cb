using Caldera.Imip.Itip;
using Ical.Net;
using Ical.Net.CalendarComponents;
using Ical.Net.DataTypes;
using Ical.Net.Serialization;

namespace Caldera.Scheduling.Planning;

/// <summary>One component of a CANCEL or REPLY: an existing component, or (with <see cref="RecurrenceId"/>) one instance the master makes.</summary>
internal sealed record InstanceRef(RecurringComponent Source, CalDateTime? RecurrenceId = null);

/// <summary>
/// Builds the iTIP messages (RFC 5546 §3.2) from the owner's copy: fresh objects (the copy is never changed), METHOD
/// set, DTSTAMP now, no VALARM, no SCHEDULE-* parameter (RFC 6638 §7), the VTIMEZONEs the components use, CRLF lines.
/// </summary>
internal sealed class MessageBuilder(DateTime nowUtc)
{
    public const string ProductId = "-//Caldera//Scheduling//EN";

    static readonly string[] CancelProperties = ["UID", "SEQUENCE", "DTSTAMP", "DTSTART", "DTEND", "DURATION", "DUE", "SUMMARY", "ORGANIZER", "ATTENDEE", "RECURRENCE-ID", "STATUS"];
    static readonly string[] ReplyProperties = ["UID", "SEQUENCE", "DTSTAMP", "DTSTART", "DTEND", "DURATION", "DUE", "SUMMARY", "ORGANIZER", "ATTENDEE", "RECURRENCE-ID"];

    /// <summary>
    /// REQUEST (RFC 5546 §3.2.2): the components as the organizer has them; on the master, <paramref name="excluded"/>
    /// (overrides this attendee is not invited to) become EXDATEs, as sabre/vobject's broker does.
    /// </summary>
    public string Request(SchedulingObject source, IEnumerable<RecurringComponent> components, IReadOnlyList<CalDateTime> excluded)
    {
        var parts = new List<RecurringComponent>();
        foreach (var component in components)
        {
            var copy = Clone(component);
            if (copy.InstanceId() is null)
                foreach (var date in excluded)
                    copy.ExceptionDates.Add(date);
            var unique = (UniqueComponent)copy;
            StripParticipants(unique);
            // iOS shows an invitation only when the attendee's PARTSTAT says it waits for an answer.
            foreach (var attendee in unique.Attendees.Where(a => string.IsNullOrEmpty(a.ParticipationStatus)))
                attendee.ParticipationStatus = "NEEDS-ACTION";
            parts.Add(copy);
        }
        return Finish("REQUEST", parts, source);
    }

    /// <summary>CANCEL (RFC 5546 §3.2.5) to one attendee: per instance (or the master for the whole event), STATUS:CANCELLED, that attendee only.</summary>
    public string Cancel(SchedulingObject source, IEnumerable<InstanceRef> items, string attendee, int sequence)
    {
        var parts = new List<RecurringComponent>();
        foreach (var item in items)
        {
            var copy = Instance(item, CancelProperties, attendee);
            copy.Sequence = Math.Max(copy.Sequence, sequence);
            copy.Properties.Remove("STATUS");
            copy.AddProperty("STATUS", "CANCELLED");
            parts.Add(copy);
        }
        return Finish("CANCEL", parts, source);
    }

    /// <summary>REPLY (RFC 5546 §3.2.3): per answered instance, the ORGANIZER and the one ATTENDEE with its PARTSTAT.</summary>
    public string Reply(SchedulingObject source, IEnumerable<(InstanceRef Item, string PartStat)> answers, string attendee)
    {
        var parts = new List<RecurringComponent>();
        foreach (var (item, partStat) in answers)
        {
            var copy = Instance(item, ReplyProperties, attendee);
            if (((UniqueComponent)copy).Attendees.FirstOrDefault() is { } me)
            {
                me.ParticipationStatus = partStat;
                me.Parameters.Remove("RSVP");
            }
            parts.Add(copy);
        }
        return Finish("REPLY", parts, source);
    }

    /// <summary>
    /// A trimmed copy of a component (the <paramref name="keep"/> properties, only <paramref name="attendee"/>'s ATTENDEE),
    /// or of the instance the master makes at <see cref="InstanceRef.RecurrenceId"/>. Only what is kept is copied, so a
    /// CANCEL to each of many attendees costs the few lines it holds, not the whole event.
    /// </summary>
    static RecurringComponent Instance(InstanceRef item, string[] keep, string attendee)
    {
        var copy = Clone(item.Source, p =>
            keep.Contains(p.Name.ToUpperInvariant())
            && (p.Name.ToUpperInvariant() != "ATTENDEE" || SchedulingObject.AddressKey((p.Value as Attendee)?.Value) == attendee));
        if (item.RecurrenceId is { } id && copy.InstanceId() is null)
        {
            if (copy is CalendarEvent e && item.Source is CalendarEvent master && master.DtStart is not null)
            {
                var length = master.EffectiveDuration;
                e.DtStart = id;
                if (e.DtEnd is not null)
                    e.DtEnd = id.Add(length);
            }
            else if (copy.DtStart is not null)
                copy.DtStart = id;
            copy.RecurrenceIdentifier = new RecurrenceIdentifier(id);
        }
        StripParticipants((UniqueComponent)copy);
        return copy;
    }

    string Finish(string method, List<RecurringComponent> components, SchedulingObject source)
    {
        var calendar = new Calendar { Method = method, ProductId = ProductId };
        var zones = components.SelectMany(TimeZonesUsed).ToHashSet(StringComparer.Ordinal);
        foreach (var zone in source.Calendar.TimeZones.Where(z => z.TzId is not null && zones.Contains(z.TzId)))
            calendar.Children.Add(zone.Copy<VTimeZone>()!);
        foreach (var component in components)
        {
            ((UniqueComponent)component).DtStamp = new CalDateTime(nowUtc, "UTC");
            calendar.Children.Add(component);
        }
        return (new CalendarSerializer().SerializeToString(calendar) ?? "").ReplaceLineEndings("\r\n");
    }

    static IEnumerable<string> TimeZonesUsed(RecurringComponent component)
    {
        foreach (var property in component.Properties)
        {
            if (property.Parameters.Get("TZID") is { Length: > 0 } tzid)
                yield return tzid;
            if (property.Value is CalDateTime { TzId: { } zone })
                yield return zone;
        }
        foreach (var date in component.ExceptionDates.GetAllDates().Concat(component.RecurrenceDates.GetAllDates()))
            if (date.TzId is { } zone)
                yield return zone;
    }

    static void StripParticipants(UniqueComponent component)
    {
        foreach (var child in component.Children.OfType<Alarm>().ToList())
            component.Children.Remove(child);
        if (component.Organizer is { } organizer)
            ScheduleParameters.StripForMessage(organizer.Parameters);
        foreach (var attendee in component.Attendees)
            ScheduleParameters.StripForMessage(attendee.Parameters);
    }

    /// <summary>A separate object graph (Ical.Net's Copy shares property values), as ItipApplier makes one.</summary>
    internal static RecurringComponent Clone(RecurringComponent component, Func<ICalendarProperty, bool>? keep = null)
    {
        var holder = new Calendar();
        if (keep is null)
            holder.Children.Add(component.Copy<RecurringComponent>()!);
        else
        {
            RecurringComponent shell = component is Todo ? new Todo() : new CalendarEvent();
            shell.Properties.Clear(); // no generated UID or DTSTAMP: only what is copied
            foreach (var property in component.Properties.Where(keep))
                shell.Properties.Add(property.Copy<ICalendarProperty>()!);
            holder.Children.Add(shell);
        }
        var text = new CalendarSerializer().SerializeToString(holder) ?? "";
        return Calendar.Load(text)!.Children.OfType<RecurringComponent>().Single();
    }
}

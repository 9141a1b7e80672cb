using Caldera.Imip.Itip;
using Ical.Net;
using Ical.Net.CalendarComponents;
using Ical.Net.DataTypes;
using Ical.Net.Serialization;

namespace Caldera.Scheduling.Planning;

/// <summary>
/// Whether an organizer's change to a component is one its attendees must hear of. Everything counts except what is
/// the organizer's own bookkeeping or is about other people: DTSTAMP, LAST-MODIFIED, CREATED, TRANSP (the organizer's
/// own free-busy), COLOR (their display), REQUEST-STATUS, VALARMs, X- properties and parameters, ATTENDEE properties (each attendee is compared on its own by
/// <see cref="OwnAttendeeChanged"/>), the SCHEDULE-* parameters, and EXDATEs that were added (those go out as CANCELs
/// of the instances). SEQUENCE counts: an attendee whose copy keeps an older SEQUENCE would answer with replies the
/// organizer's copy ignores as stale (ItipApplier).
/// Values are compared, not text, so a client that re-serializes the same event (Thunderbird, Apple) changes nothing.
/// </summary>
internal static class Significance
{
    static readonly HashSet<string> Ignored = ["DTSTAMP", "LAST-MODIFIED", "CREATED", "TRANSP", "COLOR", "REQUEST-STATUS", "ATTENDEE", "EXDATE", "RECURRENCE-ID"];
    static readonly HashSet<string> Timing = ["DTSTART", "DTEND", "DUE", "DURATION", "RRULE", "RDATE", "EXRULE", "EXDATE"];

    public static bool Changed(RecurringComponent before, RecurringComponent after) =>
        Fingerprint(before, Counts) != Fingerprint(after, Counts);

    /// <summary>
    /// When an instance happens, as values: its start, how long it lasts (DTEND and DURATION spelling the same length
    /// are the same) and the recurrence. What an attendee may not change (RFC 6638 §3.2.2.1).
    /// </summary>
    public static string Schedule(RecurringComponent c) =>
        (c.DtStart is null ? "" : InstanceKeys.Of(c.DtStart)) + "|" + Length(c)
        + (c is Todo { Due: { } due } ? "|" + InstanceKeys.Of(due) : "")
        + "|" + Fingerprint(c, n => n is "RRULE" or "RDATE" or "EXRULE");

    /// <summary>
    /// A new override compared with the instance the master made: significant when it moves the instance, changes its
    /// length, or changes anything else the master said.
    /// </summary>
    public static bool ChangedFromMaster(RecurringComponent master, RecurringComponent instance) =>
        MovedFromMaster(master, instance)
        || Fingerprint(master, n => Counts(n) && !Timing.Contains(n)) != Fingerprint(instance, n => Counts(n) && !Timing.Contains(n));

    /// <summary>An override that does not start at its RECURRENCE-ID, or lasts longer or shorter than the master.</summary>
    public static bool MovedFromMaster(RecurringComponent master, RecurringComponent instance) =>
        instance.InstanceId() is not { } id || instance.DtStart is null || !SameMoment(instance.DtStart, id)
        || Length(master) != Length(instance);

    static bool Counts(string name) => !Ignored.Contains(name) && !name.StartsWith("X-", StringComparison.Ordinal);

    /// <summary>
    /// The organizer changed this attendee's own entry (ROLE, CUTYPE, DELEGATED-*…): not PARTSTAT or RSVP (which follow
    /// the attendee's answers), CN (a display name the client may refresh), SCHEDULE-* or X- parameters.
    /// </summary>
    public static bool OwnAttendeeChanged(Attendee before, Attendee after) =>
        Parameters(before.Parameters, AnswerParameters) != Parameters(after.Parameters, AnswerParameters);

    static readonly string[] AnswerParameters = ["PARTSTAT", "RSVP", "CN"];

    static string? Length(RecurringComponent c) => c switch
    {
        CalendarEvent e when e.DtStart is not null => e.EffectiveDuration.ToString(),
        Todo t when t.DtStart is not null && t.Due is not null => t.Due.Subtract(t.DtStart).ToString(),
        _ => null,
    };

    static bool SameMoment(CalDateTime a, CalDateTime b) => InstanceKeys.Of(a) == InstanceKeys.Of(b);

    /// <summary>The component's properties that <paramref name="include"/> names, as sorted comparable lines.</summary>
    public static string Fingerprint(RecurringComponent component, Func<string, bool> include)
    {
        var lines = new List<string>();
        foreach (var property in component.Properties)
        {
            var name = property.Name.ToUpperInvariant();
            if (!include(name))
                continue;
            if (name == "ORGANIZER")
            {
                lines.Add("ORGANIZER:" + SchedulingObject.AddressKey((property.Value as Organizer)?.Value));
                continue;
            }
            lines.Add(name + Parameters(property.Parameters, "TZID", "VALUE") + ":" + ValueText(property));
        }
        lines.Sort(StringComparer.Ordinal);
        return string.Join("\n", lines);
    }

    /// <summary>The parameters that matter, sorted, without SCHEDULE-*, X- and the <paramref name="skip"/>ped ones.</summary>
    static string Parameters(IParameterCollection parameters, params string[] skip)
    {
        var kept = parameters
            .Where(p => !p.Name.StartsWith("SCHEDULE-", StringComparison.OrdinalIgnoreCase) && !p.Name.StartsWith("X-", StringComparison.OrdinalIgnoreCase)
                        && !skip.Contains(p.Name, StringComparer.OrdinalIgnoreCase))
            .Select(p => p.Name.ToUpperInvariant() + "=" + string.Join(",", p.Values))
            .Order(StringComparer.Ordinal);
        return ";" + string.Join(";", kept);
    }

    static string ValueText(ICalendarProperty property)
    {
        // A date-time is its moment (a TZID or UTC spelling of one instant is the same time), a date its day.
        if (property.Value is CalDateTime moment)
            return InstanceKeys.Of(moment);
        if (property.Value is null)
            return "";
        var bare = new CalendarProperty(property.Name, property.Value);
        var text = new PropertySerializer(new SerializationContext()).SerializeToString(bare) ?? "";
        var colon = text.IndexOf(':');
        return (colon < 0 ? text : text[(colon + 1)..]).TrimEnd('\r', '\n');
    }
}

using Ical.Net.CalendarComponents;
using Ical.Net.DataTypes;

namespace Caldera.Imip.Itip;

/// <summary>RFC 5546 §2.1.5: SEQUENCE orders revisions, DTSTAMP breaks ties; anything not newer is not applied.</summary>
public static class ItipOrdering
{
    public static bool IsNewer(RecurringComponent incoming, RecurringComponent stored)
    {
        if (incoming.Sequence != stored.Sequence)
            return incoming.Sequence > stored.Sequence;
        return Stamp(incoming) > Stamp(stored);
    }

    public static DateTime Stamp(RecurringComponent c) =>
        c.Properties.ContainsKey("DTSTAMP") && c.Properties.Get<CalDateTime>("DTSTAMP") is { } stamp ? stamp.AsUtc : DateTime.MinValue;

    /// <summary>Two RECURRENCE-IDs name the same instance when they are the same moment.</summary>
    public static bool SameInstance(CalDateTime? a, CalDateTime? b) =>
        a is null ? b is null : b is not null && a.AsUtc == b.AsUtc;

    public static string Describe(RecurringComponent c) =>
        $"SEQUENCE {c.Sequence}, DTSTAMP {(Stamp(c) == DateTime.MinValue ? "none" : Stamp(c).ToString("yyyyMMdd'T'HHmmss'Z'"))}";
}

public static class RecurringComponentExtensions
{
    /// <summary>The RECURRENCE-ID's moment, or null for a master (Ical.Net's RecurrenceId is obsolete).</summary>
    public static CalDateTime? InstanceId(this RecurringComponent c) => c.RecurrenceIdentifier?.StartTime;
}

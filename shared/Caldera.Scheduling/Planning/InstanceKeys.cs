using Caldera.Imip.Itip;
using Ical.Net.CalendarComponents;
using Ical.Net.DataTypes;

namespace Caldera.Scheduling.Planning;

/// <summary>
/// One string per component of a scheduling object: "" for the master, the RECURRENCE-ID's moment for an override.
/// Moments, not text, so a client that rewrites a TZID date as UTC (or the reverse) still names the same instance.
/// </summary>
internal static class InstanceKeys
{
    public const string Master = "";

    public static string Of(RecurringComponent component) => component.InstanceId() is { } id ? Of(id) : Master;

    public static string Of(CalDateTime moment) =>
        moment.HasTime ? moment.AsUtc.ToString("yyyyMMdd'T'HHmmss'Z'", System.Globalization.CultureInfo.InvariantCulture)
                       : moment.Date.ToString("yyyyMMdd", System.Globalization.CultureInfo.InvariantCulture);
}

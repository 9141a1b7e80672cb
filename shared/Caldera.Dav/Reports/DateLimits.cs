using System.Globalization;
using System.Xml.Linq;
using Caldera.Calendars.Query;
using static Caldera.Dav.Xml.DavNames;

namespace Caldera.Dav.Reports;

/// <summary>
/// CALDAV:min-date-time and max-date-time (RFC 4791 §5.2.6, §5.2.7): the span of time calendars here answer
/// for. A REPORT time range reaching outside it fails the §7.8/§7.9 preconditions of the same names (403).
/// </summary>
public static class DateLimits
{
    public static readonly DateTime MinDateTime = new(1900, 1, 1, 0, 0, 0, DateTimeKind.Utc);
    public static readonly DateTime MaxDateTime = new(2100, 12, 31, 23, 59, 59, DateTimeKind.Utc);

    public static string MinText => Format(MinDateTime);
    public static string MaxText => Format(MaxDateTime);

    public static void Check(TimeRange range)
    {
        if (range.Start < MinDateTime || range.End < MinDateTime)
            throw DavException.Forbidden($"time ranges here start at {MinText} or later", new XElement(C + "min-date-time"));
        if (range.Start > MaxDateTime || range.End > MaxDateTime)
            throw DavException.Forbidden($"time ranges here end at {MaxText} or earlier", new XElement(C + "max-date-time"));
    }

    /// <summary>Every time-range of a calendar-query filter.</summary>
    public static void Check(CompFilter filter)
    {
        if (filter.TimeRange is { } range)
            Check(range);
        foreach (var prop in filter.PropFilters)
            if (prop.TimeRange is { } r)
                Check(r);
        foreach (var comp in filter.CompFilters)
            Check(comp);
    }

    static string Format(DateTime t) => t.ToString("yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture);
}

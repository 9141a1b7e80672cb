using Ical.Net;
using Ical.Net.CalendarComponents;
using Ical.Net.DataTypes;

namespace Caldera.Calendars.Query;

/// <summary>
/// The time zone in which floating date-times and all-day (DATE) values are placed for time-range tests and
/// free-busy (RFC 4791 §7.3, §9.9): the request's CALDAV:timezone or timezone-id, else the calendar's
/// CALDAV:calendar-timezone, else UTC. A VTIMEZONE that agrees with the IANA zone of its TZID is that zone (Ical.Net's
/// resolver also maps Windows names and "/mozilla.org/..."-style prefixes); any other is built from its own yearly
/// STANDARD/DAYLIGHT rules (RRULE:FREQ=YEARLY;BYMONTH=m;BYDAY=nDD), or, if those cannot be read, its latest
/// STANDARD offset.
/// </summary>
public static class FloatingTimeZone
{
    /// <summary>
    /// The widest UTC offset (.NET refuses zones beyond it): a floating or DATE value, which Ical.Net reads as UTC,
    /// lies within this much of its place in any zone.
    /// </summary>
    public static readonly TimeSpan WidestOffset = TimeSpan.FromHours(14);

    public static TimeZoneInfo FromCalendarTimeZone(string? vcalendar)
    {
        if (string.IsNullOrWhiteSpace(vcalendar))
            return TimeZoneInfo.Utc;
        try
        {
            var zone = Calendar.Load(vcalendar)?.TimeZones.FirstOrDefault();
            return zone is null ? TimeZoneInfo.Utc : Resolve(zone);
        }
        catch (Exception)
        {
            return TimeZoneInfo.Utc; // calendar-timezone was validated when set; an unreadable one is UTC
        }
    }

    /// <summary>CALDAV:timezone and calendar-timezone texts are small; a longer one is refused.</summary>
    const int MaxDefinitionLength = 64 * 1024;

    /// <summary>
    /// The one VTIMEZONE of a CALDAV:timezone or calendar-timezone text (RFC 4791 §9.8; RFC 5545 §3.6.5: a TZID and a
    /// STANDARD or DAYLIGHT observance), or CalendarDataException(InvalidData): CALDAV:valid-calendar-data.
    /// </summary>
    public static VTimeZone Definition(string text)
    {
        try
        {
            var top = ICalendarLineScanner.Scan(text);
            if (top.Count != 1 || top[0] != "VTIMEZONE" || text.Length > MaxDefinitionLength)
                throw new CalendarDataException(CalendarDataError.InvalidData, "one VTIMEZONE expected");
            var zone = Calendar.Load(text)?.TimeZones.SingleOrDefault();
            if (string.IsNullOrWhiteSpace(zone?.TzId) || !zone.Children.OfType<CalendarComponent>().Any(c => c.Name is "STANDARD" or "DAYLIGHT"))
                throw new CalendarDataException(CalendarDataError.InvalidData, "a VTIMEZONE needs TZID and STANDARD or DAYLIGHT");
            return zone;
        }
        catch (CalendarDataException) { throw; }
        catch (Exception e)
        {
            // Whatever Ical.Net throws for text it cannot read.
            throw new CalendarDataException(CalendarDataError.InvalidData, "the time zone could not be read: " + e.Message);
        }
    }

    /// <summary>A request's CALDAV:timezone (RFC 4791 §9.8) as a zone; InvalidData when it is no zone a TimeZoneInfo can hold.</summary>
    public static TimeZoneInfo FromDefinition(string text)
    {
        var zone = Definition(text);
        try
        {
            return Resolve(zone);
        }
        catch (ArgumentException e)
        {
            throw new CalendarDataException(CalendarDataError.InvalidData, "the time zone's offsets are out of range: " + e.Message);
        }
    }

    /// <summary>A request's RFC 7809 CALDAV:timezone-id: a zone the system's database knows by exactly that name, or null.</summary>
    public static TimeZoneInfo? FromId(string id) =>
        TimeZoneInfo.TryFindSystemTimeZoneById(id.Trim(), out var zone) ? zone : null;

    /// <summary>
    /// The zone a VTIMEZONE defines: the database's zone of its TZID when the definition agrees with it this year
    /// (<see cref="ObjectTimeZones.DefinesOwnRules"/>), else one built from the definition's rules.
    /// </summary>
    public static TimeZoneInfo Resolve(VTimeZone zone)
    {
        if (zone.TzId is { Length: > 0 } id && !ObjectTimeZones.DefinesOwnRules(zone))
        {
            if (TimeZoneInfo.TryFindSystemTimeZoneById(id, out var system))
                return system;
            try
            {
                if (DefaultTimeZoneResolver.GetZone(id) is { } noda && TimeZoneInfo.TryFindSystemTimeZoneById(noda.Id, out var mapped))
                    return mapped;
            }
            catch (ArgumentException) { }
        }
        return FromRules(zone);
    }

    /// <summary>A TimeZoneInfo from a VTIMEZONE's latest STANDARD and DAYLIGHT observances; ArgumentException beyond ±14 h.</summary>
    internal static TimeZoneInfo FromRules(VTimeZone zone)
    {
        var id = zone.TzId ?? "floating";
        var observances = zone.Children.OfType<VTimeZoneInfo>().ToList();
        var standard = Latest(observances, "STANDARD");
        var daylight = Latest(observances, "DAYLIGHT");
        if (standard?.OffsetTo is not { } stdOffset)
            return daylight?.OffsetTo is { } only ? Fixed(id, only.Offset) : TimeZoneInfo.Utc;
        if (daylight?.OffsetTo is { } dstOffset
            && Transition(standard) is { } toStandard && Transition(daylight) is { } toDaylight)
        {
            try
            {
                var rule = TimeZoneInfo.AdjustmentRule.CreateAdjustmentRule(DateTime.MinValue.Date, DateTime.MaxValue.Date,
                    dstOffset.Offset - stdOffset.Offset, toDaylight, toStandard);
                return TimeZoneInfo.CreateCustomTimeZone(id, stdOffset.Offset, id, id, id, [rule]);
            }
            catch (ArgumentException) { }
        }
        return Fixed(id, stdOffset.Offset);
    }

    static TimeZoneInfo Fixed(string id, TimeSpan offset) => TimeZoneInfo.CreateCustomTimeZone(id, offset, id, id);

    static VTimeZoneInfo? Latest(List<VTimeZoneInfo> observances, string name) =>
        observances.Where(o => o.Name.Equals(name, StringComparison.OrdinalIgnoreCase))
            .MaxBy(o => o.DtStart?.Value ?? DateTime.MinValue);

    /// <summary>RRULE:FREQ=YEARLY;BYMONTH=m;BYDAY=nDD (n = 1..4 or -1) as a floating transition, at DTSTART's local time.</summary>
    static TimeZoneInfo.TransitionTime? Transition(VTimeZoneInfo observance)
    {
        if (observance.RecurrenceRule is not { Frequency: FrequencyType.Yearly } rule
            || rule.ByMonth.Count != 1 || rule.ByDay.Count != 1 || observance.DtStart is not { } start)
            return null;
        var day = rule.ByDay[0];
        var week = day.Offset switch { null => 1, -1 => 5, >= 1 and <= 4 and var n => n, _ => 0 };
        if (week == 0)
            return null;
        var time = new DateTime(1, 1, 1, start.Value.Hour, start.Value.Minute, start.Value.Second);
        return TimeZoneInfo.TransitionTime.CreateFloatingDateRule(time, rule.ByMonth[0], week, day.DayOfWeek);
    }

    /// <summary>
    /// Names a zone by its rules, for caches of what was placed in it: a system zone by its id, a zone built from
    /// a VTIMEZONE (whose TZID may name different rules in different calendars) by its serialized rules.
    /// </summary>
    public static string Key(TimeZoneInfo zone) =>
        TimeZoneInfo.TryFindSystemTimeZoneById(zone.Id, out var system) && system.HasSameRules(zone) && system.BaseUtcOffset == zone.BaseUtcOffset
            ? zone.Id
            : zone.ToSerializedString();

    /// <summary>The UTC instant of a floating local time in <paramref name="zone"/> (RFC 5545 §3.3.5 for gaps and folds).</summary>
    public static DateTime ToUtc(DateTime local, TimeZoneInfo zone)
    {
        local = DateTime.SpecifyKind(local, DateTimeKind.Unspecified);
        if (zone == TimeZoneInfo.Utc || zone.Id == "UTC")
            return DateTime.SpecifyKind(local, DateTimeKind.Utc);
        try
        {
            // In a gap the offset before the gap applies; in a fold the first occurrence (the larger offset).
            if (zone.IsInvalidTime(local))
                return DateTime.SpecifyKind(local - zone.GetUtcOffset(local.AddHours(-3)), DateTimeKind.Utc);
            if (zone.IsAmbiguousTime(local))
                return DateTime.SpecifyKind(local - zone.GetAmbiguousTimeOffsets(local).Max(), DateTimeKind.Utc);
            return TimeZoneInfo.ConvertTimeToUtc(local, zone);
        }
        catch (ArgumentException)
        {
            return DateTime.SpecifyKind(local, DateTimeKind.Utc);
        }
    }

    /// <summary>A date or date-time in UTC: floating and DATE values in <paramref name="zone"/>, others by their own zone.</summary>
    public static DateTime Utc(CalDateTime value, TimeZoneInfo zone) =>
        value.IsFloating ? ToUtc(value.Value, zone) : value.AsUtc;
}

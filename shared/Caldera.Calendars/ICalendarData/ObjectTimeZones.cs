using System.Collections.Concurrent;
using Caldera.Calendars.Query;
using Ical.Net;
using Ical.Net.CalendarComponents;
using NodaTime;
using NodaTime.TimeZones;

namespace Caldera.Calendars;

/// <summary>
/// RFC 5545 §3.6.5: an object's VTIMEZONE defines its TZID, even when the TZID is also an IANA name. Ical.Net 5
/// ignores VTIMEZONE rules and resolves every TZID by name through one process-wide resolver (IANA first), so
/// while a <see cref="Use"/> scope is open that resolver answers the TZIDs the object defines differently with the
/// object's definition (<see cref="FloatingTimeZone.FromRules"/>: its latest STANDARD/DAYLIGHT rules).
/// A definition that agrees with the zone of the same name over the current year is taken to be that zone:
/// clients send a known zone's current rules only, and the database also knows its earlier years.
/// </summary>
public static class ObjectTimeZones
{
    static readonly AsyncLocal<IReadOnlyDictionary<string, DateTimeZone>?> Current = new();

    /// <summary>Per definition (see <see cref="Signature"/>): its own zone, or null when the zone of its name agrees.</summary>
    static readonly ConcurrentDictionary<string, DateTimeZone?> Definitions = new();
    const int MaxDefinitions = 4096;

    static ObjectTimeZones()
    {
        var byName = TimeZoneResolvers.TimeZoneResolver;
        TimeZoneResolvers.TimeZoneResolver = id =>
            Current.Value is { } own && own.TryGetValue(id, out var zone) ? zone : byName(id);
    }

    /// <summary>Until disposed, Ical.Net places this calendar's times by its own VTIMEZONE definitions.</summary>
    public static Scope Use(Calendar calendar)
    {
        Dictionary<string, DateTimeZone>? own = null;
        foreach (var zone in calendar.TimeZones)
            if (zone.TzId is { Length: > 0 } id && OwnRules(zone) is { } rules)
                (own ??= new(StringComparer.Ordinal))[id] = rules;
        if (own is null)
            return default;
        var outer = Current.Value;
        Current.Value = own;
        return new Scope(outer, true);
    }

    /// <summary>Whether the definition differs from (or has no) zone of its name, so that its own rules apply.</summary>
    public static bool DefinesOwnRules(VTimeZone zone) => OwnRules(zone) is not null;

    static DateTimeZone? OwnRules(VTimeZone zone)
    {
        var key = Signature(zone);
        if (Definitions.TryGetValue(key, out var known))
            return known;
        if (Definitions.Count >= MaxDefinitions)
            Definitions.Clear();
        return Definitions[key] = Decide(zone);
    }

    static DateTimeZone? Decide(VTimeZone zone)
    {
        DateTimeZone own;
        try
        {
            own = BclDateTimeZone.FromTimeZoneInfo(FloatingTimeZone.FromRules(zone));
        }
        catch (ArgumentException)
        {
            return null; // rules no TimeZoneInfo can hold (offsets beyond ±14 h): the name decides, as before
        }
        DateTimeZone? named;
        try { named = TimeZoneResolvers.Default(zone.TzId!); }
        catch (ArgumentException) { named = null; }
        var year = DateTime.UtcNow.Year;
        var span = new Interval(Instant.FromUtc(year, 1, 1, 0, 0), Instant.FromUtc(year + 1, 1, 1, 0, 0));
        List<(Instant, Offset)> changes;
        try
        {
            changes = Changes(own, span).ToList();
        }
        catch (InvalidOperationException)
        {
            // Rules that contradict themselves (e.g. two RRULEs in one observance giving the same instants): NodaTime
            // cannot lay them out, so they are not used and the name decides, as for rules beyond ±14 h.
            return null;
        }
        return named is not null && changes.SequenceEqual(Changes(named, span)) ? null : own;
    }

    static IEnumerable<(Instant From, Offset Offset)> Changes(DateTimeZone zone, Interval span)
    {
        Offset? last = null;
        foreach (var interval in zone.GetZoneIntervals(span))
        {
            if (interval.WallOffset == last)
                continue; // a new abbreviation, not a new offset
            last = interval.WallOffset;
            yield return (interval.HasStart && interval.Start > span.Start ? interval.Start : span.Start, interval.WallOffset);
        }
    }

    /// <summary>What <see cref="FloatingTimeZone.FromRules"/> reads of a definition.</summary>
    static string Signature(VTimeZone zone) => zone.TzId + "|" + string.Join("|", zone.Children.OfType<VTimeZoneInfo>().Select(o =>
        $"{o.Name};{o.DtStart?.Value:s};{o.OffsetTo?.Offset};{o.RecurrenceRule?.Frequency};{string.Join(',', o.RecurrenceRule?.ByMonth ?? [])};" +
        string.Join(',', o.RecurrenceRule?.ByDay.Select(d => $"{d.Offset}{d.DayOfWeek}") ?? [])));

    public readonly struct Scope(IReadOnlyDictionary<string, DateTimeZone>? outer, bool active) : IDisposable
    {
        public void Dispose()
        {
            if (active)
                Current.Value = outer;
        }
    }
}

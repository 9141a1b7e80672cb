using Caldera.Calendars.Query;
using Xunit.Abstractions;

namespace Caldera.Calendars.Tests;

/// <summary>
/// The shortcut answers exactly what the evaluator answers: for objects of calgen's mix and odd shapes, floating
/// zones from UTC−12 to UTC+14 (and a zone known only from its VTIMEZONE), objects whose VTIMEZONE redefines an IANA
/// name, and random week, month and open-ended
/// ranges (on the 15-minute grid the objects use, so boundaries meet), QueryMatcher's answer (without the body
/// when it can, else from it) equals FilterEvaluator.Matches on the parsed body.
/// </summary>
public class QueryEquivalenceTests(ITestOutputHelper output)
{
    static readonly DateTimeOffset Now = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    static readonly TimeZoneInfo[] Zones =
    [
        TimeZoneInfo.Utc,
        TimeZoneInfo.FindSystemTimeZoneById("Europe/Berlin"),
        TimeZoneInfo.FindSystemTimeZoneById("America/New_York"),
        TimeZoneInfo.FindSystemTimeZoneById("Pacific/Kiritimati"),
        TimeZoneInfo.FindSystemTimeZoneById("Etc/GMT+12"),
        FloatingTimeZone.FromCalendarTimeZone(Ics.Calendar("BEGIN:VTIMEZONE", "TZID:Custom/Nowhere",
            "BEGIN:STANDARD", "DTSTART:19701025T030000", "TZOFFSETFROM:+0630", "TZOFFSETTO:+0530", "RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU", "END:STANDARD",
            "BEGIN:DAYLIGHT", "DTSTART:19700329T020000", "TZOFFSETFROM:+0530", "TZOFFSETTO:+0630", "RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU", "END:DAYLIGHT",
            "END:VTIMEZONE")),
    ];

    static TimeSpan RandomLength(Random rng) => rng.Next(4) switch
    {
        0 => TimeSpan.FromDays(7),
        1 => TimeSpan.FromDays(rng.Next(28, 32)),
        2 => TimeSpan.FromMinutes(15 * rng.Next(1, 8)),
        _ => TimeSpan.FromDays(rng.Next(1, 4)),
    };

    /// <summary>A week, a month, a day or minutes, sometimes open on one side, 2024-06 .. 2030 (mostly inside the timelines' window).</summary>
    static TimeRange RandomRange(Random rng)
    {
        var start = new DateTime(2024, 6, 1, 0, 0, 0, DateTimeKind.Utc).AddMinutes(15 * rng.Next(6 * 365 * 96));
        if (rng.Next(3) == 0)
            start = start.Date; // midnight, where all-day events begin and end
        var length = RandomLength(rng);
        return rng.Next(10) switch
        {
            0 => new TimeRange(null, start + length),
            1 => new TimeRange(start, null),
            _ => new TimeRange(start, start + length),
        };
    }

    /// <summary>A range with a bound exactly on one of the object's instances (placed in the zone), where §9.9's rules differ.</summary>
    static TimeRange? RangeAtAnInstance(Random rng, ParsedCalendarObject o, TimeZoneInfo zone)
    {
        var from = new Ical.Net.DataTypes.CalDateTime(2024, 6, 1, 0, 0, 0, "UTC");
        var period = o.Calendar.GetOccurrences(from, CalendarObjectParser.Evaluation).Take(rng.Next(1, 40)).LastOrDefault()?.Period;
        if (period is null)
            return null;
        var start = FloatingTimeZone.Utc(period.StartTime, zone);
        var end = period.EffectiveEndTime is { } e ? FloatingTimeZone.Utc(e, zone) : start;
        var length = RandomLength(rng);
        return rng.Next(3) switch
        {
            0 => new TimeRange(end, rng.Next(5) == 0 ? null : end + length),
            1 => new TimeRange(rng.Next(5) == 0 ? null : start - length, start),
            _ => new TimeRange(start, start + length),
        };
    }

    /// <summary>Objects whose own VTIMEZONE redefines an IANA name (RFC 5545 §3.6.5): daylight saving in other months.</summary>
    static IEnumerable<(string Name, string Ics)> OwnZoneObjects()
    {
        var zone = string.Join("\r\n", "BEGIN:VTIMEZONE", "TZID:Europe/Berlin",
            "BEGIN:STANDARD", "DTSTART:19700906T020000", "TZOFFSETFROM:+0600", "TZOFFSETTO:+0500", "RRULE:FREQ=YEARLY;BYMONTH=9;BYDAY=1SU", "END:STANDARD",
            "BEGIN:DAYLIGHT", "DTSTART:19700503T020000", "TZOFFSETFROM:+0500", "TZOFFSETTO:+0600", "RRULE:FREQ=YEARLY;BYMONTH=5;BYDAY=1SU", "END:DAYLIGHT",
            "END:VTIMEZONE");
        string[][] shapes =
        [
            ["DTSTART;TZID=Europe/Berlin:20260504T093000", "DTEND;TZID=Europe/Berlin:20260504T103000"],
            ["DTSTART;TZID=Europe/Berlin:20250303T080000", "DURATION:PT45M", "RRULE:FREQ=WEEKLY;BYDAY=MO,TH"],
            ["DTSTART;TZID=Europe/Berlin:20250901T230000", "DTEND;TZID=Europe/Berlin:20250902T010000", "RRULE:FREQ=MONTHLY;COUNT=30"],
        ];
        return shapes.Select((lines, i) => ($"own{i}.ics", Ics.Calendar(zone, Ics.Event($"own{i}", lines))));
    }

    static CompFilter Plain(TimeRange range) =>
        new("VCALENDAR", false, null, [], [new CompFilter("VEVENT", false, range, [], [])]);

    [Fact]
    public void MatcherAgreesWithTheEvaluator()
    {
        var rng = new Random(20261130);
        var objects = CalGen.Generate(500, seed: 7, odd: true).Concat(OwnZoneObjects()).Select(o => FakeObject.Of(o.Ics, o.Name)).ToList();
        var cache = new TimelineCache(new TimelineCacheSettings(), new FixedClock(Now));
        int checks = 0, withoutBody = 0, matched = 0, exact = objects.Count(o => o.Envelope is not null);
        var mismatches = new List<string>();
        for (int round = 0; round < 12; round++)
        {
            var zone = Zones[round % Zones.Length];
            var range = RandomRange(rng);
            var filter = Plain(range);
            var matcher = new QueryMatcher(filter, zone, cache);
            foreach (var o in objects)
            {
                var expected = FilterEvaluator.Matches(o.Parsed.Calendar, filter, zone, System.Text.Encoding.UTF8.GetString(o.Body));
                var fast = matcher.WithoutBody(o);
                var actual = fast ?? matcher.WithBody(o, o.Body);
                checks++;
                withoutBody += fast is null ? 0 : 1;
                matched += expected ? 1 : 0;
                if (actual != expected)
                    mismatches.Add($"{o.Name} in {zone.Id} for [{range.Start:O}, {range.End:O}): evaluator {expected}, matcher {actual}\n{System.Text.Encoding.UTF8.GetString(o.Body)}");
            }
        }
        output.WriteLine($"{checks} checks, {matched} matches, {withoutBody} decided without the body; {exact} exact envelopes; cache {cache.Count} timelines, {cache.Bytes} bytes");
        Assert.True(mismatches.Count == 0, $"{mismatches.Count} mismatches, first:\n{mismatches.FirstOrDefault()}");
        Assert.True(matched > checks / 50, "the ranges should hit something");
        // The point of it: most answers need no body once the timelines are built (a query builds at most 16, so over
        // these twelve queries in six zones some objects are still evaluated from their body).
        Assert.True(withoutBody > checks * 2 / 3, $"{withoutBody} of {checks} without the body");
    }

    [Fact]
    public void TimelinesAgreeWithTheEvaluatorWhereverTheyAnswer()
    {
        var rng = new Random(4791);
        var objects = CalGen.Generate(300, seed: 11, odd: true).Concat(OwnZoneObjects()).Select(o => Ics.Parse(o.Ics)).ToList();
        int answered = 0, checks = 0;
        foreach (var zone in Zones)
            foreach (var o in objects)
            {
                var timeline = Timeline.Build(o.Calendar, zone, Now.UtcDateTime);
                TimeRange?[] ranges = [RandomRange(rng), RangeAtAnInstance(rng, o, zone), RangeAtAnInstance(rng, o, zone)];
                foreach (var range in ranges.OfType<TimeRange>())
                {
                    checks++;
                    if (timeline.Matches(range) is not { } answer)
                        continue;
                    answered++;
                    var expected = FilterEvaluator.Matches(o.Calendar, Plain(range), zone);
                    Assert.True(expected == answer, $"{zone.Id} [{range.Start:O}, {range.End:O}): evaluator {expected}, timeline {answer}\n" +
                        System.Text.Encoding.UTF8.GetString(o.Body));
                }
            }
        output.WriteLine($"{answered} of {checks} answered by timelines");
        Assert.True(answered > checks / 2);
    }
}

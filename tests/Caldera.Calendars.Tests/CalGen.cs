using System.Globalization;

namespace Caldera.Calendars.Tests;

/// <summary>
/// tests/bench/calgen.py's mix in C# (same shapes and shares, its own seeded random numbers): 10% recurring
/// (weekly or daily; COUNT, UNTIL or endless; some EXDATEs; some with a moved instance), 90% single events over
/// two years from 2025-01-01, about 10% of them all-day, about 20% of timed singles and 30% of series in
/// Europe/Berlin. With <c>odd: true</c> every tenth object is instead one of the shapes calgen never makes
/// (floating times, zero-duration and DTEND = DTSTART events, DURATION, long events, RDATE, THISANDFUTURE,
/// all-day and hourly series, New York times, a VTODO), for equivalence tests.
/// </summary>
public static class CalGen
{
    public static readonly DateTime SpanStart = new(2025, 1, 1);
    public const int SpanDays = 730;

    const string BerlinZone = """
        BEGIN:VTIMEZONE
        TZID:Europe/Berlin
        BEGIN:DAYLIGHT
        TZOFFSETFROM:+0100
        TZOFFSETTO:+0200
        TZNAME:CEST
        DTSTART:19700329T020000
        RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU
        END:DAYLIGHT
        BEGIN:STANDARD
        TZOFFSETFROM:+0200
        TZOFFSETTO:+0100
        TZNAME:CET
        DTSTART:19701025T030000
        RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU
        END:STANDARD
        END:VTIMEZONE
        """;

    const string NewYorkZone = """
        BEGIN:VTIMEZONE
        TZID:America/New_York
        BEGIN:DAYLIGHT
        TZOFFSETFROM:-0500
        TZOFFSETTO:-0400
        DTSTART:20070311T020000
        RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=2SU
        END:DAYLIGHT
        BEGIN:STANDARD
        TZOFFSETFROM:-0400
        TZOFFSETTO:-0500
        DTSTART:20071104T020000
        RRULE:FREQ=YEARLY;BYMONTH=11;BYDAY=1SU
        END:STANDARD
        END:VTIMEZONE
        """;

    static readonly string[] Words = ("planning review sync standup lunch dentist budget release retro interview " +
        "workshop call demo training offsite board quarterly design ops hiring").Split(' ');

    /// <summary>n (name, ics) pairs; the same (n, seed, odd) always gives the same objects.</summary>
    public static List<(string Name, string Ics)> Generate(int n, int seed = 42, bool odd = false)
    {
        var rng = new Random(seed * 7919 + n);
        var result = new List<(string, string)>(n);
        for (int i = 0; i < n; i++)
        {
            var uid = $"gen-{seed}-{i:D6}@caldera.test";
            var ics = i % 10 == 5 ? Recurring(rng, uid) : odd && i % 10 == 7 ? Odd(rng, uid) : Single(rng, uid);
            result.Add(($"ev{i:D6}.ics", ics));
        }
        return result;
    }

    static string Fmt(DateTime t) => t.ToString("yyyyMMdd'T'HHmmss", CultureInfo.InvariantCulture);
    static string Date(DateTime t) => t.ToString("yyyyMMdd", CultureInfo.InvariantCulture);

    static string Summary(Random rng) =>
        string.Join(' ', Enumerable.Range(0, rng.Next(2, 5)).Select(_ => Words[rng.Next(Words.Length)]));

    static string Event(string uid, IEnumerable<string> lines) =>
        $"BEGIN:VEVENT\r\nUID:{uid}\r\nDTSTAMP:20250101T000000Z\r\n{string.Concat(lines.Select(l => l + "\r\n"))}END:VEVENT\r\n";

    static string Wrap(string body, params string[] zones) =>
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Caldera//calgen//EN\r\n" +
        string.Concat(zones.Select(z => z.ReplaceLineEndings("\r\n") + "\r\n")) + body + "END:VCALENDAR\r\n";

    static string Dt(string name, DateTime t, bool berlin) =>
        berlin ? $"{name};TZID=Europe/Berlin:{Fmt(t)}" : $"{name}:{Fmt(t)}Z";

    static DateTime Day(Random rng, int days = SpanDays) => SpanStart.AddDays(rng.Next(days));

    static string Single(Random rng, string uid)
    {
        var day = Day(rng);
        var lines = new List<string> { "SUMMARY:" + Summary(rng) };
        if (rng.NextDouble() < 0.10)
        {
            lines.AddRange(["DTSTART;VALUE=DATE:" + Date(day), "DTEND;VALUE=DATE:" + Date(day.AddDays(rng.Next(1, 4))), "TRANSP:TRANSPARENT"]);
            return Wrap(Event(uid, lines));
        }
        var berlin = rng.NextDouble() < 0.20;
        var start = day.AddHours(rng.Next(7, 20)).AddMinutes(15 * rng.Next(4));
        var end = start.AddMinutes(new[] { 15, 30, 45, 60, 90, 120 }[rng.Next(6)]);
        lines.AddRange([Dt("DTSTART", start, berlin), Dt("DTEND", end, berlin)]);
        if (rng.NextDouble() < 0.05)
            lines.Add("STATUS:TENTATIVE");
        if (rng.NextDouble() < 0.15)
            lines.Add($"LOCATION:Room {rng.Next(1, 41)}");
        return berlin ? Wrap(Event(uid, lines), BerlinZone) : Wrap(Event(uid, lines));
    }

    static string Recurring(Random rng, string uid)
    {
        var berlin = rng.NextDouble() < 0.30;
        var weekly = rng.NextDouble() < 0.7;
        var freq = weekly ? "WEEKLY" : "DAILY";
        var step = TimeSpan.FromDays(weekly ? 7 : 1);
        var start = Day(rng, SpanDays - 60).AddHours(rng.Next(7, 19)).AddMinutes(30 * rng.Next(2));
        var end = start.AddMinutes(rng.Next(2) == 0 ? 30 : 60);
        var kind = rng.NextDouble();
        string rule;
        int count;
        if (kind < 0.45)
        {
            count = weekly ? rng.Next(5, 31) : rng.Next(3, 21);
            rule = $"RRULE:FREQ={freq};COUNT={count}";
        }
        else if (kind < 0.85)
        {
            count = weekly ? rng.Next(5, 41) : rng.Next(3, 31);
            rule = $"RRULE:FREQ={freq};UNTIL={Fmt(start + step * (count - 1))}Z";
        }
        else
            (rule, count) = ($"RRULE:FREQ={freq}", 50);
        var lines = new List<string> { "SUMMARY:" + Summary(rng), Dt("DTSTART", start, berlin), Dt("DTEND", end, berlin), rule };
        var later = Enumerable.Range(1, Math.Min(count, 50) - 1).Select(k => start + step * k).ToList();
        if (later.Count > 0 && rng.NextDouble() < 0.30)
            foreach (var t in later.OrderBy(_ => rng.Next()).Take(rng.Next(1, 3)))
                lines.Add(Dt("EXDATE", t, berlin));
        var body = Event(uid, lines);
        if (later.Count > 0 && rng.NextDouble() < 0.25)
        {
            var rid = later[rng.Next(later.Count)];
            var moved = rid.AddHours(new[] { -3, 2, 24 }[rng.Next(3)]);
            body += Event(uid, ["SUMMARY:" + Summary(rng) + " (moved)", Dt("RECURRENCE-ID", rid, berlin),
                Dt("DTSTART", moved, berlin), Dt("DTEND", moved + (end - start), berlin), "SEQUENCE:1"]);
        }
        return berlin ? Wrap(body, BerlinZone) : Wrap(body);
    }

    /// <summary>Shapes that take the evaluator's other paths: floating, instant, DURATION, long, RDATE, THISANDFUTURE…</summary>
    static string Odd(Random rng, string uid)
    {
        var start = Day(rng).AddHours(rng.Next(0, 24)).AddMinutes(15 * rng.Next(4));
        var s = rng.NextDouble() < 0.5 ? "SUMMARY:odd" : "SUMMARY:" + Summary(rng);
        switch (rng.Next(13))
        {
            case 0: // floating
                return Wrap(Event(uid, [s, "DTSTART:" + Fmt(start), "DTEND:" + Fmt(start.AddHours(1))]));
            case 1: // zero duration, DTSTART only (RFC 4791 §9.9: start <= DTSTART AND end > DTSTART)
                return Wrap(Event(uid, [s, Dt("DTSTART", start, rng.Next(2) == 0)]), BerlinZone);
            case 2: // DTEND = DTSTART (the DTEND row: start < DTEND AND end > DTSTART)
                return Wrap(Event(uid, [s, Dt("DTSTART", start, false), Dt("DTEND", start, false)]));
            case 3: // DURATION, across a DST change sometimes
                return Wrap(Event(uid, [s, Dt("DTSTART", start, true), rng.Next(2) == 0 ? "DURATION:P1D" : "DURATION:PT90M"]), BerlinZone);
            case 4: // long timed event (longer than the evaluator's 14 h slack)
                return Wrap(Event(uid, [s, Dt("DTSTART", start, false), Dt("DTEND", start.AddHours(rng.Next(15, 120)), false)]));
            case 5: // RDATE
                return Wrap(Event(uid, [s, Dt("DTSTART", start, false), Dt("DTEND", start.AddHours(1), false),
                    $"RDATE:{Fmt(start.AddDays(3))}Z,{Fmt(start.AddDays(10))}Z"]));
            case 6: // THISANDFUTURE override moving the rest of a weekly series
            {
                var rid = start.AddDays(7 * rng.Next(1, 5));
                return Wrap(Event(uid, [s, Dt("DTSTART", start, false), Dt("DTEND", start.AddHours(1), false), "RRULE:FREQ=WEEKLY;COUNT=8"]) +
                    Event(uid, ["SUMMARY:later", $"RECURRENCE-ID;RANGE=THISANDFUTURE:{Fmt(rid)}Z",
                        Dt("DTSTART", rid.AddHours(5), false), Dt("DTEND", rid.AddHours(7), false)]));
            }
            case 7: // all-day weekly series, sometimes endless
                return Wrap(Event(uid, [s, "DTSTART;VALUE=DATE:" + Date(start), "DTEND;VALUE=DATE:" + Date(start.AddDays(1)),
                    rng.Next(2) == 0 ? "RRULE:FREQ=WEEKLY" : "RRULE:FREQ=WEEKLY;COUNT=10"]));
            case 8: // floating daily series with an EXDATE
                return Wrap(Event(uid, [s, "DTSTART:" + Fmt(start), "DTEND:" + Fmt(start.AddMinutes(30)),
                    "RRULE:FREQ=DAILY;COUNT=20", "EXDATE:" + Fmt(start.AddDays(2))]));
            case 9: // hourly endless series: more instances than a timeline keeps
                return Wrap(Event(uid, [s, Dt("DTSTART", start, false), Dt("DTEND", start.AddMinutes(10), false), "RRULE:FREQ=HOURLY;INTERVAL=3"]));
            case 10: // New York
                return Wrap(Event(uid, [s, $"DTSTART;TZID=America/New_York:{Fmt(start)}", $"DTEND;TZID=America/New_York:{Fmt(start.AddHours(2))}"]), NewYorkZone);
            case 11: // zero-duration daily series, floating
                return Wrap(Event(uid, [s, "DTSTART:" + Fmt(start), "RRULE:FREQ=DAILY;COUNT=5"]));
            default: // not an event at all
                return Wrap($"BEGIN:VTODO\r\nUID:{uid}\r\nDTSTAMP:20250101T000000Z\r\nDTSTART:{Fmt(start)}Z\r\nDUE:{Fmt(start.AddDays(1))}Z\r\nEND:VTODO\r\n");
        }
    }
}

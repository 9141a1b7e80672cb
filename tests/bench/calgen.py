"""Seeded (deterministic) generator of a synthetic calendar for the CalDAV benchmark.

generate(n, seed) returns n (name, ics) pairs; the same (n, seed) always gives byte-identical objects.
Mix: 10% recurring (weekly or daily, with COUNT, UNTIL or no end; some with EXDATE, some with an
overridden instance in the same object), 90% single events spread over two years (SPAN_START ..
SPAN_START + 730 days), about 10% of them all-day; about 20% of timed events carry TZID=Europe/Berlin
with its VTIMEZONE, the others are in UTC.
"""
import random
from datetime import date, datetime, timedelta

SPAN_START = datetime(2025, 1, 1)
SPAN_DAYS = 730
DTSTAMP = "20250101T000000Z"

VTIMEZONE_BERLIN = """BEGIN:VTIMEZONE
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
"""

WORDS = ("planning review sync standup lunch dentist budget release retro interview "
         "workshop call demo training offsite board quarterly design ops hiring").split()


def _fmt(dt):
    return dt.strftime("%Y%m%dT%H%M%S")


def _summary(rng):
    return " ".join(rng.choice(WORDS) for _ in range(rng.randint(2, 4))).capitalize()


def _event(uid, lines):
    return "BEGIN:VEVENT\r\nUID:%s\r\nDTSTAMP:%s\r\n%sEND:VEVENT\r\n" % (uid, DTSTAMP, "".join(l + "\r\n" for l in lines))


def _wrap(body, tz):
    tzblock = VTIMEZONE_BERLIN.replace("\n", "\r\n") if tz else ""
    return ("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Caldera//bench generator//EN\r\n"
            + tzblock + body + "END:VCALENDAR\r\n")


def _dt_prop(name, dt, tz):
    return "%s;TZID=Europe/Berlin:%s" % (name, _fmt(dt)) if tz else "%s:%sZ" % (name, _fmt(dt))


def _single(rng, uid):
    day = SPAN_START + timedelta(days=rng.randrange(SPAN_DAYS))
    lines = ["SUMMARY:" + _summary(rng)]
    if rng.random() < 0.10:  # all-day, 1-3 days
        d = day.date()
        lines += ["DTSTART;VALUE=DATE:" + d.strftime("%Y%m%d"),
                  "DTEND;VALUE=DATE:" + (d + timedelta(days=rng.randint(1, 3))).strftime("%Y%m%d"),
                  "TRANSP:TRANSPARENT"]
        return _wrap(_event(uid, lines), False)
    tz = rng.random() < 0.20
    start = day + timedelta(hours=rng.randint(7, 19), minutes=rng.choice((0, 15, 30, 45)))
    end = start + timedelta(minutes=rng.choice((15, 30, 45, 60, 90, 120)))
    lines += [_dt_prop("DTSTART", start, tz), _dt_prop("DTEND", end, tz)]
    if rng.random() < 0.05:
        lines.append("STATUS:TENTATIVE")
    if rng.random() < 0.15:
        lines.append("LOCATION:Room %d" % rng.randint(1, 40))
    return _wrap(_event(uid, lines), tz)


def _recurring(rng, uid):
    tz = rng.random() < 0.30
    freq = "WEEKLY" if rng.random() < 0.7 else "DAILY"
    step = timedelta(weeks=1) if freq == "WEEKLY" else timedelta(days=1)
    start = (SPAN_START + timedelta(days=rng.randrange(SPAN_DAYS - 60),
                                    hours=rng.randint(7, 18), minutes=rng.choice((0, 30))))
    end = start + timedelta(minutes=rng.choice((30, 60)))
    kind = rng.random()
    if kind < 0.45:
        count = rng.randint(5, 30) if freq == "WEEKLY" else rng.randint(3, 20)
        rrule, n_occ = "RRULE:FREQ=%s;COUNT=%d" % (freq, count), count
    elif kind < 0.85:
        n_occ = rng.randint(5, 40) if freq == "WEEKLY" else rng.randint(3, 30)
        until = start + step * (n_occ - 1)
        rrule = "RRULE:FREQ=%s;UNTIL=%sZ" % (freq, _fmt(until))  # start is treated as UTC-ish; fine for a bench
    else:
        rrule, n_occ = "RRULE:FREQ=%s" % freq, 50  # endless
    lines = ["SUMMARY:" + _summary(rng), _dt_prop("DTSTART", start, tz), _dt_prop("DTEND", end, tz), rrule]
    occurrences = [start + step * i for i in range(1, min(n_occ, 50))]
    if occurrences and rng.random() < 0.30:
        for occ in rng.sample(occurrences, min(len(occurrences), rng.randint(1, 2))):
            lines.append(_dt_prop("EXDATE", occ, tz))
    body = _event(uid, lines)
    if occurrences and rng.random() < 0.25:  # one overridden (moved) instance
        occ = rng.choice(occurrences)
        moved = occ + timedelta(hours=rng.choice((-3, 2, 24)))
        body += _event(uid, ["SUMMARY:" + _summary(rng) + " (moved)", _dt_prop("RECURRENCE-ID", occ, tz),
                             _dt_prop("DTSTART", moved, tz),
                             _dt_prop("DTEND", moved + (end - start), tz), "SEQUENCE:1"])
    return _wrap(body, tz)


def generate(n, seed=42):
    """n (name, ics) pairs; 10% recurring, at evenly spread positions."""
    rng = random.Random("%d/%d" % (seed, n))
    out = []
    for i in range(n):
        uid = "bench-%d-%06d@caldera.test" % (seed, i)
        ics = _recurring(rng, uid) if i % 10 == 5 else _single(rng, uid)
        out.append(("ev%06d.ics" % i, ics))
    return out


if __name__ == "__main__":
    import sys
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 20
    for name, ics in generate(n):
        print("#", name)
        print(ics.replace("\r\n", "\n"))

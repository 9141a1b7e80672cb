"""iCalendar text the scenarios write themselves (exact bytes, so a test sees what the server was given):
VTIMEZONEs, local date-time stamps, a VEVENT in a time zone, the VCALENDAR around components."""

VTIMEZONES = {
    "Europe/Berlin": (
        "BEGIN:VTIMEZONE\r\nTZID:Europe/Berlin\r\n"
        "BEGIN:DAYLIGHT\r\nTZOFFSETFROM:+0100\r\nTZOFFSETTO:+0200\r\nTZNAME:CEST\r\n"
        "DTSTART:19700329T020000\r\nRRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU\r\nEND:DAYLIGHT\r\n"
        "BEGIN:STANDARD\r\nTZOFFSETFROM:+0200\r\nTZOFFSETTO:+0100\r\nTZNAME:CET\r\n"
        "DTSTART:19701025T030000\r\nRRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU\r\nEND:STANDARD\r\n"
        "END:VTIMEZONE\r\n"),
    "America/New_York": (
        "BEGIN:VTIMEZONE\r\nTZID:America/New_York\r\n"
        "BEGIN:DAYLIGHT\r\nTZOFFSETFROM:-0500\r\nTZOFFSETTO:-0400\r\nTZNAME:EDT\r\n"
        "DTSTART:19700308T020000\r\nRRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=2SU\r\nEND:DAYLIGHT\r\n"
        "BEGIN:STANDARD\r\nTZOFFSETFROM:-0400\r\nTZOFFSETTO:-0500\r\nTZNAME:EST\r\n"
        "DTSTART:19701101T020000\r\nRRULE:FREQ=YEARLY;BYMONTH=11;BYDAY=1SU\r\nEND:STANDARD\r\n"
        "END:VTIMEZONE\r\n"),
}


def vcalendar(scenario, *components, tzid=None):
    """A VCALENDAR (PRODID naming the scenario) holding tzid's VTIMEZONE, if any, and the components."""
    return ("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Caldera//%s scenario//EN\r\n" % scenario
            + (VTIMEZONES[tzid] if tzid else "") + "".join(components) + "END:VCALENDAR\r\n")


def stamp(day, hhmm):
    """A local DATE-TIME value: (date, "HH:MM") -> "YYYYMMDDTHHMM00"."""
    return "%s%s00" % (day.strftime("%Y%m%dT"), hhmm.replace(":", ""))


def vevent(uid, summary, start, end, extra="", tzid="Europe/Berlin"):
    """start/end: (day, "HH:MM") in tzid, or dates for an all-day event; extra: more property lines."""
    def prop(name, value):
        if isinstance(value, tuple):
            return "%s;TZID=%s:%s\r\n" % (name, tzid, stamp(*value))
        return "%s;VALUE=DATE:%s\r\n" % (name, value.strftime("%Y%m%d"))
    return ("BEGIN:VEVENT\r\nUID:%s\r\nDTSTAMP:20260101T000000Z\r\n" % uid + prop("DTSTART", start)
            + prop("DTEND", end) + "SUMMARY:%s\r\n" % summary + extra + "END:VEVENT\r\n")

"""iCalendar texts the scenario writes, and a reader for what it finds on either side."""

import os

import icalendar
from ical_text import VTIMEZONES, vcalendar  # tests/clients/common, on the path from scenario.py


def wrap(*components):
    return vcalendar("syncevolution", *components)


def event(uid, summary, start, end, extra=""):
    return ("BEGIN:VEVENT\r\nUID:%s\r\nDTSTAMP:20300101T000000Z\r\nDTSTART:%s\r\nDTEND:%s\r\n"
            "SUMMARY:%s\r\n%sEND:VEVENT\r\n" % (uid, start, end, summary, extra))


def todo(uid, summary, status="NEEDS-ACTION", extra=""):
    return ("BEGIN:VTODO\r\nUID:%s\r\nDTSTAMP:20300101T000000Z\r\nSUMMARY:%s\r\nSTATUS:%s\r\n%sEND:VTODO\r\n"
            % (uid, summary, status, extra))


BERLIN = VTIMEZONES["Europe/Berlin"]


def berlin_event(uid, summary, day):
    """A one-hour event at 10:00 Europe/Berlin on day (YYYYMMDD), with its VTIMEZONE."""
    return wrap(BERLIN, "BEGIN:VEVENT\r\nUID:%s\r\nDTSTAMP:20300101T000000Z\r\nDTSTART;TZID=Europe/Berlin:%sT100000\r\n"
                        "DTEND;TZID=Europe/Berlin:%sT110000\r\nSUMMARY:%s\r\nEND:VEVENT\r\n" % (uid, day, day, summary))


def recurring(uid, summary, exceptions):
    """A weekly event (10 Mondays from 2030-03-04 09:00Z) with moved/renamed instances, in one VCALENDAR.

    exceptions: [(recurrence-id date YYYYMMDD, new summary, new hour)].
    """
    return wrap(*recurring_components(uid, summary, exceptions))


def recurring_components(uid, summary, exceptions):
    """The VEVENTs of recurring(): the master first, then one per exception."""
    parts = [event(uid, summary, "20300304T090000Z", "20300304T100000Z", "RRULE:FREQ=WEEKLY;COUNT=10\r\n")]
    for day, summary, hour in exceptions:
        parts.append(event(uid, summary, "%sT%02d0000Z" % (day, hour), "%sT%02d0000Z" % (day, hour + 1),
                           "RECURRENCE-ID:%sT090000Z\r\n" % day))
    return parts


class Item:
    """One calendar object: its UID, kind (VEVENT/VTODO) and components."""

    def __init__(self, text, where):
        self.text = text
        self.where = where  # file name or href
        self.files = [where]
        calendar = icalendar.Calendar.from_ical(text)
        self.components = [c for c in calendar.walk() if c.name in ("VEVENT", "VTODO")]
        if not self.components:
            raise AssertionError("no VEVENT/VTODO in %s" % where)
        self.uid = str(self.components[0]["UID"])
        self.kind = self.components[0].name

    def merge(self, other):
        """Adds the instances another file holds for the same UID; the same instance twice is an error."""
        def ids(item):
            return {str(c.get("RECURRENCE-ID").to_ical()) if "RECURRENCE-ID" in c else "master" for c in item.components}
        twice = ids(self) & ids(other)
        if twice:
            raise AssertionError("UID %s: %s in both %s and %s" % (self.uid, sorted(twice), self.files, other.where))
        self.components += other.components
        self.files += other.files
        self.text += other.text

    def master(self):
        return next((c for c in self.components if "RECURRENCE-ID" not in c), self.components[0])

    @property
    def summary(self):
        return str(self.master().get("SUMMARY", ""))

    @property
    def status(self):
        return str(self.master().get("STATUS", ""))

    def exceptions(self):
        """{recurrence-id as YYYYMMDD: summary} of the overridden instances."""
        return {c.decoded("RECURRENCE-ID").strftime("%Y%m%d"): str(c.get("SUMMARY", ""))
                for c in self.components if "RECURRENCE-ID" in c}

    def rrule(self):
        rule = self.master().get("RRULE")
        return rule.to_ical().decode() if rule is not None else ""


def read_folder(folder):
    """{uid: Item} of every file in a syncevolution file-backend folder.

    syncevolution's CalDAV backend hands a recurring event to the sync engine as one item per
    VEVENT (the master, then each RECURRENCE-ID), so the file backend stores one file each:
    files of one UID are merged here (and each must hold a different instance).
    """
    items = {}
    for name in sorted(os.listdir(folder)):
        path = os.path.join(folder, name)
        with open(path, encoding="utf-8") as f:
            item = Item(f.read(), name)
        if item.uid in items:
            items[item.uid].merge(item)
        else:
            items[item.uid] = item
    return items


def read_server(objects):
    """{uid: Item} from CalDAV.objects() ({href: (etag, text)}); Item.etag set too."""
    items = {}
    for href, (etag, text) in objects.items():
        item = Item(text, href)
        item.etag = etag
        if item.uid in items:
            raise AssertionError("UID %s twice on the server (%s and %s)" % (item.uid, items[item.uid].where, href))
        items[item.uid] = item
    return items

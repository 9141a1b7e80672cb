#!/usr/bin/python3
"""RFC 6638 discovery and free-busy through Debian's python3-caldav (0.11), as a client would use them.

Usage: DavPythonCaldavScheduling.py URL USER PASSWORD ATTENDEE

Prints `ok <step>` per step; the first failure prints `FAIL <step>: <why>` and exits 1.
"""

import datetime
import sys
import xml.etree.ElementTree as ET

import caldav

CALDAV = "{urn:ietf:params:xml:ns:caldav}"
DAV = "{DAV:}"


def check(step, condition, why=""):
    if not condition:
        print("FAIL %s: %s" % (step, why))
        sys.exit(1)
    print("ok " + step)


def main(url, user, password, attendee):
    client = caldav.DAVClient(url, username=user, password=password)
    check("check_scheduling_support", client.check_scheduling_support() is True,
          "DAV header: %r" % client.check_dav_support())

    principal = client.principal()
    addresses = principal.calendar_user_address_set()
    check("calendar_user_address_set", addresses and addresses[0] == "mailto:%s@example.com" % user, repr(addresses))

    inbox = principal.schedule_inbox()
    check("schedule_inbox", str(inbox.url).endswith("/calendars/%s/inbox/" % user), str(inbox.url))
    items = list(inbox.get_items())
    check("inbox items", len(items) >= 1 and all("METHOD:REQUEST" in i.data for i in items),
          "%d items" % len(items))

    outbox = principal.schedule_outbox()
    check("schedule_outbox", str(outbox.url).endswith("/calendars/%s/outbox/" % user), str(outbox.url))

    # principal.freebusy_request builds the VFREEBUSY REQUEST (ORGANIZER from calendar-user-address-set); the
    # schedule-response is read here, since 0.11 parses only multistatus answers.
    start = datetime.datetime(2025, 3, 10, tzinfo=datetime.timezone.utc)
    request = caldav.objects.icalendar.Calendar()
    request.add("prodid", "-//Caldera tests//EN")
    request.add("version", "2.0")
    request.add("method", "REQUEST")
    component = caldav.objects.icalendar.FreeBusy()
    component.add("uid", "python-fb-1")
    component.add("dtstamp", start)
    component.add("dtstart", start)
    component.add("dtend", start + datetime.timedelta(days=1))
    request.add_component(component)
    fb = caldav.FreeBusy(parent=outbox, data=request.to_ical().decode("utf-8"))
    fb.add_organizer()
    fb.add_attendee(attendee, no_default_parameters=True)
    response = client.post(outbox.url, fb.data, headers={"Content-Type": "text/calendar; charset=utf-8"})
    check("outbox POST status", response.status == 200, "%s %s" % (response.status, response.raw))
    root = ET.fromstring(response.raw.encode("utf-8") if isinstance(response.raw, str) else response.raw)
    check("schedule-response", root.tag == CALDAV + "schedule-response", root.tag)
    answers = root.findall(CALDAV + "response")
    statuses = [a.findtext(CALDAV + "request-status") for a in answers]
    check("one answer, success", statuses == ["2.0;Success"], repr(statuses))
    data = answers[0].findtext(CALDAV + "calendar-data") or ""
    check("busy time returned", "METHOD:REPLY" in data and "BEGIN:VFREEBUSY" in data, data)


if __name__ == "__main__":
    main(*sys.argv[1:5])

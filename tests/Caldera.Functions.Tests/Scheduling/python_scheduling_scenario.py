#!/usr/bin/python3
"""Implicit scheduling as python-caldav (Debian's python3-caldav 0.11) drives it, one phase per run.

Usage:
  python_scheduling_scenario.py invite URL ALICE_PASSWORD BOB_PASSWORD
      alice invites bob and carol@example.com to a weekly event; bob finds the REQUEST in his inbox and the event
      (NEEDS-ACTION) in his calendar, accepts it; alice's copy shows ACCEPTED. Prints "uid=<UID>".
  python_scheduling_scenario.py read-mail FILE
      parses a captured email with Python's email + icalendar; prints "method=<M>" and "uid=<UID>".
  python_scheduling_scenario.py move-and-cancel URL ALICE_PASSWORD BOB_PASSWORD UID
      alice moves the second instance (bob's copy follows), then deletes the series (bob's copy is cancelled).

Each step prints "ok <step>"; a failure prints "FAIL <step>: <why>" and exits non-zero.
"""

import datetime
import email
import email.policy
import sys
import traceback
import uuid

import caldav
import icalendar


def step(name, check):
    try:
        result = check()
    except Exception as e:  # the scenario reports, the C# test decides
        print("FAIL %s: %s" % (name, e))
        traceback.print_exc(file=sys.stdout)
        sys.exit(1)
    if result is False:
        print("FAIL %s" % name)
        sys.exit(1)
    print("ok %s" % name)
    return result


def connect(url, user, password):
    client = caldav.DAVClient(url, username=user, password=password)
    return client, client.principal()


def default_calendar(client, user):
    return caldav.Calendar(client=client, url=client.url.join("/calendars/%s/default/" % user))


def attendee(component, address):
    for a in component.get("attendee", []) if isinstance(component.get("attendee"), list) else [component.get("attendee")]:
        if a is not None and str(a).lower() == address:
            return a
    return None


def partstat(ical_text, address, recurrence_id=None):
    for c in icalendar.Calendar.from_ical(ical_text).walk("VEVENT"):
        rid = c.get("recurrence-id")
        if (rid is None) == (recurrence_id is None) and (rid is None or rid.dt == recurrence_id):
            a = attendee(c, address)
            return None if a is None else str(a.params.get("PARTSTAT"))
    return None


def invite(url, alice_password, bob_password):
    alice, alice_principal = connect(url, "alice", alice_password)
    bob, bob_principal = connect(url, "bob", bob_password)
    step("scheduling support detected", lambda: bool(alice.check_scheduling_support()))
    step("schedule inbox found", lambda: str(alice_principal.schedule_inbox().url).endswith("/calendars/alice/inbox/"))
    step("schedule outbox found", lambda: str(alice_principal.schedule_outbox().url).endswith("/calendars/alice/outbox/"))

    uid = "py-%s" % uuid.uuid4().hex[:12]
    ical = "\r\n".join([
        "BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//Caldera scenario//EN", "BEGIN:VEVENT",
        "UID:%s" % uid, "DTSTAMP:20260101T000000Z", "DTSTART:20270104T090000Z", "DTEND:20270104T100000Z",
        "RRULE:FREQ=WEEKLY;COUNT=3", "SUMMARY:Weekly sync", "SEQUENCE:0", "END:VEVENT", "END:VCALENDAR", ""])
    calendar = default_calendar(alice, "alice")
    step("alice invites bob and carol", lambda: calendar.save_with_invites(ical, [bob_principal, "carol@example.com"]))

    inbox = bob_principal.schedule_inbox()
    requests = step("bob's inbox holds the REQUEST", lambda: [i for i in inbox.get_items()
                                                            if uid in i.data and i.is_invite_request()] or False)
    bobs_calendar = default_calendar(bob, "bob")
    step("bob's calendar holds it, NEEDS-ACTION",
         lambda: partstat(bobs_calendar.event_by_uid(uid).data, "mailto:bob@example.com") == "NEEDS-ACTION")
    step("bob accepts from his inbox", lambda: requests[0].accept_invite(calendar=bobs_calendar) or True)
    step("alice's copy shows bob ACCEPTED",
         lambda: partstat(calendar.event_by_uid(uid).data, "mailto:bob@example.com") == "ACCEPTED")
    print("uid=%s" % uid)


def read_mail(path):
    with open(path, "rb") as f:
        message = email.message_from_binary_file(f, policy=email.policy.default)
    parts = [p for p in message.walk() if p.get_content_type() == "text/calendar"]
    part = step("the email has a text/calendar part", lambda: parts[0] if parts else False)
    method = part.get_param("method")
    calendar = icalendar.Calendar.from_ical(part.get_content())
    step("its METHOD matches the MIME method", lambda: str(calendar.get("method")) == method)
    print("method=%s" % method)
    print("uid=%s" % str(next(iter(calendar.walk("VEVENT"))).get("uid")))


def move_and_cancel(url, alice_password, bob_password, uid):
    alice, _ = connect(url, "alice", alice_password)
    bob, _ = connect(url, "bob", bob_password)
    calendar = default_calendar(alice, "alice")
    bobs_calendar = default_calendar(bob, "bob")
    event = calendar.event_by_uid(uid)
    cal = icalendar.Calendar.from_ical(event.data)
    master = next(iter(cal.walk("VEVENT")))
    moved = icalendar.Event()
    for name in ("uid", "organizer", "summary"):
        moved.add(name, master.get(name))
    for a in master.get("attendee"):
        moved.add("attendee", a)
    second = datetime.datetime(2027, 1, 11, 9, 0, tzinfo=datetime.timezone.utc)
    moved.add("recurrence-id", second)
    moved.add("dtstart", second + datetime.timedelta(hours=5))
    moved.add("dtend", second + datetime.timedelta(hours=6))
    moved.add("dtstamp", datetime.datetime.now(datetime.timezone.utc))
    moved.add("sequence", int(master.get("sequence", 0)) + 1)
    cal.add_component(moved)
    event.data = cal.to_ical()
    step("alice moves the second instance", lambda: event.save(increase_seqno=False) or True)

    def bobs_override():
        data = bobs_calendar.event_by_uid(uid).data
        for c in icalendar.Calendar.from_ical(data).walk("VEVENT"):
            if c.get("recurrence-id") is not None and c.get("recurrence-id").dt == second:
                return c.get("dtstart").dt == second + datetime.timedelta(hours=5)
        return False
    step("bob's copy has the moved instance", bobs_override)

    step("alice cancels the series", lambda: calendar.event_by_uid(uid).delete() or True)
    step("bob's copy is cancelled", lambda: str(next(iter(icalendar.Calendar.from_ical(
        bobs_calendar.event_by_uid(uid).data).walk("VEVENT"))).get("status")) == "CANCELLED")


if __name__ == "__main__":
    phase = sys.argv[1]
    if phase == "invite":
        invite(*sys.argv[2:5])
    elif phase == "read-mail":
        read_mail(sys.argv[2])
    elif phase == "move-and-cancel":
        move_and_cancel(*sys.argv[2:6])
    else:
        print("FAIL unknown phase %s" % phase)
        sys.exit(2)

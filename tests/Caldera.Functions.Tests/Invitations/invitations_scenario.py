#!/usr/bin/python3
"""Invitations both ways, driven by python-caldav (Debian's python3-caldav) as the users' client.

Usage: invitations_scenario.py URL FUNCTION_KEY ALICE_PASSWORD BOB_PASSWORD MAIL_DIR

alice@example.com (organizer) and bob@example.com are Caldera users; carol@example.com is outside and is
reached only by email, which the test's SMTP server writes as one .eml file per message into MAIL_DIR.
Each step prints `ok <step>`; the first failure prints `FAIL <step>: <why>` and exits 1.
"""

import datetime
import email
import email.policy
import glob
import os
import sys
import time
import traceback
import uuid
from email.mime.text import MIMEText

import caldav
import icalendar
import requests

URL, KEY, ALICE_PW, BOB_PW, MAIL_DIR = sys.argv[1:6]
ALICE, BOB, CAROL = "alice@example.com", "bob@example.com", "carol@example.com"
UID = "planning-%s@example.com" % uuid.uuid4().hex[:12]
# A weekly series of four, starting next Monday 09:00 UTC.
today = datetime.datetime.now(datetime.timezone.utc).replace(hour=9, minute=0, second=0, microsecond=0)
START = today + datetime.timedelta(days=7 - today.weekday())
SECOND = START + datetime.timedelta(days=7)
STEP = "start"


def ok(step):
    print("ok " + step, flush=True)


DUMP = []  # callables that print what the failing step was looking at


def fail(why):
    print("FAIL %s: %s" % (STEP, why), flush=True)
    for dump in DUMP:
        try:
            print(dump(), flush=True)
        except Exception as e:
            print("(could not dump: %r)" % e, flush=True)
    sys.exit(1)


def check(condition, why):
    if not condition:
        fail(why)


def wait_for(what, probe, timeout=60):
    """Polls probe() until it returns something truthy; delivery and email go through queues."""
    deadline = time.time() + timeout
    last = None
    while time.time() < deadline:
        try:
            last = probe()
        except Exception as e:  # the object may not exist yet
            last = e
        if last and not isinstance(last, Exception):
            return last
        time.sleep(0.3)
    fail("%s did not happen within %d s (last: %r)" % (what, timeout, last))


def utc(dt):
    return dt.strftime("%Y%m%dT%H%M%SZ")


def vevents(text):
    return [c for c in icalendar.Calendar.from_ical(text).walk("VEVENT")]


def partstat(event, address):
    for a in event.get("ATTENDEE") if isinstance(event.get("ATTENDEE"), list) else [event.get("ATTENDEE")]:
        if a is not None and str(a).lower() == "mailto:" + address:
            return str(a.params.get("PARTSTAT", "NEEDS-ACTION")).upper()
    return None


def mails_to(address):
    """Every captured email to address, oldest first, parsed by Python's email package (the check carol's MUA would do)."""
    found = []
    for path in sorted(glob.glob(os.path.join(MAIL_DIR, "*.eml")), key=os.path.getmtime):
        with open(path, "rb") as f:
            message = email.message_from_binary_file(f, policy=email.policy.default)
        if address in str(message["To"]).lower():
            found.append(message)
    return found


def calendar_part(message):
    """The text/calendar part and its method parameter; the iCalendar METHOD must agree with it (RFC 6047 §2.4)."""
    parts = [p for p in message.walk() if p.get_content_type() == "text/calendar"]
    check(len(parts) >= 1, "the email has no text/calendar part")
    part = parts[0]
    method = part.get_param("method")
    body = part.get_content()
    cal = icalendar.Calendar.from_ical(body)
    check(str(cal.get("METHOD")).upper() == str(method).upper(), "MIME method %s but iCalendar METHOD %s" % (method, cal.get("METHOD")))
    return str(method).upper(), cal


def carol_mail(method, predicate=lambda cal: True):
    def probe():
        for m in mails_to(CAROL):
            mm, cal = calendar_part(m)
            if mm == method and any(str(e.get("UID")) == UID for e in cal.walk("VEVENT")) and predicate(cal):
                return m, cal
        return None
    return wait_for("an email %s to %s" % (method, CAROL), probe)


def own_calendar(principal):
    for c in principal.calendars():
        if str(c.url).rstrip("/").endswith("/default"):
            return c
    fail("no default calendar among %s" % [str(c.url) for c in principal.calendars()])


try:
    alice_client = caldav.DAVClient(URL, username="alice", password=ALICE_PW)
    bob_client = caldav.DAVClient(URL, username="bob", password=BOB_PW)
    STEP = "scheduling support"
    check(alice_client.check_scheduling_support(), "DAV header lacks calendar-auto-schedule")
    alice, bob = alice_client.principal(), bob_client.principal()
    check("mailto:" + ALICE in [a.lower() for a in alice.calendar_user_address_set()], "alice's calendar-user-address-set")
    alice.schedule_inbox(), alice.schedule_outbox(), bob.schedule_inbox(), bob.schedule_outbox()
    ok(STEP)

    STEP = "alice invites bob and carol"
    alice_cal, bob_cal = own_calendar(alice), own_calendar(bob)
    DUMP.append(lambda: "--- alice's copy ---\n" + alice_cal.event_by_uid(UID).data)
    DUMP.append(lambda: "--- bob's copy ---\n" + bob_cal.event_by_uid(UID).data)
    ical = "\r\n".join([
        "BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//Caldera tests//invitations//EN",
        "BEGIN:VEVENT", "UID:" + UID, "DTSTAMP:" + utc(datetime.datetime.now(datetime.timezone.utc)),
        "DTSTART:" + utc(START), "DTEND:" + utc(START + datetime.timedelta(hours=1)),
        "RRULE:FREQ=WEEKLY;COUNT=4", "SUMMARY:Weekly planning", "SEQUENCE:0",
        "END:VEVENT", "END:VCALENDAR", ""])
    alice_cal.save_with_invites(ical, ["mailto:" + BOB, ("Carol", CAROL)])
    stored = vevents(alice_cal.event_by_uid(UID).data)
    statuses = {str(a).lower(): str(a.params.get("SCHEDULE-STATUS", "")) for a in stored[0].get("ATTENDEE")}
    check(statuses.get("mailto:" + BOB, "").startswith("1.2"), "bob's SCHEDULE-STATUS is %r, not 1.2 (delivered)" % statuses)
    check(statuses.get("mailto:" + CAROL, "").startswith("1.1"), "carol's SCHEDULE-STATUS is %r, not 1.1 (sent)" % statuses)
    ok(STEP)

    STEP = "bob's calendar holds the invitation, NEEDS-ACTION"
    bob_copy = wait_for("the event in bob's calendar", lambda: bob_cal.event_by_uid(UID))
    check(partstat(vevents(bob_copy.data)[0], BOB) == "NEEDS-ACTION", "bob's PARTSTAT is %s" % partstat(vevents(bob_copy.data)[0], BOB))
    ok(STEP)

    STEP = "bob's inbox holds the REQUEST"
    def bob_request():
        for item in bob.schedule_inbox().get_items():
            if item.is_invite_request() and UID in item.data:
                return item
        return None
    request = wait_for("a REQUEST in bob's inbox", bob_request)
    ok(STEP)

    STEP = "carol gets the invitation by email"
    message, carol_request = carol_mail("REQUEST")
    check(ALICE in str(message["Reply-To"] or message["From"]).lower(), "the email neither comes from nor replies to alice: From %s" % message["From"])
    check(any(p.get_content_type() == "text/plain" for p in message.walk()), "no readable text part")
    check(message["Message-ID"], "no Message-ID")
    ok(STEP)

    STEP = "bob accepts (PUT from python-caldav's accept_invite)"
    request.accept_invite(calendar=bob_cal)
    wait_for("ACCEPTED on alice's copy", lambda: partstat(vevents(alice_cal.event_by_uid(UID).data)[0], BOB) == "ACCEPTED")
    ok(STEP)

    STEP = "carol replies TENTATIVE by email to /imip"
    # Her mail client answers the revision it was sent (RFC 5546 §2.1.5: the SEQUENCE of the REQUEST).
    sequence = int([e for e in carol_request.walk("VEVENT")][0].get("SEQUENCE", 0))
    reply = "\r\n".join([
        "BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//Carol's mail client//EN", "METHOD:REPLY",
        "BEGIN:VEVENT", "UID:" + UID, "DTSTAMP:" + utc(datetime.datetime.now(datetime.timezone.utc)), "SEQUENCE:%d" % sequence,
        "DTSTART:" + utc(START), "ORGANIZER:mailto:" + ALICE, "ATTENDEE;PARTSTAT=TENTATIVE:mailto:" + CAROL,
        "END:VEVENT", "END:VCALENDAR", ""])
    mail = MIMEText(reply, "calendar", "utf-8")
    mail.set_param("method", "REPLY")
    mail["From"], mail["To"], mail["Subject"] = CAROL, ALICE, "Tentative: Weekly planning"
    mail["Message-ID"] = "<%s@carol.example.com>" % uuid.uuid4().hex
    mail["Date"] = email.utils.formatdate()
    answer = requests.post(URL + "imip", params={"recipient": ALICE}, data=mail.as_bytes(),
                           headers={"x-functions-key": KEY, "Content-Type": "message/rfc822"})
    check(answer.status_code == 202, "POST /imip answered %s" % answer.status_code)
    wait_for("TENTATIVE on alice's copy", lambda: partstat(vevents(alice_cal.event_by_uid(UID).data)[0], CAROL) == "TENTATIVE")
    ok(STEP)

    STEP = "alice asks bob's and carol's free-busy through her outbox"
    found = alice.freebusy_request(START - datetime.timedelta(days=1), START + datetime.timedelta(days=30), ["mailto:" + BOB, "mailto:" + CAROL])
    check(found, "python-caldav read no schedule-response: %r" % (found,))
    query = "\r\n".join([
        "BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//Caldera tests//invitations//EN", "METHOD:REQUEST",
        "BEGIN:VFREEBUSY", "UID:" + uuid.uuid4().hex, "DTSTAMP:" + utc(datetime.datetime.now(datetime.timezone.utc)),
        "DTSTART:" + utc(START - datetime.timedelta(days=1)), "DTEND:" + utc(START + datetime.timedelta(days=1)),
        "ORGANIZER:mailto:" + ALICE, "ATTENDEE:mailto:" + BOB, "ATTENDEE:mailto:" + CAROL,
        "END:VFREEBUSY", "END:VCALENDAR", ""])
    answer = requests.post(str(alice.schedule_outbox().url), data=query.encode(), auth=("alice", ALICE_PW),
                           headers={"Content-Type": "text/calendar; charset=utf-8"})
    check(answer.status_code == 200, "POST to the outbox answered %s" % answer.status_code)
    body = answer.text.replace("\r\n ", "").replace("\n ", "")
    check("2.0;Success" in body, "no 2.0;Success for bob in %s" % body)
    check("FREEBUSY" in body and utc(START) in body, "bob's accepted meeting at %s is not busy time in %s" % (utc(START), body))
    check("mailto:" + CAROL in body and ("5.3" in body or "3.7" in body), "no clear status for carol in %s" % body)
    ok(STEP)

    STEP = "alice moves the second instance"
    event = alice_cal.event_by_uid(UID)
    whole = icalendar.Calendar.from_ical(event.data)
    master = [c for c in whole.walk("VEVENT") if c.get("RECURRENCE-ID") is None][0]
    moved = icalendar.Event()
    for name in ("UID", "SUMMARY", "ORGANIZER"):
        moved.add(name, master.get(name))
    for a in master.get("ATTENDEE"):
        moved.add("ATTENDEE", a)
    moved.add("RECURRENCE-ID", SECOND)
    moved.add("DTSTART", SECOND + datetime.timedelta(hours=2))
    moved.add("DTEND", SECOND + datetime.timedelta(hours=3))
    moved.add("DTSTAMP", datetime.datetime.now(datetime.timezone.utc))
    moved.add("SEQUENCE", int(master.get("SEQUENCE", 0)) + 1)
    whole.add_component(moved)
    event.data = whole.to_ical().decode()
    event.save()

    def bob_has_moved_instance():
        items = vevents(bob_cal.event_by_uid(UID).data)
        return any(e.get("RECURRENCE-ID") is not None and e.decoded("DTSTART") == SECOND + datetime.timedelta(hours=2) for e in items)
    wait_for("the moved instance in bob's calendar", bob_has_moved_instance)
    carol_mail("REQUEST", lambda cal: any(e.get("RECURRENCE-ID") is not None for e in cal.walk("VEVENT")))
    ok(STEP)

    STEP = "alice cancels the series"
    alice_cal.event_by_uid(UID).delete()
    def bob_cancelled():
        items = vevents(bob_cal.event_by_uid(UID).data)
        return all(str(e.get("STATUS", "")).upper() == "CANCELLED" for e in items)
    wait_for("bob's copy cancelled", bob_cancelled)
    carol_mail("CANCEL")
    ok(STEP)

    print("done", flush=True)
except SystemExit:
    raise
except Exception:
    print("FAIL %s: %s" % (STEP, traceback.format_exc().strip().splitlines()[-1]), flush=True)
    traceback.print_exc()
    sys.exit(1)

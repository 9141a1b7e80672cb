#!/usr/bin/python3
"""Debian's real Thunderbird against a CalDAV server, headless, driven through Marionette and Thunderbird's own
calendar code: discovery from the server root, sync, events (single, recurring with a moved and a deleted
occurrence), edit, delete, a task completed, changes made over CalDAV seen after a refresh, its error console,
screenshots of the week view and the task list. Every step is checked on the server over plain CalDAV too.

usage: scenario.py URL USER PASSWORD [--artifacts DIR] [--thunderbird PATH]
"""
import concurrent.futures
import datetime
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.parse
import uuid
import zoneinfo

import icalendar

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "common"))
import scenario_kit  # noqa: E402
from caldav_http import CalDAV  # noqa: E402
from marionette import Marionette, MarionetteError  # noqa: E402
from scenario_kit import ScenarioFailure  # noqa: E402

TZ = "Europe/Berlin"  # Thunderbird's own timezone setting: events carry TZID + VTIMEZONE, as for most users
BULK = 120  # objects already in the calendar before Thunderbird subscribes
STEP_MS = 20000  # one calendar operation or refresh, in Thunderbird
START_S = 90  # Thunderbird's start until Marionette answers (about 4 s on an idle machine)


T0 = time.monotonic()


def ok(what):
    scenario_kit.ok(f"{what} [{time.monotonic() - T0:.1f} s]")  # with the time since start: where a slow run lost it


def check(condition, what, why):
    scenario_kit.check(condition, f"{what}: {why}")


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def write_profile(profile, port):
    prefs = {
        "marionette.port": port,
        # Marionette turns password saving off; the calendar would then prompt for the password and disable itself.
        "signon.rememberSignons": True,
        "mail.provider.suppress_dialog_on_startup": True,  # no account wizard on an empty profile
        "mail.shell.checkDefaultClient": False,
        "mailnews.start_page.enabled": False,
        "mail.rights.version": 1,  # no "know your rights" bar over the screenshots
        "offline.autoDetect": False,  # a machine without a network must not put the calendar offline
        "network.manage-offline-status": False,
        "calendar.timezone.useSystemTimezone": False,
        "calendar.timezone.local": TZ,
        "calendar.week.start": 1,  # Monday, so the week view shows Monday..Sunday
        "calendar.loglevel": "Debug",  # the calendar's logger (console API), for the record of what it concluded
        "calendar.debug.log": True,
        "calendar.view.dayendhour": 20,
        "calendar.view.daystarthour": 7,
        "calendar.alarms.show": False,
        "calendar.alarms.playsound": False,
        "datareporting.policy.dataSubmissionEnabled": False,
        "toolkit.telemetry.enabled": False,
        "app.update.enabled": False,
        "extensions.update.enabled": False,
    }
    with open(os.path.join(profile, "user.js"), "w") as f:
        for key, value in prefs.items():
            f.write(f"user_pref({json.dumps(key)}, {json.dumps(value)});\n")


def next_monday():
    today = datetime.date.today()
    return today + datetime.timedelta(days=7 - today.weekday())


def ical(day, hour, minute=0):
    return day.strftime("%Y%m%d") + f"T{hour:02d}{minute:02d}00"


class Run:
    def __init__(self, args, tmp):
        self.args = args
        self.tmp = tmp
        self.dav = CalDAV(args.url, args.user, args.password, timeout=15)
        self.proc = None
        self.m = None
        self.requests_seen = 0
        self.all_requests = []

    # --- Thunderbird ---

    def start(self):
        """Starts Thunderbird on the scenario's profile (made on the first start, kept across restarts)."""
        profile = os.path.join(self.tmp, "profile")
        home = os.path.join(self.tmp, "home")
        if not os.path.isdir(profile):
            os.makedirs(profile)
            os.makedirs(home)
            self.port = free_port()
            write_profile(profile, self.port)
        port = self.port
        env = {k: v for k, v in os.environ.items() if not k.startswith(("MOZ_", "XDG_", "DISPLAY", "WAYLAND"))}
        env.update(HOME=home, XDG_CONFIG_HOME=os.path.join(home, ".config"), XDG_CACHE_HOME=os.path.join(home, ".cache"),
                   XDG_DATA_HOME=os.path.join(home, ".local/share"), XDG_RUNTIME_DIR=home, TZ="UTC", MOZ_HEADLESS="1",
                   MOZ_HEADLESS_WIDTH="1400", MOZ_HEADLESS_HEIGHT="1000", LANG="C.UTF-8")
        self.log = open(os.path.join(self.args.artifacts, "thunderbird-stdout.log"), "a")
        started = time.monotonic()
        self.proc = subprocess.Popen(
            [self.args.thunderbird, "--headless", "--marionette", "-remote-allow-system-access", "-no-remote",
             "-profile", profile],
            env=env, stdin=subprocess.DEVNULL, stdout=self.log, stderr=subprocess.STDOUT, start_new_session=True)
        try:
            self.m = Marionette("127.0.0.1", port, connect_timeout=START_S)
        except MarionetteError as e:
            raise ScenarioFailure(f"Thunderbird start: {e} (exit code {self.proc.poll()})") from None
        self.m.start_chrome_session(STEP_MS * 3)
        self.wait_js("the main window", "return document.readyState == 'complete' && typeof switchCalendarView == 'function'", 60)
        with open(os.path.join(HERE, "calendar.js")) as f:
            self.m.execute(f.read())
        version = self.m.execute("return Services.appinfo.name + ' ' + Services.appinfo.version")
        ok(f"{version} started headless, Marionette answering after {time.monotonic() - started:.1f} s")
        parts = urllib.parse.urlsplit(self.dav.base)
        self.call("watch", f"{parts.scheme}://{parts.netloc}")
        self.requests_seen = 0

    def quit(self):
        """Quits Thunderbird the way a user does (File > Quit) and waits for it to exit."""
        self.m.quit(timeout=20, flags=["eAttemptQuit"])
        self.m = None
        try:
            self.proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            raise ScenarioFailure("restart: Thunderbird did not exit within 30 s of Quit") from None
        try:
            os.killpg(self.proc.pid, signal.SIGKILL)  # helpers left in its group, if any
        except ProcessLookupError:
            pass
        self.proc = None
        self.log.close()

    def wait_js(self, what, script, seconds):
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            if self.m.execute(script):
                return
            time.sleep(0.2)
        raise ScenarioFailure(f"Thunderbird start: {what} was not ready within {seconds} s")

    def call(self, name, *args, timeout=STEP_MS / 1000 + 10):
        """Calls window.calderaTest[name](...args) in Thunderbird and returns its result (or fails the step)."""
        script = ("const [name, args, resolve] = [arguments[0], arguments[1], arguments[arguments.length - 1]];"
                  "window.calderaTest[name](...args).then(v => resolve({ value: v }),"
                  " e => resolve({ error: String(e) + '\\n' + (e && e.stack || '') }));")
        result = self.m.execute_async(script, [name, list(args)], timeout)
        if result is None or "error" in result:
            raise ScenarioFailure(f"Thunderbird {name}{tuple(args)!r}: {result and result['error']}")
        return result["value"]

    def requests(self):
        """The HTTP requests Thunderbird made since the last call (method, path, Depth, body root, status)."""
        new = self.call("requestsSince", self.requests_seen)
        self.requests_seen += len(new)
        self.all_requests.extend(new)
        return new

    def items(self):
        return self.call("items")

    def item(self, title):
        return next((i for i in self.items() if i["title"] == title), None)

    def stop(self):
        if self.m is not None:
            try:
                self.m.quit(timeout=15)
            except Exception:  # a broken connection: the process group is killed below anyway
                pass
        if self.proc is not None:
            try:
                self.proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                pass
            # Thunderbird may leave helpers (content processes) in its own process group: end the group.
            try:
                os.killpg(self.proc.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            self.proc.wait(timeout=10)
        if getattr(self, "log", None) and not self.log.closed:
            self.log.close()

    # --- server-side views ---

    def server_objects(self, kind, summary_prefix="Caldera:"):
        """summary -> (href, etag, the component list of that object) for our objects of one kind."""
        out = {}
        for href, (etag, vcal) in self.dav.objects(self.calendar_path, icalendar.Calendar.from_ical).items():
            comps = [c for c in vcal.walk() if c.name == kind]
            masters = [c for c in comps if "RECURRENCE-ID" not in c] or comps
            if comps and str(masters[0].get("SUMMARY", "")).startswith(summary_prefix):
                out[str(masters[0]["SUMMARY"])] = (href, etag, comps)
        return out

    def server_one(self, kind, summary):
        objects = self.server_objects(kind)
        check(summary in objects, f"server state of '{summary}'",
              f"no {kind} with that SUMMARY on the server; it has {sorted(objects)}")
        return objects[summary]

    def wait_in_thunderbird(self, what, predicate, seconds=20):
        """Refreshes Thunderbird's calendar (as its Synchronize button does) until predicate(items) holds."""
        deadline = time.monotonic() + seconds
        while True:
            self.call("refresh", STEP_MS)
            items = self.items()
            if predicate(items):
                return items
            if time.monotonic() > deadline:
                raise ScenarioFailure(f"{what}: not seen in Thunderbird within {seconds} s; it shows "
                              f"{sorted(i['title'] for i in items)}")
            time.sleep(0.5)


def dt_local(prop):
    """(tzid, naive local time) of a DTSTART/DUE/RECURRENCE-ID/EXDATE value."""
    value = prop.dt
    tzid = prop.params.get("TZID")
    if isinstance(value, datetime.datetime):
        return tzid, value.replace(tzinfo=None)
    return tzid, value


def scenario(run):
    args = run.args
    dav = run.dav
    monday = next_monday()
    day = [monday + datetime.timedelta(days=i) for i in range(7)]

    # The server's own answer, over plain CalDAV, to compare Thunderbird's discovery with.
    principal, home, server_calendars = dav.calendars()
    check(server_calendars, "server discovery", f"no calendar under {home}")
    target = next((h for h, cal in server_calendars.items() if {"VEVENT", "VTODO"} <= cal.components), None)
    check(target, "server discovery", f"no calendar in {home} takes both events and tasks: {server_calendars}")
    run.calendar_path = target
    before = {**run.server_objects("VEVENT", "Caldera"), **run.server_objects("VTODO", "Caldera")}
    with concurrent.futures.ThreadPoolExecutor(4) as pool:  # an earlier run against the same server (by hand)
        list(pool.map(dav.delete, [href for href, _, _ in before.values()]))
    if before:
        print(f"  removed {len(before)} objects of an earlier run")

    # A calendar already in use: its objects must all arrive in Thunderbird's first sync (multigets in batches).
    def put_bulk(i):
        start = datetime.datetime.combine(day[0] - datetime.timedelta(days=60), datetime.time()) + datetime.timedelta(hours=5 * i)
        dav.put(f"{target}caldera-bulk-{i:03d}.ics",
                "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Caldera tests//thunderbird scenario//EN\r\nBEGIN:VEVENT\r\n"
                f"UID:caldera-bulk-{i:03d}\r\nDTSTAMP:20260101T000000Z\r\nDTSTART:{start:%Y%m%dT%H%M%S}Z\r\n"
                f"DURATION:PT30M\r\nSUMMARY:Caldera bulk {i:03d}\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n")
    with concurrent.futures.ThreadPoolExecutor(4) as pool:
        list(pool.map(put_bulk, range(BULK)))

    run.start()

    # 1. Discovery from the server root, as a user fills "New Calendar > On the Network".
    found = run.call("discover", args.user, args.password, dav.base)
    discovery = run.requests()
    check(found["withoutPassword"] == "AuthFailedError", "discovery",
          f"without a password Thunderbird's detection ended with {found['withoutPassword']}, not AuthFailedError "
          "(the dialog would not ask for the password)")
    caldav = [c for c in found["calendars"] if c["provider"] == "caldav"]
    check(caldav, "discovery", f"Thunderbird found no CalDAV calendar at {dav.base}: {found}")
    paths = {urlpath(c["uri"]) for c in caldav}
    check(paths == set(server_calendars), "discovery",
          f"Thunderbird found {sorted(paths)}, the server's home {home} has {sorted(server_calendars)}")
    check(any(r["path"] == "/.well-known/caldav" for r in discovery), "discovery",
          "Thunderbird did not ask /.well-known/caldav: " + summary(discovery))
    check(any(urlpath(r["path"]) == principal and r["method"] == "PROPFIND" for r in discovery), "discovery",
          f"Thunderbird never asked the principal {principal}: " + summary(discovery))
    check(any(urlpath(r["path"]) == home and r["depth"] == "1" for r in discovery), "discovery",
          f"Thunderbird never listed the home {home}: " + summary(discovery))
    for c in caldav:
        want = server_calendars[urlpath(c["uri"])].displayname
        check(want is None or c["name"] == want, "discovery", f"{c['uri']} is named {c['name']!r} in Thunderbird, {want!r} on the server")
        check(not c["readOnly"], "discovery", f"Thunderbird thinks {c['uri']} is read-only (current-user-privilege-set)")
    logins = [l for l in found["logins"] if l["username"] == args.user and l["hasPassword"]]
    check(logins, "discovery", f"the password was not saved in Thunderbird's login manager: {found['logins']}")
    ok(f"discovery from {dav.base}: /.well-known/caldav -> principal {principal} -> home {home} -> "
       f"{len(caldav)} writable calendar(s) {sorted((urlpath(c['uri']), c['name']) for c in caldav)}; login saved for realm {logins[0]['realm']!r}")

    # 2. Subscribe to the calendar that takes events and tasks, and let it sync.
    target_uri = next(c["uri"] for c in caldav if urlpath(c["uri"]) == target)
    registered = run.call("register", target_uri, STEP_MS)
    first_sync = run.requests()
    check(not registered["disabled"] and registered["status"] == 0, "first sync",
          f"Thunderbird disabled the calendar or reports an error: {registered}")
    check(registered["items"] == BULK, "first sync", f"the server has {BULK} objects, Thunderbird shows {registered['items']}")
    batches = [t.count("<D:href>") for t in (m["text"] for m in run.call("console"))
               if "send (REPORT" in t and "calendar-multiget" in t]
    check(sum(batches) == BULK, "first sync", f"Thunderbird's multigets fetched {batches} objects, not {BULK}")
    check(all(r["status"] == 207 for r in first_sync if r["method"] == "REPORT"), "first sync",
          "a REPORT of the first sync failed: " + summary(first_sync))
    ok(f"calendar {target} registered (cached: {registered['cached']}) and synced its {BULK} objects "
       f"(sync-collection, then calendar-multiget in batches of {batches}): " + summary(first_sync))

    # 3. An event.
    created = run.call("createEvent", "Caldera: planning", ical(day[0], 10), ical(day[0], 11),
                       {"location": "Room 1", "alarmMinutes": 15})
    href, etag, comps = run.server_one("VEVENT", "Caldera: planning")
    ev = comps[0]
    check(str(ev["UID"]) == created["id"], "create event", f"UID on the server {ev['UID']} is not Thunderbird's {created['id']}")
    check(dt_local(ev["DTSTART"]) == (TZ, datetime.datetime.combine(day[0], datetime.time(10))), "create event",
          f"DTSTART on the server is {ev['DTSTART'].to_ical()!r} {ev['DTSTART'].params}")
    check(str(ev.get("LOCATION")) == "Room 1", "create event", f"LOCATION on the server is {ev.get('LOCATION')!r}")
    alarms = [c for c in ev.subcomponents if c.name == "VALARM"]
    check(len(alarms) == 1 and alarms[0]["TRIGGER"].to_ical() == b"-PT15M", "create event",
          f"the reminder is not on the server as a VALARM TRIGGER:-PT15M: {[a.to_ical() for a in alarms]}")
    check(str(ev.get("TRANSP")) == "OPAQUE", "create event", f"TRANSP on the server is {ev.get('TRANSP')!r}")
    planning_href = href
    ok(f"event created in Thunderbird is on the server: {href} (DTSTART;TZID={TZ}, LOCATION, VALARM -PT15M, TRANSP)")

    # An all-day event: DATE values, shown as free by Thunderbird's default (TRANSP:TRANSPARENT).
    run.call("createEvent", "Caldera: offsite", day[3].strftime("%Y%m%d"), day[4].strftime("%Y%m%d"), {"allDay": True})
    _, _, comps = run.server_one("VEVENT", "Caldera: offsite")
    check(comps[0]["DTSTART"].dt == day[3] and comps[0]["DTEND"].dt == day[4], "all-day event",
          f"DTSTART/DTEND on the server are {comps[0]['DTSTART'].to_ical()!r}/{comps[0]['DTEND'].to_ical()!r}")
    check(str(comps[0].get("TRANSP")) == "TRANSPARENT", "all-day event", f"TRANSP is {comps[0].get('TRANSP')!r}")
    ok(f"all-day event on the server: DTSTART;VALUE=DATE:{comps[0]['DTSTART'].to_ical().decode()}, TRANSP:TRANSPARENT")

    # A meeting: alice organizes, an outside attendee is invited (the server schedules it; Thunderbird sends nothing
    # itself when the server announces calendar-auto-schedule).
    # With scheduling Thunderbird takes the organizer from the principal's calendar-user-address-set; without, the
    # dialog would take the calendar's mail identity, which this profile has not: then a made-up address stands in.
    own_address = dav.user_address(principal) if dav.outbox(principal) else None
    run.call("createEvent", "Caldera: review with Bob", ical(day[4], 15), ical(day[4], 16),
             {"attendees": ["mailto:bob@example.com"], "organizer": None if own_address else f"mailto:{args.user}@example.com"})
    _, _, comps = run.server_one("VEVENT", "Caldera: review with Bob")
    if own_address:
        check(str(comps[0].get("ORGANIZER", "")).lower() == own_address.lower(), "meeting",
              f"ORGANIZER on the server is {comps[0].get('ORGANIZER')!r}, the principal's address is {own_address}")
    attendees = comps[0].get("ATTENDEE")
    attendees = attendees if isinstance(attendees, list) else [attendees] if attendees else []
    check(any(str(a).lower() == "mailto:bob@example.com" for a in attendees), "meeting",
          f"the attendee is not on the server: {[a.to_ical() for a in attendees]}")
    print(f"  meeting as stored: ORGANIZER {comps[0].get('ORGANIZER')} {dict(comps[0]['ORGANIZER'].params) if 'ORGANIZER' in comps[0] else ''}; "
          + "; ".join(f"ATTENDEE {a} {dict(a.params)}" for a in attendees))
    ok("meeting with an outside attendee is on the server")

    # 4. A recurring event, then one occurrence moved and another deleted.
    run.call("createEvent", "Caldera: standup", ical(day[0], 9), ical(day[0], 9, 15), {"rrule": "RRULE:FREQ=DAILY;COUNT=5"})
    href, _, comps = run.server_one("VEVENT", "Caldera: standup")
    rrule = comps[0]["RRULE"]
    check(rrule.get("FREQ") == ["DAILY"] and rrule.get("COUNT") == [5], "recurring event", f"RRULE on the server is {rrule.to_ical()!r}")
    standup_href = href
    ok(f"recurring event on the server: RRULE {rrule.to_ical().decode()}")

    moved = run.call("moveOccurrence", "Caldera: standup", ical(day[2], 9), ical(day[2], 14), ical(day[2], 14, 15),
                     "Caldera: standup (moved)")
    check(len(moved["exceptions"]) == 1, "moved occurrence", f"Thunderbird's item has exceptions {moved['exceptions']}")
    href, _, comps = run.server_one("VEVENT", "Caldera: standup")
    check(href == standup_href, "moved occurrence", f"the series moved from {standup_href} to {href}")
    overrides = [c for c in comps if "RECURRENCE-ID" in c]
    check(len(overrides) == 1, "moved occurrence", f"expected one override on the server, found {len(overrides)}")
    o = overrides[0]
    check(dt_local(o["RECURRENCE-ID"]) == (TZ, datetime.datetime.combine(day[2], datetime.time(9))), "moved occurrence",
          f"RECURRENCE-ID is {o['RECURRENCE-ID'].to_ical()!r} {o['RECURRENCE-ID'].params}")
    check(dt_local(o["DTSTART"])[1] == datetime.datetime.combine(day[2], datetime.time(14)), "moved occurrence",
          f"the override starts at {o['DTSTART'].to_ical()!r}")
    check(str(o["SUMMARY"]) == "Caldera: standup (moved)", "moved occurrence", f"override SUMMARY {o['SUMMARY']!r}")
    ok(f"moved occurrence on the server: RECURRENCE-ID {o['RECURRENCE-ID'].to_ical().decode()} -> "
       f"DTSTART {o['DTSTART'].to_ical().decode()} in the same resource")

    run.call("deleteOccurrence", "Caldera: standup", ical(day[3], 9))
    _, _, comps = run.server_one("VEVENT", "Caldera: standup")
    master = next(c for c in comps if "RECURRENCE-ID" not in c)
    exdates = exdate_values(master)
    check(datetime.datetime.combine(day[3], datetime.time(9)) in exdates, "deleted occurrence",
          f"no EXDATE for {day[3]} 09:00 on the server: {exdates}")
    check(len([c for c in comps if "RECURRENCE-ID" in c]) == 1, "deleted occurrence", "the moved occurrence was lost")
    ok(f"deleted occurrence on the server: EXDATE {day[3]} 09:00, the moved one kept")

    # 5. Edit the event.
    run.call("editEvent", "Caldera: planning", "Caldera: planning (edited)", ical(day[0], 11), ical(day[0], 12, 30))
    objects = run.server_objects("VEVENT")
    check("Caldera: planning" not in objects, "edit event", "the old SUMMARY is still on the server")
    href, etag2, comps = run.server_one("VEVENT", "Caldera: planning (edited)")
    check(href == planning_href, "edit event", f"the edit made a new resource {href} instead of changing {planning_href}")
    check(etag2 != etag, "edit event", "the ETag did not change")
    check(dt_local(comps[0]["DTSTART"])[1] == datetime.datetime.combine(day[0], datetime.time(11)), "edit event",
          f"DTSTART on the server is {comps[0]['DTSTART'].to_ical()!r}")
    ok("edited event on the server: new SUMMARY and time, same resource, new ETag")

    # 6. Delete an event.
    run.call("createEvent", "Caldera: doomed", ical(day[1], 16), ical(day[1], 17))
    doomed_href, _, _ = run.server_one("VEVENT", "Caldera: doomed")
    run.call("deleteItem", "Caldera: doomed")
    check("Caldera: doomed" not in run.server_objects("VEVENT"), "delete event", "the event is still listed on the server")
    status = dav.request("GET", doomed_href, expect=(200, 404, 410)).status
    check(status == 404, "delete event", f"GET {doomed_href} still answers {status}")
    check(run.item("Caldera: doomed") is None, "delete event", "Thunderbird still shows it")
    ok(f"deleted event is gone from the server ({doomed_href} answers 404)")

    # 7. A task, then completed.
    run.call("createTask", "Caldera: write report", ical(day[4], 17))
    _, _, comps = run.server_one("VTODO", "Caldera: write report")
    todo = comps[0]
    check(dt_local(todo["DUE"])[1] == datetime.datetime.combine(day[4], datetime.time(17)), "create task",
          f"DUE on the server is {todo.get('DUE') and todo['DUE'].to_ical()!r}")
    check(str(todo.get("STATUS", "")) != "COMPLETED" and "COMPLETED" not in todo, "create task", "the new task is already completed")
    ok(f"task on the server: VTODO DUE {todo['DUE'].to_ical().decode()}")
    done = run.call("completeTask", "Caldera: write report")
    check(done["completed"] and done["percent"] == 100, "complete task", f"Thunderbird's task is {done}")
    _, _, comps = run.server_one("VTODO", "Caldera: write report")
    todo = comps[0]
    check(str(todo.get("STATUS")) == "COMPLETED", "complete task", f"STATUS on the server is {todo.get('STATUS')!r}")
    check("COMPLETED" in todo, "complete task", "no COMPLETED date on the server")
    check(int(todo.get("PERCENT-COMPLETE", 0)) == 100, "complete task", f"PERCENT-COMPLETE is {todo.get('PERCENT-COMPLETE')!r}")
    ok(f"completed task on the server: STATUS:COMPLETED, COMPLETED {todo['COMPLETED'].to_ical().decode()}, PERCENT-COMPLETE:100")
    crud = run.requests()

    # 8. Two-way: changes made over CalDAV show in Thunderbird after its refresh.
    uid = str(uuid.uuid4())
    remote_href = target + uid + ".ics"
    remote = lambda title: (  # noqa: E731
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Caldera tests//thunderbird scenario//EN\r\nBEGIN:VEVENT\r\n"
        f"UID:{uid}\r\nDTSTAMP:20260101T000000Z\r\nDTSTART:{ical(day[1], 12)}Z\r\nDTEND:{ical(day[1], 13)}Z\r\n"
        f"SUMMARY:{title}\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n")
    etag = dav.put(remote_href, remote("Caldera: from the server"))
    run.wait_in_thunderbird("event created over CalDAV", lambda items: any(i["title"] == "Caldera: from the server" for i in items))
    ok("event created over CalDAV shows in Thunderbird after its refresh")

    dav.put(remote_href, remote("Caldera: from the server (changed)"), etag)
    items = run.wait_in_thunderbird("event changed over CalDAV",
                                    lambda items: any(i["title"] == "Caldera: from the server (changed)" for i in items))
    check(not any(i["title"] == "Caldera: from the server" for i in items), "two-way change", "Thunderbird kept the old version too")
    ok("event changed over CalDAV shows changed in Thunderbird")

    # A change over CalDAV to an event Thunderbird made: Thunderbird must take the new version (and its ETag),
    # so its own next edit of it succeeds instead of conflicting.
    _, etag, comps = run.server_one("VEVENT", "Caldera: planning (edited)")
    status, _, body = dav.request("GET", planning_href)
    changed = body.decode().replace("SUMMARY:Caldera: planning (edited)", "SUMMARY:Caldera: planning (renamed on server)")
    check(changed != body.decode(), "two-way change", "could not find the SUMMARY line to change")
    dav.put(planning_href, changed, etag)
    run.wait_in_thunderbird("Thunderbird's event changed over CalDAV",
                            lambda items: any(i["title"] == "Caldera: planning (renamed on server)" for i in items))
    run.call("editEvent", "Caldera: planning (renamed on server)", "Caldera: planning", None, None)
    run.server_one("VEVENT", "Caldera: planning")
    ok("Thunderbird took a server-side change to its own event and edited it again on top (If-Match the new ETag)")

    dav.delete(remote_href)
    run.wait_in_thunderbird("event deleted over CalDAV",
                            lambda items: not any(i["title"].startswith("Caldera: from the server") for i in items))
    ok("event deleted over CalDAV is gone from Thunderbird after its refresh")
    two_way = run.requests()

    # Thunderbird's view of everything, against the server's.
    tb = {i["title"]: i for i in run.items() if i["title"].startswith("Caldera:")}
    server = {**run.server_objects("VEVENT"), **run.server_objects("VTODO")}
    check(set(tb) == set(server), "final state", f"Thunderbird shows {sorted(tb)}, the server has {sorted(server)}")
    standup = tb["Caldera: standup"]
    check(len(standup["exdates"]) == 1 and len(standup["exceptions"]) == 1, "final state",
          f"Thunderbird's series lost its exceptions: {standup}")
    ok(f"Thunderbird and the server agree: {sorted(tb)}")

    # 9. Free/busy as the attendee dialog's availability grid asks it: a POST to the outbox, which Thunderbird
    #    uses because the server announces calendar-auto-schedule and the principal has an outbox.
    outbox = dav.outbox(principal)
    fb_requests = []
    check(outbox or not args.expect_scheduling, "free/busy", f"{principal} has no schedule-outbox-URL")
    if outbox is None:
        print(f"  (the server gives {principal} no schedule-outbox-URL: Thunderbird cannot ask free/busy; not checked)")
    else:
        address = dav.user_address(principal)
        fb = run.call("freeBusy", address, ical(day[0], 0), ical(day[0] + datetime.timedelta(days=7), 0), STEP_MS)
        busy = sorted((i["start"], i["end"]) for i in fb if i["type"].startswith("BUSY"))
        berlin = zoneinfo.ZoneInfo(TZ)
        utc = lambda d, h, m=0: datetime.datetime.combine(d, datetime.time(h, m), berlin).astimezone(  # noqa: E731
            datetime.timezone.utc).strftime("%Y%m%dT%H%M%SZ")
        expected = sorted([(utc(day[0], 11), utc(day[0], 12, 30))]
                          + [(utc(d, 9), utc(d, 9, 15)) for d in (day[0], day[1], day[4])]
                          + [(utc(day[2], 14), utc(day[2], 14, 15)), (utc(day[4], 15), utc(day[4], 16))])
        fb_requests = run.requests()
        check(any(r["method"] == "POST" and r["status"] == 200 for r in fb_requests), "free/busy",
              "Thunderbird sent no successful POST to the outbox: " + summary(fb_requests))
        check(busy == expected, "free/busy", f"Thunderbird shows busy {busy}, expected {expected} (all intervals: {fb})")
        ok(f"free/busy of {address} in Thunderbird (outbox POST): busy exactly at our {len(busy)} event times, "
           "not at the moved-away or deleted occurrence, not for the task")

    # 10. Thunderbird's error console: nothing about the calendar or the server.
    check_console(run, "console.json")
    check_requests(run, [("discovery", discovery), ("first sync", first_sync), ("create/edit/delete", crud),
                         ("two-way", two_way), ("free/busy", fb_requests)])

    # 11. Quit and start again on the same profile: the calendar comes back from the profile, logs in with the
    #     saved password (no prompt) and catches up incrementally (its stored sync token) with what changed on
    #     the server meanwhile.
    run.quit()
    offsite_href, etag, _ = run.server_one("VEVENT", "Caldera: offsite")
    status, _, body = dav.request("GET", offsite_href)
    dav.put(offsite_href, body.decode().replace("SUMMARY:Caldera: offsite", "SUMMARY:Caldera: offsite (moved online)"), etag)
    task_uid = str(uuid.uuid4())
    dav.put(target + task_uid + ".ics",
            "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Caldera tests//thunderbird scenario//EN\r\nBEGIN:VTODO\r\n"
            f"UID:{task_uid}\r\nDTSTAMP:20260101T000000Z\r\nSUMMARY:Caldera: task from the server\r\n"
            f"DUE:{ical(day[4], 12)}Z\r\nSTATUS:NEEDS-ACTION\r\nEND:VTODO\r\nEND:VCALENDAR\r\n")
    run.start()
    attached = run.call("attach", target_uri, STEP_MS)
    check(attached["windows"] == ["chrome://messenger/content/messenger.xhtml"], "restart",
          f"Thunderbird opened more than its main window (a password prompt?): {attached['windows']}")
    check(not attached["disabled"], "restart", f"the calendar came back disabled: {attached}")
    items = run.wait_in_thunderbird("changes made while Thunderbird was closed", lambda items: {
        "Caldera: offsite (moved online)", "Caldera: task from the server"} <= {i["title"] for i in items})
    check("Caldera: offsite" not in {i["title"] for i in items}, "restart", "Thunderbird kept the old offsite too")
    log = [m["text"] for m in run.call("console")]
    tokens = [t for t in log if "webdav-sync Token:" in t]
    check(tokens and not tokens[0].rstrip().endswith("null"), "restart",
          f"the first sync after the restart did not start from the stored sync token: {tokens[:2]}")
    multigets = [t for t in log if "send (REPORT" in t and "calendar-multiget" in t]
    fetched = multigets[0].count("<D:href>") if multigets else 0
    check(fetched == 2, "restart", f"the catch-up should fetch exactly the 2 changed objects, fetched {fetched}: {multigets[:1]}")
    ok(f"after a restart Thunderbird logged in from its login manager and caught up from its stored token "
       f"({tokens[0].split('Token:')[1].strip()[:60]}), fetching only the 2 objects changed meanwhile")
    restart_requests = run.requests()

    # 12. Screenshots: the week view with our events, the task list.
    titles = run.call("showWeek", ical(day[0], 12), STEP_MS)
    for want in ("Caldera: planning", "Caldera: standup", "Caldera: standup (moved)"):
        check(want in titles, "week view", f"'{want}' is not drawn in the week view: {sorted(set(titles))}")
    check(titles.count("Caldera: standup") == 3, "week view",
          f"the week view should draw 3 plain standups (5 - moved - deleted), draws {titles.count('Caldera: standup')}")
    png = save_png(run, "week-view.png")
    ok(f"week view of {day[0]} draws {sorted(set(titles))}; screenshot {png}")
    tasks = run.call("showTasks", STEP_MS)
    check("Caldera: write report" in tasks, "task list", f"the task list shows {tasks}")
    png = save_png(run, "task-list.png")
    ok(f"task list shows {tasks}; screenshot {png}")

    # 13. Thunderbird's error console of the second session.
    check_console(run, "console-after-restart.json", "after the restart")
    with open(os.path.join(args.artifacts, "requests.txt"), "a") as f:
        f.write("# after the restart (the startup sync ran before Marionette could watch)\n")
        for r in restart_requests + run.requests():
            f.write(line_of(r) + "\n")


def check_console(run, artifact, session="first session"):
    """Thunderbird's error console and the calendar's own log: no calendar/CalDAV error or warning."""
    dav = run.dav
    messages = run.call("console")
    with open(os.path.join(run.args.artifacts, artifact), "w") as f:
        json.dump(messages, f, indent=1)
    host = dav.base.split("/")[2]
    relevant = [m for m in messages if is_calendar_related(m, host)]
    # Only what Thunderbird logged once it had the password counts: the dialog's first, password-less try ends
    # in an authentication failure by design (that is how it learns to ask), and its detectors warn about it.
    errors = [m for m in relevant if m["late"] and m["kind"] in ("error", "warning", "console.error", "console.warn")]
    for m in relevant:
        if m["kind"] not in ("console.debug", "console.log", "console.info"):
            when = "after login" if m["late"] else "password-less try"
            print(f"  console {m['kind']} ({when}): {m['text'][:200]}")
    others = [m for m in messages if not is_calendar_related(m, host) and m["kind"] in ("error", "console.error")]
    for m in others:
        print(f"  console {m['kind']} (not calendar): {m['text'][:160]}")
    scheduling = [m["text"] for m in messages if "schedul" in m["text"].lower() and "CalDAV:" in m["text"]
                  and not any(k in m["text"] for k in ("recv (", "send (", "send:"))]
    for line in scheduling:
        print(f"  console (scheduling): {line[:200]}")
    check(not errors, "error console", "calendar errors or warnings: " + json.dumps(errors)[:1500])
    ok(f"{session}: Thunderbird's console has no calendar/CalDAV error or warning after login ({len(relevant)} calendar-related "
       f"messages, {len(messages)} in all); on scheduling it says: {scheduling[-1][:120] if scheduling else '(nothing)'}")


def check_requests(run, phases):
    """Writes the conversation to requests.txt and checks that every request got an answer below 500."""
    with open(os.path.join(run.args.artifacts, "requests.txt"), "w") as f:
        for title, reqs in phases + [("later", run.requests())]:
            f.write(f"# {title}\n")
            for r in reqs:
                f.write(line_of(r) + "\n")
    ok(f"Thunderbird made {len(run.all_requests)} requests, all answered: "
       + ", ".join(f"{k} {v}" for k, v in count_methods(run.all_requests).items()))
    failed = [r for r in run.all_requests if r["status"] is None or r["status"] >= 500]
    check(not failed, "requests", "unanswered or 5xx: " + summary(failed))


def is_calendar_related(m, host):
    text = (m["text"] + " " + m["source"]).lower()
    return any(k in text for k in ("caldav", "calendar", "/calendar/", host.lower(), "ical"))


def save_png(run, name):
    png = run.m.screenshot_png()
    path = os.path.join(run.args.artifacts, name)
    with open(path, "wb") as f:
        f.write(png)
    check(png[:8] == b"\x89PNG\r\n\x1a\n" and len(png) > 20000, "screenshot", f"{name} is {len(png)} bytes, not a real picture")
    return f"{name} ({len(png) // 1024} KB)"


def exdate_values(component):
    exdates = component.get("EXDATE")
    if exdates is None:
        return []
    out = []
    for prop in exdates if isinstance(exdates, list) else [exdates]:
        for d in prop.dts:
            out.append(d.dt.replace(tzinfo=None) if isinstance(d.dt, datetime.datetime) else d.dt)
    return out


def urlpath(uri):
    return urllib.parse.unquote(urllib.parse.urlsplit(uri).path)


def line_of(r):
    extra = " ".join(x for x in (f"Depth:{r['depth']}" if r["depth"] else "", r["body"] and f"<{r['body']}>",
                                 r.get("cond") or "", r.get("location") and f"-> {r['location']}") if x)
    return f"{r['method']} {r['path']} {extra} => {r['status']}".replace("  ", " ")


def summary(reqs):
    return "; ".join(line_of(r) for r in reqs) or "(no requests)"


def count_methods(reqs):
    out = {}
    for r in reqs:
        key = r["method"] + (f" {r['body']}" if r["method"] == "REPORT" and r["body"] else "")
        out[key] = out.get(key, 0) + 1
    return out


def main():
    def options(parser):
        parser.add_argument("--thunderbird", default="/usr/bin/thunderbird")
        parser.add_argument("--expect-scheduling", action="store_true",
                            help="fail if the principal has no schedule outbox (Caldera always has one)")
    args = scenario_kit.arguments("thunderbird", __doc__, extra=options)
    # A runner's timeout sends SIGTERM: leave through `finally`, which ends Thunderbird and removes the profile.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    tmp = tempfile.mkdtemp(prefix="caldera-thunderbird-")
    run = Run(args, tmp)
    started = time.monotonic()
    code = 0
    try:
        scenario(run)
        ok(f"thunderbird scenario done in {time.monotonic() - started:.1f} s")
    except (ScenarioFailure, MarionetteError) as e:
        print(f"FAIL {e}", flush=True)
        code = 1
    except Exception as e:  # a bug in the script still reports as a failure, with its trace
        import traceback
        traceback.print_exc()
        print(f"FAIL unexpected {type(e).__name__}: {e}", flush=True)
        code = 1
    finally:
        if code and run.m is not None:
            try:
                with open(os.path.join(args.artifacts, "requests.txt"), "w") as f:
                    for r in run.all_requests + run.requests():
                        f.write(line_of(r) + "\n")
                with open(os.path.join(args.artifacts, "console.json"), "w") as f:
                    json.dump(run.call("console"), f, indent=1)
                save_png(run, "failure.png")
            except Exception as e:  # best effort: the failure itself is already reported
                print(f"  (could not save failure artifacts: {e})")
        run.stop()
        shutil.rmtree(tmp, ignore_errors=True)
    return code


if __name__ == "__main__":
    sys.exit(main())

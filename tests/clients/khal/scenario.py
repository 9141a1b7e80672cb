#!/usr/bin/python3
"""khal (Debian's 0.10) over vdirsyncer (0.19) against a CalDAV server.

Usage: scenario.py URL USER PASSWORD --artifacts DIR

What khal adds on top of tests/conformance/vdirsyncer_scenario.py (which tests vdirsyncer's
two-way sync alone): the calendar as a user of khal sees it. In a temporary HOME/XDG tree:
1. a calendar made on the server (MKCALENDAR, with a display name) holds a single event, a daily
   recurring event with one deleted (EXDATE) and one moved (RECURRENCE-ID) instance, and an
   all-day event, all in Europe/Berlin, plus a weekly event begun before vdirsyncer's sync window
   and one after it; a calendar that exists only locally holds a weekly event with a reminder made
   with `khal new`;
2. `vdirsyncer discover` (collections = ["from a", "from b"]) finds the server's calendars from the
   base URL and creates the local-only one on the server (MKCOL); `sync` (with a start_date/end_date
   window, so time-range queries) + `metasync` fetch the events in the window and the display name,
   which khal uses as the calendar's name (and the local calendar's display name and colour go to
   the server, the server's colour comes back); the server holds khal's event with its RRULE and VALARM
   and its time-range queries find the weekly instances on the days khal shows them;
3. `khal list` for the week shows every instance on its day, not the deleted one, the moved one
   at its new time, the all-day event on its day; the local event arrived on the server;
4. `khal new` (location, description) -> sync -> the server holds it with those fields;
5. `khal edit` (driven through its prompts) renames and relocates it and deletes the single
   event -> sync -> the server has the new fields (SEQUENCE raised) and no longer the deleted one;
6. the server changes the recurring event and deletes the all-day one -> sync -> `khal list`
   shows the change.
Each step prints `ok <step>`; a failure prints `FAIL <step>: <why>` and exits 1. vdirsyncer's HTTP
requests are logged to DIR/vdirsyncer-requests.log, khal's output to DIR/khal.log. The temporary
tree and both server calendars are removed in all cases.
"""

import datetime as dt
import os
import re
import subprocess
import sys
import uuid
from urllib.parse import urlparse

import icalendar

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "common"))
from caldav_http import CalDAV  # noqa: E402
from ical_text import stamp, vcalendar, vevent  # noqa: E402
from scenario_kit import ScenarioFailure, check, main  # noqa: E402

RUN = uuid.uuid4().hex[:10]
SERVER_CAL = "khal-srv-%s" % RUN          # made on the server, discovered by vdirsyncer ("from b")
SERVER_NAME = "Caldera khal %s" % RUN     # its display name, khal's name for it after metasync
LOCAL_CAL = "khal-loc-%s" % RUN           # made locally, created on the server by vdirsyncer ("from a")
LOCAL_NAME = "Local khal %s" % RUN        # its display name, set locally, sent to the server by metasync
SERVER_COLOR, LOCAL_COLOR = "#3366CC", "#FF8800"   # calendar colours, metasynced the other way round
TZ = "Europe/Berlin"
LIST_FORMAT = "{start-time}-{end-time} {title} [{location}] <{calendar}>"


def calendar(*vevents):
    return vcalendar("khal", *vevents, tzid=TZ)


def server_events(server, collection):
    """{uid: (href, etag, VCALENDAR)} of every object; each must hold one UID."""
    result = {}
    for href, (etag, cal) in server.objects_by_get(collection, icalendar.Calendar.from_ical).items():
        uids = {str(c["UID"]) for c in cal.walk() if c.name in ("VEVENT", "VTODO")}
        check(len(uids) == 1, "%s holds UIDs %s, expected one" % (href, uids))
        result[uids.pop()] = (href, etag, cal)
    return result


def collection_props(server, href):
    """(displayname, calendar-color) of a collection."""
    props = next(iter(server.propfind(href, 0, ["d:displayname", "i:calendar-color"]).values()))
    return props.text("d:displayname"), props.text("i:calendar-color")


def master(cal):
    return next(c for c in cal.walk("VEVENT") if "RECURRENCE-ID" not in c)


REQUEST_LINE = re.compile(r"^debug: (GET|PUT|DELETE|PROPFIND|PROPPATCH|REPORT|MKCOL|MKCALENDAR|OPTIONS) (http\S+)$")


def describe_request(match, following):
    """"METHOD /path Depth body-element" from vdirsyncer's debug lines (request, headers, body);
    its answers come back interleaved (it sends requests concurrently), so they are left out."""
    method, path = match.group(1), urlparse(match.group(2)).path
    headers, body = (following + ["", ""])[:2]
    depth = re.search(r"'Depth': '([^']*)'", headers)
    element = re.search(r"<(?:\w+:)?([\w-]+)[\s>]", body.split("?>", 1)[-1]) if body.startswith("debug: b'") else None
    conditions = re.findall(r"'(If-Match|If-None-Match)'", headers)
    return " ".join(x for x in [method, path, depth and "Depth:" + depth.group(1),
                                element and element.group(1)] + conditions if x)


class Tools:
    """Runs vdirsyncer and khal in the temporary tree, logging everything to the artifacts."""

    def __init__(self, root, artifacts, base_url, user, password):
        self.root = root
        self.vdir = os.path.join(root, "calendars")
        self.env = dict(os.environ, HOME=root, TZ=TZ, LANG="C.UTF-8", LC_ALL="C.UTF-8", COLUMNS="200",
                        XDG_CONFIG_HOME=os.path.join(root, "config"),
                        XDG_DATA_HOME=os.path.join(root, "data"), XDG_CACHE_HOME=os.path.join(root, "cache"))
        self.requests_log = open(os.path.join(artifacts, "vdirsyncer-requests.log"), "w", encoding="utf-8")
        self.khal_log = open(os.path.join(artifacts, "khal.log"), "w", encoding="utf-8")
        for sub in ("config/vdirsyncer", "config/khal", "data", "status", "calendars"):
            os.makedirs(os.path.join(root, sub), exist_ok=True)
        self.vconfig = os.path.join(root, "config/vdirsyncer/config")
        with open(self.vconfig, "w", encoding="utf-8") as f:
            f.write('[general]\nstatus_path = "%s/status/"\n\n'
                    '[pair caldera]\na = "caldera_local"\nb = "caldera_remote"\n'
                    'collections = ["from a", "from b"]\nmetadata = ["displayname", "color"]\n'
                    'conflict_resolution = "b wins"\n\n'
                    '[storage caldera_local]\ntype = "filesystem"\npath = "%s/"\nfileext = ".ics"\n\n'
                    '[storage caldera_remote]\ntype = "caldav"\nurl = "%s"\nusername = "%s"\npassword = "%s"\n'
                    # a sync window, as khal users often set: vdirsyncer then lists with time-range queries
                    'start_date = "datetime.now() - timedelta(days=30)"\n'
                    'end_date = "datetime.now() + timedelta(days=365)"\n'
                    % (root, self.vdir, base_url, user, password))
        os.chmod(self.vconfig, 0o600)
        with open(os.path.join(root, "config/khal/config"), "w", encoding="utf-8") as f:
            f.write("[calendars]\n[[caldera]]\npath = %s/*\ntype = discover\n\n"
                    "[locale]\nlocal_timezone = %s\ndefault_timezone = %s\ntimeformat = %%H:%%M\n"
                    "dateformat = %%Y-%%m-%%d\nlongdateformat = %%Y-%%m-%%d\n"
                    "datetimeformat = %%Y-%%m-%%d %%H:%%M\nlongdatetimeformat = %%Y-%%m-%%d %%H:%%M\n"
                    "firstweekday = 0\n" % (self.vdir, TZ, TZ))

    def close(self):
        self.requests_log.close()
        self.khal_log.close()

    def vdirsyncer(self, *args, answers=""):
        p = subprocess.run(["vdirsyncer", "-v", "DEBUG", "-c", self.vconfig] + list(args), env=self.env,
                           input=answers, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                           timeout=180)
        lines = p.stdout.splitlines()
        self.requests_log.write("### vdirsyncer %s (exit %d)\n" % (" ".join(args), p.returncode))
        normal = []
        for i, line in enumerate(lines):
            request = REQUEST_LINE.match(line)
            if request:
                self.requests_log.write(describe_request(request, lines[i + 1:i + 3]) + "\n")
            elif not line.startswith("debug:"):
                normal.append(line)
        self.requests_log.flush()
        out = "\n".join(normal)
        for line in normal:
            print("  | " + line)
        if p.returncode != 0:
            print("\n".join("  | " + ln for ln in lines[-150:]))
            raise ScenarioFailure("`vdirsyncer %s` exited %d" % (" ".join(args), p.returncode))
        return out

    def khal(self, *args, answers=""):
        p = subprocess.run(["khal"] + list(args), env=self.env, input=answers, stdout=subprocess.PIPE,
                           stderr=subprocess.PIPE, text=True, timeout=120)
        self.khal_log.write("$ khal %s\n%s%s(exit %d)\n\n" % (" ".join(args), p.stdout, p.stderr, p.returncode))
        self.khal_log.flush()
        check(p.returncode == 0, "`khal %s` exited %d: %s%s" % (" ".join(args), p.returncode, p.stdout, p.stderr))
        return p.stdout

    def week(self, monday):
        """{date: [line, ...]} for the 7 days from monday, as `khal list` shows them."""
        out = self.khal("list", "--format", LIST_FORMAT, "--day-format", "== {date}",
                        monday.isoformat(), (monday + dt.timedelta(days=6)).isoformat())
        days, current = {}, None
        for line in out.splitlines():
            if line.startswith("== "):
                current = dt.date.fromisoformat(line[3:].strip())
                days[current] = []
            elif line.strip():
                check(current is not None, "khal list printed an event before a day line:\n" + out)
                days[current].append(line.strip())
        return days, out


def local_uids(folder):
    uids = set()
    for name in os.listdir(folder):
        if name.endswith(".ics"):
            with open(os.path.join(folder, name), "rb") as f:
                uids |= {str(c["UID"]) for c in icalendar.Calendar.from_ical(f.read()).walk("VEVENT")}
    return uids


def expect_week(tools, monday, expected, step):
    """expected: {weekday offset: [line, ...]} of this scenario's calendars; the rest must be empty."""
    days, out = tools.week(monday)
    for offset in range(7):
        day = monday + dt.timedelta(days=offset)
        mine = [ln for ln in days.get(day, []) if RUN in ln]
        want = expected.get(offset, [])
        check(mine == want, "%s: khal list on %s shows %s, expected %s\nfull output:\n%s"
              % (step, day, mine, want, out))


def scenario(run):
    server = CalDAV(run.url, run.user, run.password)
    today = dt.datetime.now(dt.timezone.utc).date()
    monday = today + dt.timedelta(days=7 - today.weekday())   # next week's Monday: never in the past
    day = [monday + dt.timedelta(days=i) for i in range(7)]
    uid = {k: "%s-%s@khal.caldera" % (k, RUN) for k in ("single", "daily", "allday", "weekly", "far")}

    run.step = "server-calendar"
    home = server.calendar_home()
    cal_url = home + SERVER_CAL + "/"
    server.mkcalendar(cal_url, SERVER_NAME)
    run.defer("delete " + cal_url, server.request, "DELETE", cal_url, None, None, None)
    server.proppatch(cal_url, {"i:calendar-color": SERVER_COLOR})
    server.put(cal_url + "single.ics", calendar(vevent(
        uid["single"], "Review %s" % RUN, (day[1], "09:00"), (day[1], "10:00"), "LOCATION:Room 1\r\n")))
    server.put(cal_url + "daily.ics", calendar(
        vevent(uid["daily"], "Standup %s" % RUN, (day[0], "08:30"), (day[0], "08:45"),
               "RRULE:FREQ=DAILY;COUNT=5\r\nEXDATE;TZID=%s:%s\r\n" % (TZ, stamp(day[2], "08:30"))),
        vevent(uid["daily"], "Standup moved %s" % RUN, (day[3], "11:00"), (day[3], "11:30"),
               "RECURRENCE-ID;TZID=%s:%s\r\n" % (TZ, stamp(day[3], "08:30")))))
    server.put(cal_url + "allday.ics", calendar(vevent(
        uid["allday"], "Offsite %s" % RUN, day[4], day[5])))
    # a weekly event that began before the sync window (its instances fall inside it) and an
    # event after the window (vdirsyncer's time-range query must leave it out)
    server.put(cal_url + "weekly.ics", calendar(vevent(
        uid["weekly"], "Weekly %s" % RUN, (day[0] - dt.timedelta(days=70), "10:00"),
        (day[0] - dt.timedelta(days=70), "10:30"), "RRULE:FREQ=WEEKLY\r\n")))
    far = day[0] + dt.timedelta(days=3 * 365)
    server.put(cal_url + "far.ics", calendar(vevent(uid["far"], "Far %s" % RUN, (far, "09:00"), (far, "10:00"))))
    check(len(server_events(server, cal_url)) == 5, "the server calendar does not hold the 5 events")
    run.ok()

    run.step = "khal-new-in-local-only-calendar"
    tools = Tools(run.root, run.artifacts, run.url, run.user, run.password)
    run.defer("close the logs", tools.close)
    os.makedirs(os.path.join(tools.vdir, LOCAL_CAL))
    for name, value in (("displayname", LOCAL_NAME), ("color", LOCAL_COLOR)):
        with open(os.path.join(tools.vdir, LOCAL_CAL, name), "w", encoding="utf-8") as f:
            f.write(value)
    # weekly for three weeks (khal's --until is the start of that day), a reminder 10 minutes before
    tools.khal("new", "-a", LOCAL_NAME, "-l", "Lab", "-r", "weekly", "-u", (day[2] + dt.timedelta(days=15)).isoformat(),
               "-m", "10m", day[2].isoformat(), "16:00", "17:00", "Kickoff %s :: made before the first sync" % RUN)
    local_files = [n for n in os.listdir(os.path.join(tools.vdir, LOCAL_CAL)) if n.endswith(".ics")]
    check(len(local_files) == 1, "khal new wrote %s into the local calendar" % local_files)
    run.ok()

    run.step = "vdirsyncer-discover"
    out = tools.vdirsyncer("discover", answers="y\n" * 200)  # create every missing calendar on either side
    check(SERVER_CAL in out, "discover did not list the server calendar %s" % SERVER_CAL)
    check(LOCAL_CAL in out, "discover did not list the local calendar %s" % LOCAL_CAL)
    local_cal_url = home + LOCAL_CAL + "/"
    run.defer("delete " + local_cal_url, server.request, "DELETE", local_cal_url, None, None, None)
    check(server.is_calendar(local_cal_url),
          "vdirsyncer did not create %s on the server as a calendar (MKCOL)" % local_cal_url)
    run.ok()

    run.step = "first-sync"
    tools.vdirsyncer("sync")
    tools.vdirsyncer("metasync")
    synced = local_uids(os.path.join(tools.vdir, SERVER_CAL))
    want = {uid[k] for k in ("single", "daily", "allday", "weekly")}
    check(synced == want, "the sync window fetched %s, expected %s (not the event after the window)"
          % (sorted(synced), sorted(want)))
    names = tools.khal("printcalendars").splitlines()
    check(SERVER_NAME in names, "khal's calendars %s lack the server's display name %r" % (names, SERVER_NAME))
    check(LOCAL_NAME in names, "khal's calendars %s lack %s" % (names, LOCAL_NAME))
    props = collection_props(server, local_cal_url)
    check(props == (LOCAL_NAME, LOCAL_COLOR), "metasync gave the local-only calendar (displayname, colour) %s "
          "on the server, expected %s" % (props, (LOCAL_NAME, LOCAL_COLOR)))
    with open(os.path.join(tools.vdir, SERVER_CAL, "color"), encoding="utf-8") as f:
        color = f.read().strip()
    check(color.upper().startswith(SERVER_COLOR), "metasync wrote colour %r for the server calendar" % color)
    pushed = server_events(server, local_cal_url)
    check(len(pushed) == 1, "the local-only calendar holds %d events on the server" % len(pushed))
    kickoff_href, _, kickoff = next(iter(pushed.values()))
    ev = master(kickoff)
    check(str(ev["SUMMARY"]) == "Kickoff %s" % RUN and str(ev["LOCATION"]) == "Lab"
          and str(ev["DESCRIPTION"]) == "made before the first sync",
          "the server got %r / %r / %r" % (ev.get("SUMMARY"), ev.get("LOCATION"), ev.get("DESCRIPTION")))
    check(ev["RRULE"]["FREQ"] == ["WEEKLY"], "the server got RRULE %r" % ev.get("RRULE"))
    alarms = [a for a in ev.walk("VALARM")]
    check(len(alarms) == 1 and alarms[0].decoded("TRIGGER") == -dt.timedelta(minutes=10),
          "the server got alarms %s" % [a.to_ical() for a in alarms])
    # the server expands khal's recurrence (UNTIL in UTC) as khal itself does
    for weeks, expected in ((0, True), (1, True), (2, True), (3, False)):
        when = day[2] + dt.timedelta(days=7 * weeks)
        in_khal = "Kickoff %s" % RUN in tools.khal("list", "--format", LIST_FORMAT, when.isoformat(), "1d")
        on_server = kickoff_href in server.query_day(local_cal_url, when)
        check(in_khal == expected and on_server == expected, "the weekly Kickoff on %s: khal %s it, a "
              "time-range query on the server %s it (expected: %s)" % (
                  when, "shows" if in_khal else "does not show", "finds" if on_server else "does not find",
                  "there" if expected else "not there"))
    run.ok()

    srv, loc = "<%s>" % SERVER_NAME, "<%s>" % LOCAL_NAME
    run.step = "khal-list-week"
    standup = "08:30-08:45 Standup %s [] %s" % (RUN, srv)
    weekly = "10:00-10:30 Weekly %s [] %s" % (RUN, srv)
    expect_week(tools, monday, {
        0: [standup, weekly],
        1: [standup, "09:00-10:00 Review %s [Room 1] %s" % (RUN, srv)],
        2: ["16:00-17:00 Kickoff %s [Lab] %s" % (RUN, loc)],
        3: ["11:00-11:30 Standup moved %s [] %s" % (RUN, srv)],
        4: ["- Offsite %s [] %s" % (RUN, srv), standup],
    }, run.step)
    run.ok()

    run.step = "khal-new-synced-to-server"
    tools.khal("new", "-a", SERVER_NAME, "-l", "Room 4", day[2].isoformat(), "14:00", "15:00",
               "Planning %s :: Agenda: budget, hiring" % RUN)
    tools.vdirsyncer("sync")
    events = server_events(server, cal_url)
    new_uids = set(events) - set(uid.values())
    check(len(new_uids) == 1, "after khal new + sync the server calendar holds %s" % sorted(events))
    planning_uid = new_uids.pop()
    ev = master(events[planning_uid][2])
    check(str(ev["SUMMARY"]) == "Planning %s" % RUN, "SUMMARY on the server: %r" % ev.get("SUMMARY"))
    check(str(ev["LOCATION"]) == "Room 4", "LOCATION on the server: %r" % ev.get("LOCATION"))
    check(str(ev["DESCRIPTION"]) == "Agenda: budget, hiring",
          "DESCRIPTION on the server: %r" % ev.get("DESCRIPTION"))
    start, end = ev.decoded("DTSTART"), ev.decoded("DTEND")
    check(str(ev["DTSTART"].params.get("TZID")) == TZ and start.replace(tzinfo=None) ==
          dt.datetime.combine(day[2], dt.time(14, 0)) and end - start == dt.timedelta(hours=1),
          "DTSTART/DTEND on the server: %s %s (%s)" % (start, end, ev["DTSTART"].params))
    run.ok()

    run.step = "khal-edit-and-delete-synced"
    # khal 0.10's edit is prompt-driven: [s]ummary, [l]ocation, [q]uit / [D]elete + confirm
    tools.khal("edit", "--show-past", "Planning %s" % RUN,
               answers="s\nPlanning v2 %s\nl\nRoom 5\nq\n" % RUN)
    tools.khal("edit", "--show-past", "Review %s" % RUN, answers="D\ny\n")
    tools.vdirsyncer("sync")
    events = server_events(server, cal_url)
    check(uid["single"] not in events, "the event deleted in khal is still on the server")
    check(planning_uid in events, "the edited event is gone from the server")
    ev = master(events[planning_uid][2])
    check(str(ev["SUMMARY"]) == "Planning v2 %s" % RUN and str(ev["LOCATION"]) == "Room 5",
          "after khal edit the server has %r at %r" % (ev.get("SUMMARY"), ev.get("LOCATION")))
    check(int(ev.get("SEQUENCE", 0)) >= 1, "khal raised SEQUENCE but the server has %r" % ev.get("SEQUENCE"))
    check(str(ev["DESCRIPTION"]) == "Agenda: budget, hiring", "the edit lost the DESCRIPTION")
    run.ok()

    run.step = "server-change-shown-in-khal"
    href, etag, _ = events[uid["daily"]]
    server.put(href, calendar(
        vevent(uid["daily"], "Standup %s" % RUN, (day[0], "08:30"), (day[0], "08:45"),
               "RRULE:FREQ=DAILY;COUNT=5\r\nEXDATE;TZID=%s:%s\r\nEXDATE;TZID=%s:%s\r\nSEQUENCE:1\r\n"
               % (TZ, stamp(day[2], "08:30"), TZ, stamp(day[4], "08:30"))),
        vevent(uid["daily"], "Standup moved again %s" % RUN, (day[3], "12:00"), (day[3], "12:15"),
               "RECURRENCE-ID;TZID=%s:%s\r\nSEQUENCE:1\r\n" % (TZ, stamp(day[3], "08:30")))), etag)
    href, etag, _ = events[uid["allday"]]
    server.delete(href, etag)
    tools.vdirsyncer("sync")
    expect_week(tools, monday, {
        0: [standup, weekly],
        1: [standup],
        2: ["14:00-15:00 Planning v2 %s [Room 5] %s" % (RUN, srv), "16:00-17:00 Kickoff %s [Lab] %s" % (RUN, loc)],
        3: ["12:00-12:15 Standup moved again %s [] %s" % (RUN, srv)],
    }, run.step)
    run.ok()


if __name__ == "__main__":
    sys.exit(main("khal", scenario, __doc__, run_id=RUN))

#!/usr/bin/python3
"""calcurse (Debian's 4.7) and its calcurse-caldav against a CalDAV server.

Usage: scenario.py URL USER PASSWORD --artifacts DIR

In a temporary HOME/XDG tree with its own calcurse data directory (-D) and calcurse-caldav
config, lock file, sync database and hook directory:
1. a calendar made on the server (found through the principal's calendar-home-set) holds a
   single event (Europe/Berlin), an event in America/New_York, a daily recurring event with an
   UNTIL and one EXDATE, an all-day event and a task;
2. `calcurse-caldav --init=keep-remote` imports them: `calcurse -Q` shows each on its day in
   local time (the New York one moved to Berlin time), the excluded day empty; `calcurse -G`
   lists the task with its priority;
3. an appointment, a recurring appointment (UNTIL, EXDATE) and a task imported into calcurse
   (`calcurse -i`) go to the server on the next sync, with their summary, time, duration,
   description and priority; the server's time-range queries expand calcurse's floating-time
   recurrence on the right days;
4. the server moves and renames the single event, deletes the all-day event and completes the
   task -> sync -> calcurse shows the new time and name, no longer the all-day event, the task done;
5. calcurse completes its task (its todo file changed as calcurse itself writes it: priority
   negated) and purges its appointment (`calcurse -P`) -> sync -> the server has the task
   completed and no longer the appointment;
6. one more sync changes nothing on either side (the server's ETags stay what it said on PUT).
Each step prints `ok <step>`; a failure prints `FAIL <step>: <why>` and exits 1. calcurse-caldav's
requests are in DIR/calcurse-caldav-requests.log, its debug output in DIR/calcurse-caldav.log.
The temporary tree and the server calendar are removed in all cases.
"""

import datetime as dt
import os
import re
import shutil
import subprocess
import sys
import uuid
from urllib.parse import urlparse
from zoneinfo import ZoneInfo

import icalendar

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "common"))
from caldav_http import CalDAV  # noqa: E402
from ical_text import stamp, vcalendar, vevent  # noqa: E402
from scenario_kit import check, main  # noqa: E402

RUN = uuid.uuid4().hex[:10]
CAL_ID = "calcurse-%s" % RUN
TZ = "Europe/Berlin"
CALCURSE_CALDAV = "/usr/bin/calcurse-caldav"
# its shebang is `/usr/bin/env python3`; Debian's python holds the httplib2 it imports
PYTHON = "/usr/bin/python3"


def utc(day, hhmm, tzid=TZ):
    """The UTC stamp of a local time in tzid (RRULE's UNTIL must be in UTC when DTSTART has a TZID)."""
    local = dt.datetime.combine(day, dt.time.fromisoformat(hhmm), tzinfo=ZoneInfo(tzid))
    return local.astimezone(dt.timezone.utc).strftime("%Y%m%dT%H%M%SZ")


def berlin_time(day, hhmm, tzid):
    """HH:MM in Berlin of a local time in tzid (what calcurse, running in Berlin, shows)."""
    local = dt.datetime.combine(day, dt.time.fromisoformat(hhmm), tzinfo=ZoneInfo(tzid))
    return local.astimezone(ZoneInfo(TZ)).strftime("%H:%M")


def calendar(body, tzid=None):
    return vcalendar("calcurse", body, tzid=tzid)


def vtodo(uid, summary, priority, extra=""):
    return ("BEGIN:VTODO\r\nUID:%s\r\nDTSTAMP:20260101T000000Z\r\nSUMMARY:%s\r\nPRIORITY:%d\r\n%sEND:VTODO\r\n"
            % (uid, summary, priority, extra))


def by_summary(server, collection):
    """{SUMMARY: (href, etag, component)} of every VEVENT and VTODO; each summary once."""
    found = {}
    for href, (etag, cal) in server.objects_by_get(collection, icalendar.Calendar.from_ical).items():
        for comp in cal.walk():
            if comp.name in ("VEVENT", "VTODO"):
                summary = str(comp.get("SUMMARY"))
                check(summary not in found, "the server holds %r twice" % summary)
                found[summary] = (href, etag, comp)
    return found


class Calcurse:
    """calcurse and calcurse-caldav in the temporary tree; their output goes to the artifacts."""

    def __init__(self, root, artifacts, calendar_url, user, password):
        self.data = os.path.join(root, "calcurse")
        self.env = dict(os.environ, HOME=root, TZ=TZ, LANG="C.UTF-8", LC_ALL="C.UTF-8",
                        XDG_CONFIG_HOME=os.path.join(root, "config"), XDG_DATA_HOME=os.path.join(root, "data"),
                        CALCURSE_CALDAV_PASSWORD=password)
        self.sync_dir = os.path.join(root, "caldav")
        os.makedirs(os.path.join(self.sync_dir, "hooks"))
        os.makedirs(self.data)
        url = urlparse(calendar_url)
        check(url.scheme in ("http", "https"), "unexpected calendar URL %s" % calendar_url)
        self.config = os.path.join(self.sync_dir, "config")
        with open(self.config, "w", encoding="utf-8") as f:
            f.write("[General]\nBinary = %s\nHostname = %s\nPath = %s\nAuthMethod = basic\nHTTPS = %s\n"
                    "DryRun = No\nSyncFilter = cal,todo\nVerbose = Yes\n\n[Auth]\nUsername = %s\n"
                    % (shutil.which("calcurse") or "/usr/bin/calcurse", url.netloc, url.path,
                       "Yes" if url.scheme == "https" else "No", user))
        self.debug_log = open(os.path.join(artifacts, "calcurse-caldav.log"), "w", encoding="utf-8")
        self.requests_log = open(os.path.join(artifacts, "calcurse-caldav-requests.log"), "w", encoding="utf-8")

    def close(self):
        self.debug_log.close()
        self.requests_log.close()

    def run(self, *args, stdin=None):
        p = subprocess.run(["calcurse", "-D", self.data] + list(args), env=self.env, input=stdin,
                           stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, timeout=60)
        check(p.returncode == 0, "`calcurse %s` exited %d: %s" % (" ".join(args), p.returncode, p.stdout))
        return p.stdout

    def sync(self, *args):
        """Runs calcurse-caldav; returns (imported, removed locally, exported, removed remotely)."""
        cmd = [PYTHON, CALCURSE_CALDAV, "--config", self.config, "--datadir", self.data,
               "--lockfile", os.path.join(self.sync_dir, "lock"), "--syncdb", os.path.join(self.sync_dir, "sync.db"),
               "--hookdir", os.path.join(self.sync_dir, "hooks"), "--debug"] + list(args)
        p = subprocess.run(cmd, env=self.env, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                           stderr=subprocess.STDOUT, text=True, timeout=120)
        self.debug_log.write("### calcurse-caldav %s (exit %d)\n%s\n" % (" ".join(args), p.returncode, p.stdout))
        self.debug_log.flush()
        self.requests_log.write("### calcurse-caldav %s\n" % " ".join(args))
        lines = p.stdout.splitlines()
        for i, line in enumerate(lines):
            m = re.match(r"^> (GET|PUT|DELETE|PROPFIND|REPORT) (\S+)$", line)
            if m:
                depth = re.search(r"'Depth': '([^']*)'", lines[i + 1]) if i + 1 < len(lines) else None
                cond = re.search(r"'(If-Match|If-None-Match)'", lines[i + 1]) if i + 1 < len(lines) else None
                element = re.search(r"<C:([\w-]+)", lines[i + 2]) if m.group(1) == "REPORT" and i + 2 < len(lines) else None
                self.requests_log.write(" ".join(x for x in (
                    m.group(1), urlparse(m.group(2)).path, depth and "Depth:" + depth.group(1),
                    element and element.group(1), cond and cond.group(1)) if x) + "\n")
            elif line.startswith("< Status: "):
                self.requests_log.write("  -> %s\n" % line[10:])
        self.requests_log.flush()
        summary = [ln for ln in lines if not ln.startswith(("<", ">", "Running command", "New sync", "Removing sync"))]
        for line in summary:
            if line.strip():
                print("  | " + line)
        check(p.returncode == 0, "calcurse-caldav %s exited %d (see calcurse-caldav.log):\n%s"
              % (" ".join(args), p.returncode, "\n".join(lines[-40:])))
        counts = re.search(r"(\d+) items imported, (\d+) items removed locally\.\s*\n(\d+) items exported, "
                           r"(\d+) items removed from the server\.", p.stdout)
        check(counts, "calcurse-caldav printed no summary:\n" + "\n".join(lines[-40:]))
        check("Failed to import" not in p.stdout, "calcurse-caldav could not import an object:\n" + p.stdout[-3000:])
        return tuple(int(x) for x in counts.groups())

    def week(self, monday):
        """{date: [line, ...]} of appointments and events, as `calcurse -Q` shows them."""
        out = self.run("-Q", "--input-datefmt", "4", "--output-datefmt", "== %Y-%m-%d",
                       "--from", monday.isoformat(), "--days", "7", "--filter-type", "cal",
                       "--format-apt", "%(start:%H:%M)-%(end:%H:%M) %m\\n",
                       "--format-recur-apt", "%(start:%H:%M)-%(end:%H:%M) %m (recurring)\\n",
                       "--format-event", "all day %m\\n", "--format-recur-event", "all day %m (recurring)\\n")
        days, current = {}, None
        for line in out.splitlines():
            if line.startswith("== "):
                current = dt.date.fromisoformat(line[3:].rstrip(":").strip())
                days[current] = []
            elif line.strip() and current is not None:
                days[current].append(line.strip())
        return days, out

    def todos(self):
        """{summary: (priority, completed)}."""
        fmt = "%p|%m\\n"
        every = self.run("-G", "--filter-type", "todo", "--format-todo", fmt).splitlines()
        done = set(self.run("-G", "--filter-type", "todo", "--filter-completed", "--format-todo", fmt).splitlines())
        return {ln.split("|", 1)[1]: (int(ln.split("|", 1)[0]), ln in done) for ln in every if "|" in ln}


def expect_week(cc, monday, expected, step):
    days, out = cc.week(monday)
    for offset in range(7):
        day = monday + dt.timedelta(days=offset)
        got = [ln for ln in days.get(day, []) if RUN in ln]
        want = expected.get(offset, [])
        check(got == want, "%s: calcurse -Q on %s shows %s, expected %s\nfull output:\n%s" % (step, day, got, want, out))


def scenario(run):
    server = CalDAV(run.url, run.user, run.password)
    today = dt.datetime.now(dt.timezone.utc).date()
    monday = today + dt.timedelta(days=7 - today.weekday())
    day = [monday + dt.timedelta(days=i) for i in range(7)]

    run.step = "server-calendar"
    cal_url = server.url(server.calendar_home() + CAL_ID + "/")
    server.mkcalendar(cal_url)
    run.defer("delete " + cal_url, server.request, "DELETE", cal_url, None, None, None)
    server.put(cal_url + "review.ics", calendar(vevent(
        "review-%s" % RUN, "Review %s" % RUN, (day[1], "09:00"), (day[1], "10:00"),
        "DESCRIPTION:Agenda\r\n"), TZ))
    server.put(cal_url + "call.ics", calendar(vevent(
        "call-%s" % RUN, "Call NY %s" % RUN, (day[3], "09:00"), (day[3], "09:30"),
        tzid="America/New_York"), "America/New_York"))
    # until Friday's instance (UNTIL in UTC, as RFC 5545 wants with a TZID start), Wednesday excluded;
    # UNTIL, not COUNT: calcurse 4.7 turns COUNT into an UNTIL that counts only the kept instances
    until = utc(day[4], "08:30")
    server.put(cal_url + "standup.ics", calendar(vevent(
        "standup-%s" % RUN, "Standup %s" % RUN, (day[0], "08:30"), (day[0], "08:45"),
        "RRULE:FREQ=DAILY;UNTIL=%s\r\nEXDATE;TZID=%s:%s\r\n" % (until, TZ, stamp(day[2], "08:30"))), TZ))
    server.put(cal_url + "offsite.ics", calendar(vevent(
        "offsite-%s" % RUN, "Offsite %s" % RUN, day[4], day[5])))
    server.put(cal_url + "report.ics", calendar(vtodo("report-%s" % RUN, "Report %s" % RUN, 2)))
    check(len(server.objects_by_get(cal_url)) == 5, "the server calendar does not hold the 5 objects")
    run.ok()

    run.step = "init-keep-remote"
    cc = Calcurse(run.root, run.artifacts, cal_url, run.user, run.password)
    run.defer("close the logs", cc.close)
    counts = cc.sync("--init=keep-remote")
    check(counts == (5, 0, 0, 0), "the first sync did (imported, removed, exported, removed remotely) "
                                  "= %s, expected (5, 0, 0, 0)" % (counts,))
    standup = "08:30-08:45 Standup %s (recurring)" % RUN
    # 09:00 in New York is 15:00 in Berlin (14:00 in the weeks where only one of them is on summer time)
    call = "%s-%s Call NY %s" % (berlin_time(day[3], "09:00", "America/New_York"),
                                 berlin_time(day[3], "09:30", "America/New_York"), RUN)
    expect_week(cc, monday, {
        0: [standup],
        1: [standup, "09:00-10:00 Review %s" % RUN],
        3: [standup, call],
        4: ["all day Offsite %s" % RUN, standup],
    }, run.step)
    todos = cc.todos()
    check(todos.get("Report %s" % RUN) == (2, False), "calcurse's tasks: %s" % todos)
    run.ok()

    run.step = "local-additions-pushed"
    with open(os.path.join(run.root, "new.ics"), "w", encoding="utf-8") as f:
        f.write(calendar(vevent("ignored-1", "Lunch talk %s" % RUN, (day[2], "12:00"), (day[2], "13:00"),
                                "DESCRIPTION:bring slides\r\n", tzid=TZ)
                         + vevent("ignored-3", "Yoga %s" % RUN, (day[0], "18:00"), (day[0], "19:00"),
                                  "RRULE:FREQ=DAILY;UNTIL=%s\r\nEXDATE;TZID=%s:%s\r\n"
                                  % (utc(day[2], "18:00"), TZ, stamp(day[1], "18:00")), tzid=TZ)
                         + vtodo("ignored-2", "Buy milk %s" % RUN, 3), TZ))
    cc.run("-i", os.path.join(run.root, "new.ics"))
    counts = cc.sync()
    check(counts == (0, 0, 3, 0), "the sync after calcurse -i did %s, expected (0, 0, 3, 0)" % (counts,))
    found = by_summary(server, cal_url)
    check("Lunch talk %s" % RUN in found and "Buy milk %s" % RUN in found,
          "the server holds %s after the push" % sorted(found))
    lunch = found["Lunch talk %s" % RUN][2]
    start = lunch.decoded("DTSTART")
    end = lunch.decoded("DTEND") if "DTEND" in lunch else start + lunch.decoded("DURATION")
    # calcurse keeps local time only: it writes floating times (no TZID, no Z)
    check(start.tzinfo is None and start == dt.datetime.combine(day[2], dt.time(12, 0))
          and end - start == dt.timedelta(hours=1), "the server has Lunch talk at %r-%r" % (start, end))
    check(str(lunch.get("DESCRIPTION")) == "bring slides", "DESCRIPTION: %r" % lunch.get("DESCRIPTION"))
    milk = found["Buy milk %s" % RUN][2]
    check(int(milk.get("PRIORITY", 0)) == 3, "Buy milk has PRIORITY %r" % milk.get("PRIORITY"))
    # calcurse's own recurrence (floating DTSTART, RRULE with a floating UNTIL, floating EXDATE):
    # the server must expand it as calcurse means it, in calendar-query time ranges
    yoga_href = found["Yoga %s" % RUN][0]
    for offset, expected in ((0, True), (1, False), (2, True), (3, False)):
        hits = server.query_day(cal_url, day[offset])
        check((yoga_href in hits) == expected, "a time-range query for %s %s the Yoga series (calcurse wrote:\n%s)"
              % (day[offset], "misses" if expected else "matches", found["Yoga %s" % RUN][2].to_ical().decode()))
    run.ok()

    run.step = "server-changes-pulled"
    href, etag, _ = found["Review %s" % RUN]
    server.put(href, calendar(vevent("review-%s" % RUN, "Review moved %s" % RUN, (day[1], "13:00"),
                                     (day[1], "14:30"), "SEQUENCE:1\r\n"), TZ), etag)
    href, etag, _ = found["Offsite %s" % RUN]
    server.delete(href, etag)
    href, etag, _ = found["Report %s" % RUN]
    server.put(href, calendar(vtodo("report-%s" % RUN, "Report %s" % RUN, 2,
                                    "STATUS:COMPLETED\r\nCOMPLETED:20260101T120000Z\r\n")), etag)
    counts = cc.sync()
    check(counts == (2, 1, 0, 0), "the sync after the server's changes did %s, expected (2, 1, 0, 0)" % (counts,))
    yoga = "18:00-19:00 Yoga %s (recurring)" % RUN
    expect_week(cc, monday, {
        1: [standup, "13:00-14:30 Review moved %s" % RUN],
        0: [standup, yoga],
        2: ["12:00-13:00 Lunch talk %s" % RUN, yoga],
        3: [standup, call],
        4: [standup],
    }, run.step)
    todos = cc.todos()
    check(todos.get("Report %s" % RUN) == (2, True), "after the server completed Report: %s" % todos)
    run.ok()

    run.step = "local-changes-pushed"
    todo_file = os.path.join(cc.data, "todo")
    with open(todo_file, encoding="utf-8") as f:
        lines = f.read().splitlines()
    # calcurse marks a task done by negating its priority in this file: "[3] Buy milk" -> "[-3] ..."
    marked = [re.sub(r"^\[3\]", "[-3]", ln) if ln.endswith("Buy milk %s" % RUN) else ln for ln in lines]
    check(marked != lines, "no 'Buy milk' line in calcurse's todo file:\n%s" % "\n".join(lines))
    with open(todo_file, "w", encoding="utf-8") as f:
        f.write("\n".join(marked) + "\n")
    cc.run("-P", "--filter-type", "apt", "--filter-pattern", "^Lunch talk %s$" % RUN)
    days, _ = cc.week(monday)
    check(not any("Lunch talk" in ln for lines_ in days.values() for ln in lines_), "calcurse -P kept Lunch talk")
    counts = cc.sync()
    # a changed item is a new object to calcurse-caldav (its hash changed): push + delete
    check(counts == (0, 0, 1, 2), "the sync after local changes did %s, expected (0, 0, 1, 2)" % (counts,))
    found = by_summary(server, cal_url)
    check("Lunch talk %s" % RUN not in found, "the appointment purged in calcurse is still on the server")
    milk = found.get("Buy milk %s" % RUN)
    check(milk is not None, "Buy milk is gone from the server")
    check(str(milk[2].get("STATUS")) == "COMPLETED" and int(milk[2].get("PRIORITY", 0)) == 3,
          "Buy milk on the server: STATUS %r PRIORITY %r" % (milk[2].get("STATUS"), milk[2].get("PRIORITY")))
    check(sorted(found) == sorted("%s %s" % (s, RUN) for s in ("Review moved", "Call NY", "Standup", "Report",
                                                              "Buy milk", "Yoga")),
          "the server holds %s" % sorted(found))
    run.ok()

    run.step = "idle-sync-is-noop"
    counts = cc.sync()
    check(counts == (0, 0, 0, 0), "a sync right after a sync did %s" % (counts,))
    run.ok()


if __name__ == "__main__":
    sys.exit(main("calcurse", scenario, __doc__, run_id=RUN))

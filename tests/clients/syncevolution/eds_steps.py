"""Evolution's data server itself: EDS CalDAV sources (its libecalbackendcaldav) on the same calendar.

syncevolution's evolution-calendar / evolution-tasks backends are EDS clients (libecal over D-Bus),
so its item commands make EDS's calendar factory read and write Caldera, as Evolution's UI would.
"""

import os
import time

from calendar_items import berlin_event, event, recurring_components, todo, wrap
from eds_session import EdsSession, source_file

EVENTS, TASKS = "caldera-events", "caldera-tasks"


class EdsSteps:
    def __init__(self, scenario, check, ok, uid, title):
        self.s, self.check, self.ok, self.uid, self.title = scenario, check, ok, uid, title
        self.session = None

    def eds(self, name, source, command, *luids):
        """syncevolution COMMAND... on an EDS source (no config: datastore properties on the command line)."""
        backend = "evolution-calendar" if source == EVENTS else "evolution-tasks"
        return self.s.se.run(name, *command, "--datastore-property", "backend=" + backend,
                             "--datastore-property", "database=" + source, "@default", "calendar", *luids,
                             env=self.session.env)

    def luids(self, source, expect=(), timeout=60):
        """{summary: luid} of what EDS lists; waits (up to timeout) until every summary in expect is there.

        EDS fills its local cache from the server asynchronously after a client opens the source,
        so the first listings may still be empty, as in Evolution's window right after start.
        """
        deadline = time.time() + timeout
        while True:
            code, out = self.eds("eds-print-items-" + source, source, ["--print-items"])
            self.check(code == 0, "EDS --print-items %s: %s" % (source, out))
            found = {}
            for line in out.splitlines():
                if not line.startswith("[") and ": " in line:
                    luid, summary = line.split(": ", 1)
                    found[summary.strip()] = luid.strip()
            if set(expect) <= set(found) or time.time() > deadline:
                return found
            time.sleep(1)

    def wait_server(self, done, source, timeout=45):
        """The server's items once done(items) holds, or after timeout (the caller then fails on them).

        EDS answers a client once its local cache has a change; the upload follows from its own
        queue, at once when the backend is connected, else when it next refreshes. So while
        waiting the source is opened again now and then (--print-items), as Evolution keeps its
        calendars open; each open refreshes and so pushes what is queued.
        """
        deadline = time.time() + timeout
        polls = 0
        while True:
            server = self.s.server_items()
            if done(server) or time.time() > deadline:
                return server
            polls += 1
            if polls % 4 == 0:
                self.eds("eds-print-items-" + source, source, ["--print-items"])
            else:
                time.sleep(0.5)

    def run(self):
        s = self.s
        self.session = EdsSession(os.path.join(s.tmp, "eds-home"), "se-eds-" + os.path.basename(s.tmp))
        calendar_path = s.calendar.replace(s.url.rstrip("/"), "")
        for uid, kind in ((EVENTS, "Calendar"), (TASKS, "Task List")):
            self.session.add_source(uid, source_file("Caldera " + kind, kind, s.proxy.url.rstrip("/") + calendar_path, s.user))
        with open(os.path.join(s.artifacts, "eds-services.log"), "w") as log:
            self.session.start(log)
            for uid in (EVENTS, TASKS):
                self.session.store_password(uid, s.password)
            mark = s.proxy.count()
            s.proxy.mark("EDS")
            self.window_items()
            exchanges = len(s.proxy.bodies)
            self.listing()
            self.check_window(exchanges)
            self.create(mark)
            self.update_and_delete()

    def window_items(self):
        """Two events EDS's first, time-ranged query (about today -5 to +5 weeks) must return:
        one next week at 10:00 Europe/Berlin (a VTIMEZONE), one weekly since 2020 (instances only)."""
        day = time.strftime("%Y%m%d", time.gmtime(time.time() + 7 * 86400))
        self.s.dav.put(self.s.calendar + self.uid("eds-window-tz") + ".ics",
                       berlin_event(self.uid("eds-window-tz"), self.title("Next week in Berlin"), day))
        self.s.dav.put(self.s.calendar + self.uid("eds-window-weekly") + ".ics",
                       wrap(event(self.uid("eds-window-weekly"), self.title("Weekly since 2020"), "20200106T080000Z",
                                  "20200106T083000Z", "RRULE:FREQ=WEEKLY\r\n")))

    def check_window(self, since):
        """Caldera's answer to EDS's time-range calendar-query: the two window events, none of 2030."""
        ranged = [(body, reply) for method, _, body, status, reply in self.s.proxy.bodies[since:]
                  if method == "REPORT" and "time-range" in body and 'name="VEVENT"' in body and status == 207]
        self.check(ranged, "EDS sent no time-ranged calendar-query for events")
        body, reply = ranged[0]
        inside = [self.uid("eds-window-tz"), self.uid("eds-window-weekly")]
        outside = [self.uid("s-event"), self.uid("l-weekly")]
        self.check(all(u + ".ics" in reply for u in inside) and not any(u + ".ics" in reply for u in outside),
                   "the time-range query did not return exactly the window's events:\n%s\n%s" % (body, reply[:3000]))
        start = body.split('start="', 1)[1][:8]
        end = body.split('end="', 1)[1][:8]
        self.ok("EDS: its first time-range query (%s-%s) gets the TZID event and the weekly event since 2020, none of 2030"
                % (start, end))

    def listing(self):
        for backend, source in (("evolution-calendar", EVENTS), ("evolution-tasks", TASKS)):
            code, out = self.s.se.run("eds-print-databases-" + backend, "--print-databases", "backend=" + backend,
                                      env=self.session.env)
            self.check(code == 0 and "(%s)" % source in out, "the source registry does not list %s:\n%s" % (source, out))
        server = self.s.server_items()
        want = {kind: {str(c.get("SUMMARY")) for i in server.values() if i.kind == kind for c in i.components}
                for kind in ("VEVENT", "VTODO")}
        started = time.time()
        events = self.luids(EVENTS, want["VEVENT"])
        tasks = self.luids(TASKS, want["VTODO"])
        waited = time.time() - started
        for item in server.values():
            for component in item.components:
                summary = str(component.get("SUMMARY"))
                listed = events if item.kind == "VEVENT" else tasks
                self.check(summary in listed, "EDS does not list %s %r from the server:\nevents %s\ntasks %s"
                           % (item.kind, summary, sorted(events), sorted(tasks)))
        code, out = self.eds("eds-export-tz", EVENTS, ["--export", "-"], events[self.title("Next week in Berlin")])
        self.check(code == 0 and "DTSTART;TZID=Europe/Berlin:" in out and "T100000" in out and "TZID:Europe/Berlin" in out,
                   "EDS's copy of the Berlin event lost its time zone:\n%s" % out)
        self.ok("EDS: the registry lists both CalDAV sources; EDS's caldav backend lists every event (with each"
                " exception) and task of this run from the server (%d events, %d tasks, after %.0f s); the Berlin event keeps"
                " its TZID and VTIMEZONE"
                % (len(events), len(tasks), waited))

    def create(self, mark):
        path = os.path.join(self.s.tmp, "eds-new.ics")
        with open(path, "w", encoding="utf-8") as f:
            # One item per VEVENT, as the sync engine hands them to EDS: the master, then the moved instance.
            f.write("\r\n".join(wrap(c) for c in recurring_components(
                self.uid("eds-weekly"), self.title("EDS weekly"), [("20300401", self.title("EDS weekly (moved)"), 13)])))
        code, out = self.eds("eds-import-event", EVENTS, ["--import", path])
        self.check(code == 0, "EDS --import event: %s" % out)
        with open(path, "w", encoding="utf-8") as f:
            f.write(wrap(todo(self.uid("eds-task"), self.title("EDS task"))))
        code, out = self.eds("eds-import-task", TASKS, ["--import", path])
        self.check(code == 0, "EDS --import task: %s" % out)
        server = self.wait_server(lambda server: self.uid("eds-task") in server, TASKS)
        server = self.wait_server(lambda server: self.uid("eds-weekly") in server and server[self.uid("eds-weekly")].exceptions(),
                                  EVENTS)
        weekly = server.get(self.uid("eds-weekly"))
        self.check(weekly is not None and "FREQ=WEEKLY" in weekly.rrule()
                   and weekly.exceptions() == {"20300401": self.title("EDS weekly (moved)")},
                   "the event created through EDS is not on the server as master + exception: %s"
                   % (weekly.text if weekly else sorted(server)))
        task = server.get(self.uid("eds-task"))
        self.check(task is not None and task.kind == "VTODO" and task.summary == self.title("EDS task"),
                   "the task created through EDS is not on the server")
        puts = [r for r in self.s.proxy.since(mark) if r.startswith("PUT ")]
        self.ok("EDS: an event with an exception and a task created through EDS are on the server (%d PUT: %s)"
                % (len(puts), "; ".join(p.split(" -> ")[0].split(" ", 2)[2] if p.count(" ") > 2 else p for p in puts)))

    def update_and_delete(self):
        # The update is of a task EDS got from the server ("Second server task", made over CalDAV before EDS
        # started), as a user edits what their calendar shows. EDS's own new task is not used: when EDS's upload
        # of a create is still settling in its cache, EDS sends the next change as another create
        # (If-None-Match: *), which Caldera rightly answers 412 - an EDS race, seen once on a loaded machine.
        uid, summary = self.uid("s-task2"), self.title("Second server task")
        tasks = self.luids(TASKS, [summary])
        luid = tasks.get(summary)
        self.check(luid, "EDS does not list the server's task: %s" % sorted(tasks))
        path = os.path.join(self.s.tmp, "eds-update.ics")
        with open(path, "w", encoding="utf-8") as f:
            f.write(wrap(todo(uid, self.title("EDS task (done)"), "COMPLETED", "COMPLETED:20300102T000000Z\r\n")))
        mark = self.s.proxy.count()
        code, out = self.eds("eds-update-task", TASKS, ["--update", path], luid)
        self.check(code == 0, "EDS --update: %s" % out)
        task = self.wait_server(lambda server: server[uid].status == "COMPLETED", TASKS)[uid]
        self.check(task.summary == self.title("EDS task (done)") and task.status == "COMPLETED",
                   "EDS's update is not on the server: %r %r" % (task.summary, task.status))
        updates = [r for r in self.s.proxy.since(mark) if r.startswith("PUT ")]
        self.ok("EDS: a server task updated through EDS is updated on the server (%s)" % "; ".join(updates))

        self.s.dav.put(self.s.href(task), wrap(todo(uid, self.title("EDS task (server edit)"))), etag=task.etag)
        started = time.time()
        tasks = self.luids(TASKS, [self.title("EDS task (server edit)")], timeout=40)
        self.check(self.title("EDS task (server edit)") in tasks, "a change made over CalDAV never reached EDS: %s" % sorted(tasks))
        self.ok("EDS: a change made over CalDAV reaches EDS (after %.0f s)" % (time.time() - started))

        events = self.luids(EVENTS, [self.title("EDS weekly"), self.title("EDS weekly (moved)")])
        master, moved = events.get(self.title("EDS weekly")), events.get(self.title("EDS weekly (moved)"))
        self.check(master and moved, "EDS does not list its own event and its exception: %s" % sorted(events))
        mark = self.s.proxy.count()
        # One luid per VEVENT: the exception, then the master (the master alone would leave the
        # exception behind as an event of its own - syncevolution keeps children of a removed parent).
        code, out = self.eds("eds-delete-event", EVENTS, ["--delete-items"], moved, master)
        self.check(code == 0, "EDS --delete-items: %s" % out)
        self.check(self.uid("eds-weekly") not in self.wait_server(lambda server: self.uid("eds-weekly") not in server, EVENTS),
                   "the event deleted through EDS is still on the server")
        deletes = [r for r in self.s.proxy.since(mark) if r.startswith("DELETE ")]
        self.ok("EDS: an event deleted through EDS is gone from the server (%s)" % "; ".join(deletes))

    def close(self):
        if self.session:
            self.session.close()

#!/usr/bin/python3
"""Evolution's sync stack against a CalDAV server: Debian's syncevolution 2.0 (CalDAV backend).

Usage: scenario.py URL USER PASSWORD --artifacts DIR

A syncevolution "local sync" pairs the server's calendar (backends caldav for
events and caldavtodo for tasks, found from the base URL by syncevolution's own
discovery) with two folders of .ics files (backend file). All its requests go
through a recording proxy, so the artifacts keep what it asked. Steps:

1. discovery: --print-databases from the base URL lists the user's calendar (events and tasks);
2. slow sync: events, tasks and a recurring event with an exception that exist only on the
   server arrive in the folders, and those only in the folders arrive on the server;
3. a second sync changes nothing on either side;
4. two-way sync with changes on both sides: the server edits an event, deletes a task, adds a
   task and an exception to the recurring event; locally a different event is edited, a task
   deleted, an event and a task added;
5. a conflict (both sides edit one event) converges in one sync without duplicates;
6. syncevolution's item commands on the CalDAV source itself: --print-items, --import,
   --update, --export, --delete-items;
7. Evolution's data server itself: in a private D-Bus session (source registry, calendar
   factory, gnome-keyring holding the password), two EDS CalDAV sources (events, tasks) on the
   same calendar, read and written through syncevolution's EDS backends: EDS's time-ranged first
   query gets the right events (a TZID one, a weekly one since 2020), EDS lists the server's
   items, creates an event with an exception and a task, updates the task, sees a change made
   over CalDAV, deletes the event - each checked on the server.

After each step both the server (plain CalDAV, not through syncevolution) and the folders are
checked. Only this run's items (UIDs with a run prefix) are asserted on and removed at the end.
"""

import os
import shutil
import sys
import time
import uuid

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "common"))
from caldav_http import CalDAV  # noqa: E402
from calendar_items import event, read_folder, read_server, recurring, todo, wrap  # noqa: E402
from eds_steps import EdsSteps  # noqa: E402
from recording_proxy import RecordingProxy  # noqa: E402
from scenario_kit import check, main, ok  # noqa: E402
from syncevolution_cli import SyncEvolution  # noqa: E402

RUN = "se-" + uuid.uuid4().hex[:8]


def title(text):
    """Summaries carry the run id too: a slow sync pairs items by content, not by UID."""
    return "%s %s" % (text, RUN)


def uid(name):
    return "%s-%s" % (RUN, name)


class Scenario:
    def __init__(self, url, user, password, artifacts, tmp):
        self.url, self.user, self.password, self.artifacts = url, user, password, artifacts
        self.dav = CalDAV(url, user, password)
        self.proxy = RecordingProxy(url)
        self.tmp = tmp
        self.events_dir = os.path.join(self.tmp, "events")
        self.tasks_dir = os.path.join(self.tmp, "tasks")
        os.makedirs(self.events_dir)
        os.makedirs(self.tasks_dir)
        self.se = SyncEvolution(os.path.join(self.tmp, "home"), artifacts)
        self.calendar = None
        self.eds = None

    # --- both sides -------------------------------------------------------------------------

    def server_items(self):
        return {u: i for u, i in read_server(self.dav.objects(self.calendar)).items() if u.startswith(RUN)}

    def local_items(self):
        return read_folder(self.events_dir), read_folder(self.tasks_dir)

    def href(self, item):
        """Absolute URL of a server item (its .where is the href path)."""
        return self.url.rstrip("/") + item.where

    def sync(self, name, mode=None):
        mark = self.proxy.count()
        self.proxy.mark(name)
        args = (["--sync", mode] if mode else []) + ["caldera"]
        code, out = self.se.run(name, *args)
        check(code == 0 and "Synchronization successful." in out,
              "%s: syncevolution exit %s\n%s" % (name, code, out[-3000:]))
        return out, self.proxy.since(mark)

    def write_local(self, folder, name, text):
        with open(os.path.join(folder, name), "w", encoding="utf-8", newline="") as f:
            f.write(text)

    # --- steps ------------------------------------------------------------------------------

    def discovery(self):
        _, home, found = self.dav.calendars()
        calendars = [self.dav.url(path) for path in found]
        check(calendars, "the user has no calendar at %s" % home)
        found = {}
        for backend in ("caldav", "caldavtodo"):
            mark = self.proxy.count()
            self.proxy.mark("discovery " + backend)
            code, out = self.se.run("print-databases-" + backend, "--print-databases", "backend=" + backend,
                                    "username=" + self.user, "password=" + self.password,
                                    "syncURL=" + self.proxy.url, "keyring=no")
            check(code == 0, "--print-databases backend=%s: exit %s\n%s" % (backend, code, out))
            listed = [l.strip() for l in out.splitlines() if l.startswith("   ")]
            default = [l for l in listed if l.endswith("<default>")]
            check(len(default) == 1, "%s: no single <default> calendar in\n%s" % (backend, out))
            path = default[0].split("(", 1)[1].split(")", 1)[0].replace(self.proxy.url.rstrip("/"), "")
            found[backend] = self.url.rstrip("/") + path
            check(found[backend] in calendars, "%s picked %s, not a calendar of the home %s" % (backend, path, calendars))
            requests = self.proxy.since(mark)
            check(requests and requests[0].startswith("PROPFIND / "),
                  "%s: discovery did not start at the base URL: %s" % (backend, requests[:3]))
            check(any("current-user-principal" in r for r in requests) and any("calendar-home-set" in r for r in requests),
                  "%s: discovery never asked for current-user-principal and calendar-home-set:\n%s"
                  % (backend, "\n".join(requests)))
        check(found["caldav"] == found["caldavtodo"], "events and tasks found in different calendars: %s" % found)
        self.calendar = found["caldav"]
        ok("discovery from %s: --print-databases (caldav, caldavtodo) lists %s as <default>, via current-user-principal"
           " and calendar-home-set (%d requests)" % (self.url, self.calendar, len(requests)))

    def configure(self):
        code, out = self.se.run("configure-target", "--configure", "--template", "webdav", "keyring=no",
                                "syncURL=" + self.proxy.url, "username=" + self.user, "password=" + self.password,
                                "target-config@caldera", "calendar", "todo")
        check(code == 0, "configuring the CalDAV side failed: %s" % out)
        code, out = self.se.run("configure-local", "--configure", "--template", "SyncEvolution_Client", "keyring=no",
                                "syncURL=local://@caldera", "username=", "password=", "peerIsClient=1",
                                "calendar/backend=file", "calendar/database=file://" + self.events_dir,
                                "calendar/databaseFormat=text/calendar",
                                "todo/backend=file", "todo/database=file://" + self.tasks_dir,
                                "todo/databaseFormat=text/calendar",
                                "caldera", "calendar", "todo")
        check(code == 0, "configuring the local side failed: %s" % out)
        ok("configured: target-config@caldera (CalDAV calendar + todo by base URL) <-> caldera (file folders)")

    def slow_sync(self):
        cal = self.calendar
        self.dav.put(cal + uid("s-event") + ".ics", wrap(event(uid("s-event"), title("Server event"), "20300305T090000Z", "20300305T100000Z")))
        self.dav.put(cal + uid("s-task") + ".ics", wrap(todo(uid("s-task"), title("Server task"))))
        self.dav.put(cal + uid("s-weekly") + ".ics",
                     recurring(uid("s-weekly"), title("Server weekly"), [("20300311", title("Weekly sync (moved)"), 11)]))
        self.write_local(self.events_dir, "l-event.ics", wrap(event(uid("l-event"), title("Local event"), "20300306T140000Z", "20300306T150000Z")))
        self.write_local(self.tasks_dir, "l-task.ics", wrap(todo(uid("l-task"), title("Local task"))))
        self.write_local(self.events_dir, "l-weekly.ics", recurring(uid("l-weekly"), title("Local weekly"), [("20300318", title("Local weekly (renamed)"), 9)]))

        out, requests = self.sync("slow-sync", "slow")
        check("slow" in out, "the first sync was not a slow sync:\n%s" % out[-2000:])
        server = self.server_items()
        events, tasks = self.local_items()
        expected_events = {uid("s-event"), uid("s-weekly"), uid("l-event"), uid("l-weekly")}
        expected_tasks = {uid("s-task"), uid("l-task")}
        check(set(server) == expected_events | expected_tasks, "server after slow sync: %s" % sorted(server))
        check(set(u for u in events if u.startswith(RUN)) == expected_events, "local events after slow sync: %s" % sorted(events))
        check(set(u for u in tasks if u.startswith(RUN)) == expected_tasks, "local tasks after slow sync: %s" % sorted(tasks))
        for u in expected_tasks:
            check(server[u].kind == "VTODO" and tasks[u].kind == "VTODO", "%s is not a task on both sides" % u)
        check(server[uid("l-event")].summary == title("Local event") and events[uid("s-event")].summary == title("Server event"),
              "summaries did not travel: %r %r" % (server[uid("l-event")].summary, events[uid("s-event")].summary))
        check(server[uid("l-task")].summary == title("Local task") and tasks[uid("s-task")].summary == title("Server task"),
              "task summaries did not travel")
        for u, moved in ((uid("s-weekly"), {"20300311": title("Weekly sync (moved)")}),
                         (uid("l-weekly"), {"20300318": title("Local weekly (renamed)")})):
            for side, item in (("server", server[u]), ("local", events[u])):
                check("FREQ=WEEKLY" in item.rrule() and item.exceptions() == moved,
                      "%s recurring %s: rrule %r exceptions %r" % (side, u, item.rrule(), item.exceptions()))
        check(any(r.startswith("REPORT ") for r in requests), "the slow sync listed nothing with REPORT")
        # RFC 5995: syncevolution creates a new task by POST to the calendar's DAV:add-member URL, events by PUT.
        posts = [r for r in requests if r.startswith("POST ") and "?add-member " in r]
        check(posts and all(r.endswith("-> 201") for r in posts), "no POST to DAV:add-member created an item:\n%s" % "\n".join(requests))
        check(sum(r.startswith("PUT ") for r in requests) + len(posts) == 3, "the slow sync did not write the 3 local items:\n%s" % "\n".join(requests))
        ok("slow sync: server event, task and weekly event with an exception arrived in the folders; local ones"
           " (event, task, weekly with an exception) on the server as %d PUTs and %d add-member POST" % (3 - len(posts), len(posts)))

    def quiet_sync(self):
        before_server = {u: i.etag for u, i in self.server_items().items()}
        before_ctag = self.dav.ctag(self.calendar)
        events, tasks = self.local_items()
        before_local = {u: i.text for u, i in {**events, **tasks}.items()}
        out, requests = self.sync("quiet-sync")
        after_events, after_tasks = self.local_items()
        check({u: i.etag for u, i in self.server_items().items()} == before_server, "a sync without changes rewrote server items")
        check(self.dav.ctag(self.calendar) == before_ctag, "a sync without changes moved the calendar's ctag")
        check({u: i.text for u, i in {**after_events, **after_tasks}.items()} == before_local, "a sync without changes rewrote local files")
        writes = [r for r in requests if r.split(" ", 1)[0] in ("PUT", "POST", "DELETE")]
        check(not writes, "a sync without changes wrote to the server: %s" % writes)
        ok("second sync without changes: no PUT/DELETE, same ETags, same ctag, same files (%d requests)" % len(requests))

    def changes_on_both_sides(self):
        cal = self.calendar
        server = self.server_items()
        events, tasks = self.local_items()
        # Server side, as another CalDAV client would.
        self.dav.put(self.href(server[uid("s-event")]),
                     wrap(event(uid("s-event"), title("Server event (edited on server)"), "20300305T100000Z", "20300305T110000Z")),
                     etag=server[uid("s-event")].etag)
        self.dav.delete(self.href(server[uid("s-task")]), etag=server[uid("s-task")].etag)
        self.dav.put(cal + uid("s-task2") + ".ics", wrap(todo(uid("s-task2"), title("Second server task"), "IN-PROCESS")))
        self.dav.put(self.href(server[uid("l-weekly")]),
                     recurring(uid("l-weekly"), title("Local weekly"), [("20300318", title("Local weekly (renamed)"), 9), ("20300325", title("Server moved this one"), 15)]),
                     etag=server[uid("l-weekly")].etag)
        # Local side, a second later so the file backend's mtime-based change tracking sees it.
        time.sleep(1.1)
        self.write_local(self.events_dir, events[uid("l-event")].where,
                         wrap(event(uid("l-event"), title("Local event (edited locally)"), "20300306T140000Z", "20300306T160000Z")))
        os.remove(os.path.join(self.tasks_dir, tasks[uid("l-task")].where))
        self.write_local(self.events_dir, "l-event2.ics", wrap(event(uid("l-event2"), title("Second local event"), "20300307T080000Z", "20300307T083000Z")))
        self.write_local(self.tasks_dir, "l-task2.ics", wrap(todo(uid("l-task2"), title("Done local task"), "COMPLETED", "COMPLETED:20300101T120000Z\r\n")))

        out, requests = self.sync("two-way-sync")
        server = self.server_items()
        events, tasks = self.local_items()
        expected_events = {uid("s-event"), uid("s-weekly"), uid("l-event"), uid("l-weekly"), uid("l-event2")}
        expected_tasks = {uid("s-task2"), uid("l-task2")}
        check(set(server) == expected_events | expected_tasks, "server after two-way sync: %s" % sorted(server))
        check(set(u for u in events if u.startswith(RUN)) == expected_events, "local events after two-way sync: %s" % sorted(events))
        check(set(u for u in tasks if u.startswith(RUN)) == expected_tasks, "local tasks after two-way sync: %s" % sorted(tasks))
        check(events[uid("s-event")].summary == title("Server event (edited on server)"), "server edit not local: %r" % events[uid("s-event")].summary)
        check(server[uid("l-event")].summary == title("Local event (edited locally)"), "local edit not on server: %r" % server[uid("l-event")].summary)
        check(str(server[uid("l-event")].master().decoded("DTEND").strftime("%H%M")) == "1600", "local DTEND edit not on server")
        check(tasks[uid("s-task2")].status == "IN-PROCESS", "new server task status %r" % tasks[uid("s-task2")].status)
        check(server[uid("l-task2")].status == "COMPLETED", "new local task status %r" % server[uid("l-task2")].status)
        want = {"20300318": title("Local weekly (renamed)"), "20300325": title("Server moved this one")}
        check(events[uid("l-weekly")].exceptions() == want,
              "server's new exception not local: %r" % events[uid("l-weekly")].exceptions())
        check(server[uid("l-weekly")].exceptions() == want, "server lost an exception: %r" % server[uid("l-weekly")].exceptions())
        deletes = [r for r in requests if r.startswith("DELETE ")]
        check(len(deletes) == 1 and "l-task" in deletes[0], "expected one DELETE of the local task: %s" % deletes)
        ok("two-way sync: server edit + delete + new task + new exception arrived locally; local edit + delete + new"
           " event + completed task arrived on the server (%d requests, %d PUT, 1 DELETE)"
           % (len(requests), sum(r.startswith("PUT ") for r in requests)))
        out, requests = self.sync("after-two-way-sync")
        writes = [r for r in requests if r.split(" ", 1)[0] in ("PUT", "POST", "DELETE")]
        check(not writes and set(self.server_items()) == expected_events | expected_tasks, "the next sync was not quiet: %s" % writes)
        ok("the sync after that is quiet again")

    def conflict(self):
        """Both sides edit the same event: after one sync both hold the same single copy."""
        server = self.server_items()
        events, _ = self.local_items()
        target = server[uid("l-event2")]
        self.dav.put(self.href(target), wrap(event(uid("l-event2"), title("Conflict: server's edit"), "20300307T080000Z", "20300307T090000Z")),
                     etag=target.etag)
        time.sleep(1.1)
        self.write_local(self.events_dir, events[uid("l-event2")].where,
                         wrap(event(uid("l-event2"), title("Conflict: local edit"), "20300307T080000Z", "20300307T083000Z")))
        out, requests = self.sync("conflict-sync")
        server = self.server_items()
        events, _ = self.local_items()
        check(uid("l-event2") in server and uid("l-event2") in events, "the conflicting event vanished")
        both = (server[uid("l-event2")].summary, events[uid("l-event2")].summary)
        check(both[0] == both[1] and both[0] in (title("Conflict: server's edit"), title("Conflict: local edit")),
              "the sides did not converge after a conflict: server %r, local %r" % both)
        check(len(server[uid("l-event2")].components) == 1 and len(events[uid("l-event2")].files) == 1,
              "the conflict left duplicates: %s / %s" % (server[uid("l-event2")].where, events[uid("l-event2")].files))
        winner = "server" if both[0] == title("Conflict: server's edit") else "local"
        out, requests = self.sync("after-conflict-sync")
        check(self.server_items()[uid("l-event2")].summary == both[0], "the sync after the conflict changed the result again")
        ok("conflict (both sides edited one event): one sync converges on the %s edit, no duplicate" % winner)

    def item_commands(self):
        """syncevolution's own commands on the CalDAV source: no sync engine, the backend alone."""
        mark = self.proxy.count()
        self.proxy.mark("item commands")
        code, out = self.se.run("print-items", "--print-items", "target-config@caldera", "calendar")
        check(code == 0, "--print-items: %s" % out)
        server = self.server_items()
        luids = {}
        for line in out.splitlines():
            if ": " in line and not line.startswith("["):
                luid, summary = line.split(": ", 1)
                luids[summary.strip()] = luid.strip()
        for u in (uid("s-event"), uid("l-event"), uid("l-event2")):
            check(server[u].summary in luids, "--print-items does not list %r:\n%s" % (server[u].summary, out))
        check(title("Second server task") not in luids, "the caldav (events) source lists a task:\n%s" % out)
        ok("--print-items lists this run's events by luid and summary, and no task")

        path = os.path.join(self.tmp, "imported.ics")
        with open(path, "w", encoding="utf-8") as f:
            f.write(wrap(todo(uid("cli-task"), title("Imported by syncevolution"))))
        code, out = self.se.run("import", "--import", path, "target-config@caldera", "todo")
        check(code == 0, "--import: %s" % out)
        server = self.server_items()
        check(uid("cli-task") in server and server[uid("cli-task")].summary == title("Imported by syncevolution"),
              "--import did not create the task on the server: %s" % sorted(server))
        # "#0: <luid>" names what it created.
        luid = next((l.split(": ", 1)[1].strip() for l in out.splitlines() if l.startswith("#0: ")), None)
        check(luid, "--import printed no luid:\n%s" % out)
        code, out = self.se.run("print-items-todo", "--print-items", "target-config@caldera", "todo")
        check(code == 0 and luid in out.split(), "--print-items todo does not list %s:\n%s" % (luid, out))
        ok("--import created the task on the server (luid %s)" % luid)

        with open(path, "w", encoding="utf-8") as f:
            f.write(wrap(todo(uid("cli-task"), title("Updated by syncevolution"), "COMPLETED", "COMPLETED:20300102T000000Z\r\n")))
        code, out = self.se.run("update", "--update", path, "target-config@caldera", "todo", luid)
        check(code == 0, "--update: %s" % out)
        task = self.server_items()[uid("cli-task")]
        check(task.summary == title("Updated by syncevolution") and task.status == "COMPLETED",
              "--update did not reach the server: %r %r" % (task.summary, task.status))
        ok("--update changed it on the server")

        code, out = self.se.run("export", "--export", "-", "target-config@caldera", "todo", luid)
        check(code == 0 and title("Updated by syncevolution") in out and uid("cli-task") in out, "--export: %s" % out)
        ok("--export returns the server's copy")

        code, out = self.se.run("delete-items", "--delete-items", "target-config@caldera", "todo", luid)
        check(code == 0, "--delete-items: %s" % out)
        check(uid("cli-task") not in self.server_items(), "--delete-items left the task on the server")
        requests = self.proxy.since(mark)
        ok("--delete-items removed it from the server (item commands: %s)"
           % ", ".join(sorted({r.split(" ", 1)[0] for r in requests})))

    def eds_steps(self):
        self.eds = EdsSteps(self, check, ok, uid, title)
        self.eds.run()

    def cleanup(self):
        if not self.calendar:
            return
        try:
            for item in self.server_items().values():
                self.dav.delete(self.href(item))
        except Exception as e:  # a cleanup problem must not hide the scenario's result
            print("note: cleanup on the server failed: %s" % e, flush=True)

    def close(self):
        try:
            if self.eds:
                self.eds.close()
            self.cleanup()
        finally:
            with open(os.path.join(self.artifacts, "requests.log"), "w", encoding="utf-8") as f:
                f.write("\n".join(self.proxy.entries) + "\n")
            with open(os.path.join(self.artifacts, "http.log"), "w", encoding="utf-8") as f:
                f.write("\n".join(self.proxy.exchanges))
            self.proxy.close()


def scenario(run):
    for program, package in (("syncevolution", "syncevolution"), ("dbus-daemon", "dbus-daemon"),
                             ("gnome-keyring-daemon", "gnome-keyring"),
                             ("/usr/libexec/evolution-source-registry", "evolution-data-server")):
        check(shutil.which(program), "%s is missing (apt-get install %s)" % (program, package))
    try:
        import dbus  # noqa: F401 - the EDS steps store the password over the Secret Service API
    except ImportError:
        check(False, "python3-dbus is missing (apt-get install python3-dbus)")
    s = Scenario(run.url, run.user, run.password, run.artifacts, run.root)
    run.defer("clean up after syncevolution", s.close)
    for run.step, action in (("discovery", s.discovery), ("configure", s.configure), ("slow sync", s.slow_sync),
                             ("quiet sync", s.quiet_sync), ("two-way sync", s.changes_on_both_sides),
                             ("conflict", s.conflict), ("item commands", s.item_commands), ("EDS", s.eds_steps)):
        action()


if __name__ == "__main__":
    sys.exit(main("syncevolution", scenario, __doc__))

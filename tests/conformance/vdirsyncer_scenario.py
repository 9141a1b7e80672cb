#!/usr/bin/python3
"""Two-way sync scenario with vdirsyncer (Debian's vdirsyncer, 0.19).

Usage: vdirsyncer_scenario.py URL USER PASSWORD

Creates a fresh calendar on the server (python-caldav, discovered from URL),
pairs it with a local `filesystem` storage (a folder of .ics files) in a
temporary vdirsyncer config with `conflict_resolution = "a wins"` (a = local),
lets vdirsyncer discover the calendar by itself from the base URL, and syncs.
Then it changes both sides (add, modify, delete on each, plus one conflicting
modification), syncs twice and checks that both sides converged: the same set
of UIDs, the same content, the deleted items gone, and the second sync a no-op.
Server-side changes are made with plain HTTP (PUT with If-Match /
If-None-Match, DELETE), as another client would.

Each step prints `ok <step>`; a failure prints `FAIL <step>: <why>` (with the
vdirsyncer output or the HTTP exchange) and exits non-zero. Temporary files
and the server calendar are removed in all cases.
"""

import os
import shutil
import subprocess
import sys
import tempfile
import traceback
import uuid
import xml.etree.ElementTree as ET
from urllib.parse import urljoin, urlparse

import requests

import caldav

RUN = uuid.uuid4().hex[:12]
CAL_ID = "vdirsyncer-%s" % RUN
NS = {"d": "DAV:", "c": "urn:ietf:params:xml:ns:caldav"}


class ScenarioFailure(Exception):
    pass


def check(condition, message):
    if not condition:
        raise ScenarioFailure(message)


def ics(uid, summary, day):
    return (
        "BEGIN:VCALENDAR\r\n"
        "VERSION:2.0\r\n"
        "PRODID:-//Caldera//conformance vdirsyncer//EN\r\n"
        "BEGIN:VEVENT\r\n"
        "UID:%s\r\n"
        "DTSTAMP:20300101T000000Z\r\n"
        "DTSTART:203003%02dT090000Z\r\n"
        "DTEND:203003%02dT100000Z\r\n"
        "SUMMARY:%s\r\n"
        "END:VEVENT\r\n"
        "END:VCALENDAR\r\n" % (uid, day, day, summary)
    )


def parse_props(text):
    """UID and SUMMARY of the (single) VEVENT in an iCalendar text, unfolded."""
    unfolded = text.replace("\r\n", "\n").replace("\n ", "").replace("\n\t", "")
    props = {}
    in_event = False
    for line in unfolded.split("\n"):
        if line == "BEGIN:VEVENT":
            in_event = True
        elif line == "END:VEVENT":
            in_event = False
        elif in_event and ":" in line:
            name, value = line.split(":", 1)
            name = name.split(";", 1)[0].upper()
            if name in ("UID", "SUMMARY") and name not in props:
                props[name] = value
    return props


def describe(response):
    req = response.request
    body = req.body.decode("utf-8", "replace") if isinstance(req.body, bytes) else (req.body or "")
    return ">>> %s %s\n%s\n<<< %s %s\n%s\n%s" % (
        req.method, req.url, body[:1500], response.status_code, response.reason,
        "\n".join("<<< %s: %s" % kv for kv in response.headers.items()), response.text[:1500])


class Server:
    """Plain-HTTP view of one calendar collection."""

    def __init__(self, calendar_url, user, password):
        self.url = calendar_url
        self.http = requests.Session()
        self.http.auth = (user, password)

    def request(self, method, url, expected, **kwargs):
        r = self.http.request(method, url, timeout=60, **kwargs)
        if r.status_code not in expected:
            raise ScenarioFailure("%s %s answered %s, expected one of %s\n%s"
                                  % (method, url, r.status_code, expected, describe(r)))
        return r

    def items(self):
        """{uid: (href, etag, summary, raw)} from PROPFIND Depth 1 + GET of each member."""
        body = ('<?xml version="1.0" encoding="utf-8"?><d:propfind xmlns:d="DAV:"><d:prop>'
                '<d:resourcetype/><d:getetag/><d:getcontenttype/></d:prop></d:propfind>')
        r = self.request("PROPFIND", self.url, (207,), data=body,
                         headers={"Depth": "1", "Content-Type": "application/xml; charset=utf-8"})
        root = ET.fromstring(r.content)
        result = {}
        for resp in root.findall("d:response", NS):
            href = urljoin(self.url, resp.findtext("d:href", default="", namespaces=NS))
            if href.rstrip("/") == self.url.rstrip("/"):
                continue
            if resp.find(".//d:resourcetype/d:collection", NS) is not None:
                continue
            etag = resp.findtext(".//d:getetag", default=None, namespaces=NS)
            check(etag, "PROPFIND lists %s without a DAV:getetag\n%s" % (href, describe(r)))
            g = self.request("GET", href, (200,))
            check(g.headers.get("ETag") == etag,
                  "GET %s ETag %s differs from PROPFIND getetag %s" % (href, g.headers.get("ETag"), etag))
            props = parse_props(g.text)
            check("UID" in props, "GET %s returned no VEVENT UID:\n%s" % (href, g.text[:1000]))
            check(props["UID"] not in result, "UID %s stored twice on the server" % props["UID"])
            result[props["UID"]] = (href, etag, props.get("SUMMARY"), g.text)
        return result

    def put_new(self, uid, text):
        href = urljoin(self.url, "%s.ics" % uid)
        self.request("PUT", href, (201, 204), data=text.encode("utf-8"),
                     headers={"Content-Type": "text/calendar; charset=utf-8", "If-None-Match": "*"})
        return href

    def put_update(self, href, etag, text):
        self.request("PUT", href, (200, 201, 204), data=text.encode("utf-8"),
                     headers={"Content-Type": "text/calendar; charset=utf-8", "If-Match": etag})

    def delete(self, href, etag):
        self.request("DELETE", href, (200, 204), headers={"If-Match": etag})


class Local:
    def __init__(self, folder):
        self.folder = folder

    def items(self):
        """{uid: (path, summary, raw)}"""
        result = {}
        for name in sorted(os.listdir(self.folder)):
            if not name.endswith(".ics"):
                continue
            path = os.path.join(self.folder, name)
            with open(path, encoding="utf-8", newline="") as f:
                text = f.read()
            props = parse_props(text)
            check("UID" in props, "local file %s has no UID" % name)
            check(props["UID"] not in result, "UID %s twice in the local folder" % props["UID"])
            result[props["UID"]] = (path, props.get("SUMMARY"), text)
        return result

    def write(self, uid, text, path=None):
        path = path or os.path.join(self.folder, "%s.ics" % uid)
        with open(path, "w", encoding="utf-8", newline="") as f:
            f.write(text)
        return path


def _drop_logging_errors(lines):
    """Drop Python's "--- Logging error ---" blocks: vdirsyncer 0.19 with Debian's aiohttp fails
    to format some of its own debug records (an empty response body); they are client noise."""
    kept, skipping = [], False
    for line in lines:
        if line.startswith("--- Logging error ---"):
            skipping = True
        elif skipping and line.startswith("Use the traceback above"):
            skipping = False
        elif not skipping:
            kept.append(line)
    return kept


class Vdirsyncer:
    def __init__(self, workdir, base_url, user, password):
        self.config = os.path.join(workdir, "config")
        self.local_root = os.path.join(workdir, "local")
        self.local = os.path.join(self.local_root, CAL_ID)
        os.makedirs(self.local)
        with open(self.config, "w", encoding="utf-8") as f:
            f.write(
                '[general]\n'
                'status_path = "%s/"\n\n'
                '[pair conformance]\n'
                'a = "conformance_local"\n'
                'b = "conformance_remote"\n'
                'collections = ["%s"]\n'
                'conflict_resolution = "a wins"\n\n'
                '[storage conformance_local]\n'
                'type = "filesystem"\n'
                'path = "%s/"\n'
                'fileext = ".ics"\n\n'
                '[storage conformance_remote]\n'
                'type = "caldav"\n'
                'url = "%s"\n'
                'username = "%s"\n'
                'password = "%s"\n'
                % (os.path.join(workdir, "status"), CAL_ID, self.local_root, base_url, user, password)
            )
        os.chmod(self.config, 0o600)
        self.exe = shutil.which("vdirsyncer") or "/usr/bin/vdirsyncer"

    def run(self, *args):
        """Run vdirsyncer at DEBUG level: its normal lines are shown; on failure the debug
        lines (its HTTP requests and the server's answers) are shown too."""
        cmd = [self.exe, "-v", "DEBUG", "-c", self.config] + list(args)
        p = subprocess.run(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                           text=True, timeout=300)
        lines = _drop_logging_errors(p.stdout.rstrip().splitlines())
        normal = [ln for ln in lines if not ln.startswith("debug:")]
        for line in normal:
            print("  | " + line)
        if p.returncode != 0:
            print("  ---- vdirsyncer debug output (last 200 lines) ----")
            for line in lines[-200:]:
                print("  | " + line)
            raise ScenarioFailure("`vdirsyncer %s` exited %d (output above)" % (" ".join(args), p.returncode))
        return "\n".join(normal)


def assert_converged(server, local, expected):
    """expected: {uid: summary}; both sides must hold exactly these."""
    s = server.items()
    l = local.items()
    check(sorted(s) == sorted(expected), "server holds UIDs %s, expected %s" % (sorted(s), sorted(expected)))
    check(sorted(l) == sorted(expected), "local folder holds UIDs %s, expected %s" % (sorted(l), sorted(expected)))
    for uid, summary in expected.items():
        check(s[uid][2] == summary, "server SUMMARY of %s is %r, expected %r" % (uid, s[uid][2], summary))
        check(l[uid][1] == summary, "local SUMMARY of %s is %r, expected %r" % (uid, l[uid][1], summary))
    return s, l


def main(argv):
    if len(argv) != 4:
        print(__doc__)
        return 2
    base_url, user, password = argv[1:]
    if not base_url.endswith("/"):
        base_url += "/"
    print("vdirsyncer scenario against %s as %s (run %s)" % (base_url, user, RUN))

    current = "setup"
    workdir = tempfile.mkdtemp(prefix="caldera-vdirsyncer-")
    cal = None

    def ok(name):
        print("ok %s" % name, flush=True)

    try:
        current = "create-calendar"
        client = caldav.DAVClient(url=base_url, username=user, password=password, timeout=60)
        cal = client.principal().make_calendar(name="vdirsyncer %s" % RUN, cal_id=CAL_ID)
        server = Server(str(cal.url), user, password)
        check(server.items() == {}, "new calendar is not empty")
        ok(current)

        uid = {k: "%s-%s@conformance.caldera" % (k, RUN)
               for k in ("s1", "s2", "s3", "s4", "l1", "l2", "l3")}

        current = "seed"
        for i, k in enumerate(("s1", "s2", "s3")):
            server.put_new(uid[k], ics(uid[k], "server %s" % k, i + 1))
        vs = Vdirsyncer(workdir, base_url, user, password)
        local = Local(vs.local)
        for i, k in enumerate(("l1", "l2")):
            local.write(uid[k], ics(uid[k], "local %s" % k, i + 10))
        ok(current)

        current = "discover"
        out = vs.run("discover", "conformance")
        check(CAL_ID in out, "vdirsyncer did not discover the calendar %s from %s" % (CAL_ID, base_url))
        ok(current)

        current = "first-sync"
        vs.run("sync")
        expected = {uid["s1"]: "server s1", uid["s2"]: "server s2", uid["s3"]: "server s3",
                    uid["l1"]: "local l1", uid["l2"]: "local l2"}
        s, l = assert_converged(server, local, expected)
        ok(current)

        current = "change-both-sides"
        # local: add l3, modify s1, delete s2, conflicting edit of s3
        local.write(uid["l3"], ics(uid["l3"], "local l3", 20))
        local.write(uid["s1"], ics(uid["s1"], "server s1 edited locally", 1), path=l[uid["s1"]][0])
        os.remove(l[uid["s2"]][0])
        local.write(uid["s3"], ics(uid["s3"], "s3 local wins", 3), path=l[uid["s3"]][0])
        # server: add s4, modify l1, delete l2, conflicting edit of s3
        server.put_new(uid["s4"], ics(uid["s4"], "server s4", 4))
        server.put_update(s[uid["l1"]][0], s[uid["l1"]][1], ics(uid["l1"], "local l1 edited on server", 10))
        server.delete(s[uid["l2"]][0], s[uid["l2"]][1])
        server.put_update(s[uid["s3"]][0], s[uid["s3"]][1], ics(uid["s3"], "s3 server loses", 3))
        ok(current)

        current = "second-sync"
        vs.run("sync")
        ok(current)

        current = "third-sync-is-noop"
        out = vs.run("sync")
        busy = [ln for ln in out.splitlines()
                if any(w in ln for w in ("Copying", "Updating", "Deleting", "conflict"))]
        check(not busy, "a sync right after a sync still changed things: %s" % busy)
        ok(current)

        current = "converged"
        expected = {uid["s1"]: "server s1 edited locally", uid["s3"]: "s3 local wins", uid["s4"]: "server s4",
                    uid["l1"]: "local l1 edited on server", uid["l3"]: "local l3"}
        assert_converged(server, local, expected)
        ok(current)
    except Exception as exc:  # noqa: BLE001
        print("FAIL %s: %s: %s" % (current, exc.__class__.__name__, exc))
        if not isinstance(exc, ScenarioFailure):
            traceback.print_exc(file=sys.stdout)
        return 1
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
        if cal is not None:
            try:
                cal.delete()
            except Exception as exc:  # noqa: BLE001
                print("warning: could not delete calendar %s: %s" % (cal.url, exc))
    print("vdirsyncer scenario passed")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))

#!/usr/bin/env python3
"""CalDAV benchmark: the Caldera local host, Radicale and Xandikos side by side in one run.

    python3 tests/bench/caldav_bench.py --quick          # 1,000 events (scaling 100 vs 1,000): ~7-10 minutes
    python3 tests/bench/caldav_bench.py                  # 10,000 events (scaling 1,000 vs 10,000): ~1 hour
    python3 tests/bench/caldav_bench.py --events 300 --duration 1 --cold-repeats 2   # smoke test, ~3 minutes
    python3 tests/bench/caldav_bench.py --quick --json out.json

Needs a Release build of the local host (`dotnet build functions/Caldera.LocalHost -c Release`), Azurite in
node_modules (`npm ci`), Debian's radicale, xandikos (with its python3-dulwich) and a python3 with requests.
Every server listens on 127.0.0.1 only and every request goes to 127.0.0.1. The times above are for a loaded
2-core machine; the first run of a size also spends ~1 minute (quick) or ~5 minutes (full) PUTting the events into
Caldera. Most of a full run is the peers: Radicale takes ~10 s or more per PROPFIND Depth 1 of 10,000 objects and
Xandikos ~25 s per multiget of 50 (it looks every href up with a walk over the whole collection).

Setup. calgen.py generates a seeded calendar ("big": --events, default 10,000, --quick 1,000) and one a tenth of
that size ("small", for the scaling section). The script runs its own Azurite (a data folder in a temporary
directory) and starts the local host on it with --storage, so the host alone can be restarted on the same data.
Caldera is loaded with PUTs (concurrency 4, retried on 409/503); the loaded Azurite data folder is then cached
under $TMPDIR/caldera-bench-cache keyed by (events, small, seed, the git trees of shared/Caldera.Storage and
shared/Caldera.Calendars plus their uncommitted changes: the code that decides what a PUT stores), so a rerun of
the same server code starts in seconds (--no-cache to always load). Radicale gets the events as files in its
storage folder; Xandikos as the git repository its MKCALENDAR + PUTs make (TreeGitStore, created with Xandikos'
own store code: the collection's config commit, then one commit of all files instead of one per PUT). Every
server's PROPFIND Depth 1 must then list exactly the loaded objects, else the run stops.

What it measures, in this order:
 1. cold: restart the server process on the same data (Azurite and the file system stay up and warm) and time its
    very first request: PROPFIND Depth 1, one-week calendar-query (getetag), calendar-multiget of 50; Caldera
    --cold-repeats times (default 5) with the storage calls of that one request, each peer --peer-cold-repeats
    times (default 2; 0 restarts only Caldera).
 2. memory: the host's RSS (VmRSS) right after a restart, after reading the big calendar once in full (PROPFIND
    Depth 1 + calendar-multiget of every href, 100 per request) and at the end.
 3. warm: after one PROPFIND Depth 1 on each server, each operation for --duration seconds (default 10, quick 3)
    per server, alternating servers operation by operation, with --concurrency client threads (default 1, each
    with a keep-alive requests.Session); at least 3 requests unless that takes 3x the duration, at most
    --max-requests, one more unmeasured warm-up request first: PROPFIND Depth 1 (getetag), calendar-multiget of 50
    (getetag + calendar-data), one-week calendar-query (getetag only), one-month calendar-query (calendar-data),
    GET, free-busy-query, sync-collection with the current token (empty delta), then (4), then sync-collection
    after 8 changes (5 updates, 2 new, 1 delete), and PUT (update) by two writers at once on the same calendar.
 4. first sync of a new device as Thunderbird does it: sync-collection from an empty <sync-token/> asking
    getcontenttype + getetag, then calendar-multiget (getetag + calendar-data) of every text/calendar href, 100 per
    request, one after another: total seconds and events/s (a server still busy after --first-sync-cap seconds,
    default 180, is stopped there and its total extrapolated).
 5. scaling: one-week query, multiget of 50, GET, sync-collection empty delta and the concurrent PUT on the small
    and on the big calendar; growth = p50(big) / p50(small).
 6. the machine: CPU count, load average at start and end, date; warnings, errors and 5xx in the servers' logs.
It prints req/s, p50 and p99 (ms, client side) per operation and server, Caldera / best peer for p50 (below 1
favours Caldera) and for req/s (above 1 favours Caldera), Caldera's storage calls per request (from its --verbose
request log), and the targets with PASS/MISS (they are set for a 10,000-event calendar).

Answers are checked: the number of <response> elements (GET: the UID) of each measured request must agree across
servers for the same request, known counts must hold (PROPFIND n+1, multiget 50, empty delta 0, the delta's 8
names, the first sync's n objects), and the hrefs of every query window are compared. When Caldera disagrees with
every peer (or with a known count) the report ends with "ANSWERS DIFFER" and the exit status is 1; a peer that
disagrees with Caldera gets a note and a * in the tables (Xandikos 0.2.8 leaves recurring events out of
time-range queries). Every request has a timeout (--timeout), every loop is bounded, every process the script
starts is stopped at exit (also on Ctrl-C, SIGTERM or an exception; the children also die with the script through
PR_SET_PDEATHSIG). Xandikos has no authentication; Radicale and Caldera check a password on every request.
"""
import argparse
import atexit
import ctypes
import hashlib
import json
import os
import queue
import random
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from datetime import datetime, timedelta

import requests

sys.dont_write_bytecode = True  # no __pycache__ in tests/bench
HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from calgen import SPAN_START, generate  # noqa: E402

REPO = os.path.abspath(os.path.join(HERE, "..", ".."))
DEFAULT_DLL = os.path.join(REPO, "functions", "Caldera.LocalHost", "bin", "Release", "net10.0", "Caldera.LocalHost.dll")
USER = "bench"
# Thunderbird's batch for calendar-multiget: CalDavMultigetSyncHandler.doMultiGet in comm-central
# calendar/providers/caldav/modules/CalDavRequestHandlers.sys.mjs reads the pref
# "calendar.caldav.multigetBatchSize" with default 100 and sends the batches one after another; its
# CalDavWebDavSyncHandler.doWebDAVSync sends <sync-token/> (empty on first sync), sync-level 1, Depth: 1 and asks
# getcontenttype + getetag; it fetches only hrefs whose getcontenttype starts with text/calendar.
THUNDERBIRD_MULTIGET_BATCH = 100
DELTA_CHANGES = 8  # 5 updates, 2 new objects, 1 delete

RESPONSE_RE = re.compile(rb"<(?:[A-Za-z][\w.-]*:)?response[\s>]")
HREF_RE = re.compile(rb"<(?:[A-Za-z][\w.-]*:)?href>([^<]+)</")
LOG_RE = re.compile(r"(\w+) (\S+) (\d{3}) in ([\d.]+) ms, storage calls (\d+) \(table (\d+), blob (\d+), queue (\d+)\)")
XML_HEADERS = {"Content-Type": "application/xml; charset=utf-8"}
ICS_HEADERS = {"Content-Type": "text/calendar; charset=utf-8"}
TIMEOUT = 300.0  # seconds per request (--timeout)

# Targets for a warm Caldera on a 10,000-event calendar (p50, ms), and the rest.
TARGETS_MS = {"propfind": 100, "multiget": 15, "query_week": 30, "query_month": 80, "get": 3, "sync_empty": 2, "put": 35}
TARGET_FIRST_SYNC_S = 3.0
TARGETS_COLD_MS = {"propfind": 1000, "query_week": 300, "multiget": 100}
TARGET_GROWTH = 1.5


def log(msg):
    print(msg, file=sys.stderr, flush=True)


class Fatal(Exception):
    pass


# --------------------------------------------------------------------------------------------- processes

_PROCS = []  # every Popen this script started and has not stopped yet


def _die_with_parent():
    try:  # PR_SET_PDEATHSIG = 1: the child gets SIGKILL if the bench dies, even by SIGKILL
        ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGKILL)
    except Exception:  # noqa: BLE001
        pass


def spawn(args, **kw):
    """Starts a process in its own session (Ctrl-C reaches only the bench, which stops it). Main thread only."""
    p = subprocess.Popen(args, start_new_session=True, preexec_fn=_die_with_parent, **kw)
    _PROCS.append(p)
    return p


def stop_proc(p, grace=30):
    if p is None:
        return
    try:
        if p.poll() is None:
            p.terminate()
            try:
                p.wait(grace)
            except subprocess.TimeoutExpired:
                p.kill()
                p.wait(10)
    finally:
        if p in _PROCS:
            _PROCS.remove(p)


def stop_all():
    for p in list(_PROCS):
        try:
            stop_proc(p, 10)
        except Exception:  # noqa: BLE001
            pass


atexit.register(stop_all)


def _on_sigterm(signum, frame):
    raise KeyboardInterrupt("signal %d" % signum)


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_port(port, proc, what, timeout=120):
    deadline = time.time() + timeout
    while time.time() < deadline:
        if proc.poll() is not None:
            raise Fatal("%s exited with code %s before listening" % (what, proc.returncode))
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return
        except OSError:
            time.sleep(0.05)
    raise Fatal("%s did not listen on 127.0.0.1:%d within %d s" % (what, port, timeout))


def rss_mb(pid):
    try:
        with open("/proc/%d/status" % pid) as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) / 1024.0
    except OSError:
        return None
    return None


def tail(path, n=3000):
    try:
        with open(path, "rb") as f:
            f.seek(max(0, os.path.getsize(path) - n))
            return f.read().decode("utf-8", "replace")
    except OSError:
        return ""


# --------------------------------------------------------------------------------------------- HTTP

class Client(requests.Session):
    """A keep-alive session whose every request has a timeout and ignores proxy settings (loopback only)."""

    def __init__(self, auth):
        super().__init__()
        self.auth = auth
        self.trust_env = False

    def request(self, method, url, **kw):
        if not url.startswith("http://127.0.0.1:"):
            raise Fatal("refusing a request to %s: only 127.0.0.1" % url)
        kw.setdefault("timeout", (10, TIMEOUT))
        return super().request(method, url, **kw)


# --------------------------------------------------------------------------------------------- servers

class Server:
    name = "?"

    def __init__(self, password):
        self.base = None
        self.password = password
        self.proc = None
        self.generation = 0  # bumped on every (re)start: thread-local sessions are then replaced
        self._local = threading.local()
        self.start_s = []  # seconds from spawn to ready, per start

    def session(self):
        s = getattr(self._local, "s", None)
        if s is None or self._local.gen != self.generation:
            if s is not None:
                s.close()
            s = self._local.s = Client((USER, self.password))
            self._local.gen = self.generation
        return s

    def new_session(self):
        return Client((USER, self.password))

    def url(self, path):
        return self.base + path

    def pid(self):
        return self.proc.pid if self.proc and self.proc.poll() is None else None

    def rss(self):
        pid = self.pid()
        return rss_mb(pid) if pid else None

    def restart(self):
        self.stop()
        self.start()

    def stop(self):
        stop_proc(self.proc)

    def start(self):
        raise NotImplementedError

    def cal_path(self, cal):
        raise NotImplementedError

    # storage-call accounting (Caldera only)
    def mark(self):
        return None

    def storage_calls_since(self, mark):
        return None

    def first_logged_request(self, mark):
        return None

    def log_findings(self):
        return 0, []


class Azurite:
    """Azurite from node_modules on free loopback ports with a data folder; restartable on the same folder."""
    ACCOUNT = "devstoreaccount1"
    KEY = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw=="  # Azurite's public dev key

    def __init__(self, script, location, logfile):
        self.script, self.location, self.logfile = script, location, logfile
        self.proc = None
        self.start()

    def start(self):
        os.makedirs(self.location, exist_ok=True)
        self.ports = [free_port(), free_port(), free_port()]
        args = ["node", self.script, "--silent", "--disableTelemetry", "--skipApiVersionCheck",
                "--blobHost", "127.0.0.1", "--queueHost", "127.0.0.1", "--tableHost", "127.0.0.1",
                "--blobPort", str(self.ports[0]), "--queuePort", str(self.ports[1]), "--tablePort", str(self.ports[2]),
                "--location", self.location]
        with open(self.logfile, "ab") as err:
            self.proc = spawn(args, stdout=subprocess.DEVNULL, stderr=err)
        for port in self.ports:
            wait_port(port, self.proc, "Azurite")

    def stop(self):
        stop_proc(self.proc, 60)  # SIGTERM: Azurite closes its servers and saves its databases

    @property
    def conn(self):
        b, q, t = self.ports
        return ("DefaultEndpointsProtocol=http;AccountName={a};AccountKey={k};BlobEndpoint=http://127.0.0.1:{b}/{a};"
                "QueueEndpoint=http://127.0.0.1:{q}/{a};TableEndpoint=http://127.0.0.1:{t}/{a};").format(
            a=self.ACCOUNT, k=self.KEY, b=b, q=q, t=t)


class Caldera(Server):
    name = "Caldera"

    def __init__(self, dll, conn, workdir, password, verbose):
        super().__init__(password)
        self.dll, self.conn, self.workdir, self.verbose = dll, conn, workdir, verbose
        self.logfile = os.path.join(workdir, "caldera.log")
        self.start()

    def start(self):
        args = ["dotnet", self.dll, "--port", "0", "--storage", self.conn, "--user", USER, "--password", self.password]
        if self.verbose:
            args.append("--verbose")
        t0 = time.perf_counter()
        with open(self.logfile, "ab") as err:
            self.proc = spawn(args, cwd=self.workdir, stdout=subprocess.PIPE, stderr=err, text=True)
        lines = queue.Queue()

        def pump(stream):  # keeps reading stdout for the life of the process
            for line in stream:
                lines.put(line)
            lines.put(None)

        threading.Thread(target=pump, args=(self.proc.stdout,), daemon=True).start()
        base, deadline = None, time.time() + 180
        while base is None and time.time() < deadline:
            try:
                line = lines.get(timeout=1)
            except queue.Empty:
                if self.proc.poll() is not None:
                    break
                continue
            if line is None:
                break
            if line.startswith("CALDERA_URL="):
                base = line.split("=", 1)[1].strip().rstrip("/")
        if base is None:
            code = self.proc.poll()
            self.stop()
            raise Fatal("Caldera did not start (exit code %s); end of its log %s:\n%s" % (code, self.logfile, tail(self.logfile)))
        self.base = base
        self.generation += 1
        self.start_s.append(time.perf_counter() - t0)

    def cal_path(self, cal):
        return "/calendars/%s/%s/" % (USER, cal)

    def mark(self):
        if not self.verbose:
            return None
        time.sleep(0.3)  # let the console logger flush earlier lines
        return os.path.getsize(self.logfile)

    def _rows_since(self, mark):
        with open(self.logfile, "rb") as f:
            f.seek(mark)
            text = f.read().decode("utf-8", "replace")
        return [(int(m.group(5)), int(m.group(6)), int(m.group(7)), float(m.group(4)), m.group(1), m.group(2))
                for m in LOG_RE.finditer(text)]

    def storage_calls_since(self, mark):
        if mark is None:
            return None
        time.sleep(0.5)
        rows = self._rows_since(mark)
        if not rows:
            return None
        n = len(rows)
        return {"requests": n, "calls": sum(r[0] for r in rows) / n, "table": sum(r[1] for r in rows) / n,
                "blob": sum(r[2] for r in rows) / n, "max": max(r[0] for r in rows),
                "server_p50_ms": pct(sorted(r[3] for r in rows), 50)}

    def first_logged_request(self, mark):
        if mark is None:
            return None
        deadline = time.time() + 5
        while time.time() < deadline:
            rows = self._rows_since(mark)
            if rows:
                r = rows[0]
                return {"calls": r[0], "table": r[1], "blob": r[2], "server_ms": r[3], "what": "%s %s" % (r[4], r[5])}
            time.sleep(0.1)
        return None

    def log_findings(self):  # warnings, errors, 5xx answers
        return scan_log(self.logfile, lambda l: l.startswith(("warn:", "fail:", "crit:")) or "Exception" in l
                        or bool(re.search(r" 5\d\d in [\d.]+ ms", l)))

    def stop(self):
        if self.proc is not None and self.proc.poll() is not None and self.proc.returncode not in (0, -15, 143):
            log("Caldera exited by itself with code %s; end of its log:\n%s" % (self.proc.returncode, tail(self.logfile)))
        super().stop()


def scan_log(path, bad_line):
    """(count, first distinct lines) of the lines of a server log that bad_line() flags."""
    found = []
    try:
        with open(path, "rb") as f:
            for raw in f:
                line = raw.decode("utf-8", "replace").rstrip()
                if bad_line(line):
                    found.append(line)
    except OSError:
        return 0, []
    distinct = []
    for line in found:
        key = re.sub(r"\d+", "N", line)[:120]
        if key not in [re.sub(r"\d+", "N", d)[:120] for d in distinct]:
            distinct.append(line[:200])
        if len(distinct) >= 3:
            break
    return len(found), distinct


def write_ics_files(folder, events):
    os.makedirs(folder, exist_ok=True)
    for name, ics in events:
        with open(os.path.join(folder, name), "w", newline="") as f:
            f.write(ics)


class Radicale(Server):
    name = "Radicale"

    def __init__(self, exe, password, workdir, calendars):
        """calendars: {name: [(file name, ics), ...]}, written into its folder storage before it starts."""
        super().__init__(password)
        self.exe = exe
        self.dir = os.path.join(workdir, "radicale")
        t0 = time.perf_counter()
        for cal, events in calendars.items():
            folder = os.path.join(self.dir, "collections", "collection-root", USER, cal)
            write_ics_files(folder, events)
            with open(os.path.join(folder, ".Radicale.props"), "w") as f:
                json.dump({"tag": "VCALENDAR", "D:displayname": cal, "C:supported-calendar-component-set": "VEVENT"}, f)
        self.preload_s = time.perf_counter() - t0
        with open(os.path.join(self.dir, "users"), "w") as f:
            f.write("%s:%s\n" % (USER, password))
        self.start()

    def start(self):
        port = free_port()
        cfg = os.path.join(self.dir, "config")
        with open(cfg, "w") as f:
            f.write("[server]\nhosts = 127.0.0.1:%d\n"
                    "[auth]\ntype = htpasswd\nhtpasswd_filename = %s\nhtpasswd_encryption = plain\ndelay = 0\n"
                    "[rights]\ntype = owner_only\n"
                    "[storage]\nfilesystem_folder = %s\n"
                    "[web]\ntype = none\n"
                    "[logging]\nlevel = warning\n" % (port, os.path.join(self.dir, "users"), os.path.join(self.dir, "collections")))
        t0 = time.perf_counter()
        with open(os.path.join(self.dir, "radicale.log"), "ab") as err:
            self.proc = spawn([self.exe, "--config", cfg], stdout=subprocess.DEVNULL, stderr=err)
        wait_port(port, self.proc, "Radicale")
        self.base = "http://127.0.0.1:%d" % port
        self.generation += 1
        self.start_s.append(time.perf_counter() - t0)

    def cal_path(self, cal):
        return "/%s/%s/" % (USER, cal)

    def log_findings(self):  # it logs at level warning: every line counts
        return scan_log(os.path.join(self.dir, "radicale.log"), lambda l: bool(l.strip()))


# Run with Xandikos' own interpreter (Debian's python3, which has xandikos and dulwich): turns a folder of .ics
# files into the non-bare git repository Xandikos' MKCALENDAR creates (TreeGitStore), with the collection type and
# display name committed in its .xandikos file as set_type/set_displayname do, then all objects in one commit.
XANDIKOS_PRELOAD = r"""
import os, sys
import dulwich.repo
from xandikos.store import STORE_TYPE_CALENDAR
from xandikos.store.git import TreeGitStore
path, displayname = sys.argv[1], sys.argv[2]
store = TreeGitStore(dulwich.repo.Repo.init(path))
store.set_type(STORE_TYPE_CALENDAR)
store.set_displayname(displayname)
names = sorted(n for n in os.listdir(path) if n.endswith(".ics"))
store.repo.stage(names)
store.repo.do_commit(("bench preload: %d objects" % len(names)).encode(), committer=b"bench <bench@127.0.0.1>")
print(len(names))
"""


class Xandikos(Server):
    name = "Xandikos"

    def __init__(self, exe, password, workdir, calendars):
        super().__init__(password)
        self.exe = exe
        self.dir = os.path.join(workdir, "xandikos")
        self.root = os.path.join(self.dir, "root")
        with open(exe) as f:
            first = f.readline()
        interp = first[2:].strip().split()[0] if first.startswith("#!") else "/usr/bin/python3"
        t0 = time.perf_counter()
        for cal, events in calendars.items():
            folder = os.path.join(self.root, USER, cal)
            write_ics_files(folder, events)
            out = subprocess.run([interp, "-c", XANDIKOS_PRELOAD, folder, cal], capture_output=True, text=True, timeout=1800)
            if out.returncode != 0 or out.stdout.strip() != str(len(events)):
                raise Fatal("Xandikos preload of %s failed: %s %s" % (cal, out.stdout[-500:], out.stderr[-2000:]))
        self.preload_s = time.perf_counter() - t0
        self.start()

    def start(self):
        port = free_port()
        t0 = time.perf_counter()
        with open(os.path.join(self.dir, "xandikos.log"), "ab") as err:  # it logs every request at INFO
            self.proc = spawn([self.exe, "-d", self.root, "-l", "127.0.0.1", "-p", str(port),
                               "--current-user-principal", "/%s/" % USER], stdout=subprocess.DEVNULL, stderr=err)
        wait_port(port, self.proc, "Xandikos")
        self.base = "http://127.0.0.1:%d" % port
        self.generation += 1
        self.start_s.append(time.perf_counter() - t0)

    def cal_path(self, cal):
        return "/%s/%s/" % (USER, cal)

    def log_findings(self):
        return scan_log(os.path.join(self.dir, "xandikos.log"), lambda l: (
            l.startswith(("WARNING", "ERROR", "CRITICAL", "Traceback")) and "aiohttp-openmetrics" not in l)
            or bool(re.search(r'" 5\d\d ', l)))


# --------------------------------------------------------------------------------------------- loading Caldera

MKCALENDAR_BODY = """<?xml version="1.0" encoding="utf-8"?>
<C:mkcalendar xmlns:D="DAV:" xmlns:C="urn:ietf:params:xml:ns:caldav">
  <D:set><D:prop><D:displayname>%s</D:displayname>
    <C:supported-calendar-component-set><C:comp name="VEVENT"/></C:supported-calendar-component-set>
  </D:prop></D:set>
</C:mkcalendar>"""


def run_parallel(n_items, concurrency, fn):
    """Calls fn(i) for i in range(n_items) on `concurrency` threads; returns the exceptions raised (stops after 20)."""
    lock, nxt, errors = threading.Lock(), [0], []

    def worker():
        while True:
            with lock:
                i = nxt[0]
                nxt[0] += 1
                if i >= n_items or len(errors) >= 20:
                    return
            try:
                fn(i)
            except Exception as e:  # noqa: BLE001
                with lock:
                    errors.append(e)

    threads = [threading.Thread(target=worker, daemon=True) for _ in range(concurrency)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return errors


def load_calendar(server, cal, events, concurrency):
    path = server.cal_path(cal)
    r = server.session().request("MKCALENDAR", server.url(path), data=MKCALENDAR_BODY % cal, headers=XML_HEADERS)
    if r.status_code != 201:
        raise Fatal("%s MKCALENDAR %s: %d %s" % (server.name, path, r.status_code, r.text[:300]))
    retries = [0]

    def put(i):
        name, ics = events[i]
        for attempt in range(6):
            r = server.session().put(server.url(path + name), data=ics.encode(), headers=dict(ICS_HEADERS, **{"If-None-Match": "*"}))
            if r.status_code not in (409, 503):
                break
            retries[0] += 1  # Caldera answers 409 "try again" when concurrent writes to one calendar collide
            time.sleep(0.05 * (attempt + 1))
        if r.status_code not in (200, 201, 204):
            raise Fatal("%s PUT %s: %d %s" % (server.name, name, r.status_code, r.text[:300]))

    t0 = time.perf_counter()
    errors = run_parallel(len(events), concurrency, put)
    elapsed = time.perf_counter() - t0
    if errors:
        raise Fatal("%d PUTs failed on %s, first: %s" % (len(errors), server.name, errors[0]))
    log("  %s: PUT %d events into %s in %.1f s (%.0f PUT/s at concurrency %d, %d retried after 409/503)"
        % (server.name, len(events), cal, elapsed, len(events) / elapsed, concurrency, retries[0]))
    return {"seconds": elapsed, "retries": retries[0]}


def git_out(root, *args):
    return subprocess.run(["git", "-C", root] + list(args), capture_output=True, text=True, timeout=60).stdout.strip()


def repo_root_of(path):
    d = os.path.dirname(os.path.abspath(path))
    while d != os.path.dirname(d):
        if os.path.exists(os.path.join(d, ".git")):
            return d
        d = os.path.dirname(d)
    return None


def caldera_revision(root):
    if not root:
        return "?"
    rev = git_out(root, "rev-parse", "--short", "HEAD")
    dirty = git_out(root, "status", "--porcelain", "-uno", "--", "shared", "functions")
    return rev + ("+uncommitted" if dirty else "")


def cache_key(root, events_n, small_n, seed):
    """(events, small, seed, the server code that decides what a PUT stores); None when not in a git checkout."""
    if not root:
        return None
    paths = ["shared/Caldera.Storage", "shared/Caldera.Calendars"]
    trees = [git_out(root, "rev-parse", "HEAD:" + p) for p in paths]
    if not all(trees):
        return None
    h = hashlib.sha1()
    for t in trees:
        h.update(t.encode())
    h.update(git_out(root, "diff", "HEAD", "--", *paths).encode())
    for line in git_out(root, "status", "--porcelain", "--", *paths).splitlines():
        if line.startswith("??"):  # untracked files count by content
            p = os.path.join(root, line[3:])
            for dirpath, _, files in os.walk(p) if os.path.isdir(p) else [(os.path.dirname(p), [], [os.path.basename(p)])]:
                for fn in sorted(files):
                    with open(os.path.join(dirpath, fn), "rb") as f:
                        h.update(f.read())
    return "n%d-s%d-seed%d-%s" % (events_n, small_n, seed, h.hexdigest()[:12])


def start_caldera(a, dll, workdir, azurite_script, big, small):
    """Starts Azurite + the host; returns (azurite, caldera, load_thread_or_None, state)."""
    data = os.path.join(workdir, "azurite")
    root = repo_root_of(a.caldera_dll)
    key = None if a.no_cache else cache_key(root, len(big), len(small), a.seed)
    state = {"cache_key": key, "cache_dir": os.path.join(a.cache_dir, key) if key else None, "from_cache": False}
    cache = state["cache_dir"]
    if cache and os.path.exists(os.path.join(cache, "complete")):
        t0 = time.perf_counter()
        shutil.copytree(os.path.join(cache, "azurite"), data)
        with open(os.path.join(cache, "password")) as f:
            password = f.read().strip()
        state.update(from_cache=True, copy_s=time.perf_counter() - t0)
        log("  Caldera: Azurite data from the cache %s (copied in %.1f s)" % (cache, state["copy_s"]))
    else:
        password = secrets.token_urlsafe(18)
    az = Azurite(azurite_script, data, os.path.join(workdir, "azurite.log"))
    caldera = Caldera(dll, az.conn, workdir, password, not a.no_storage_log)
    loader = None
    if not state["from_cache"]:
        result = {}

        def load():
            try:
                result["big"] = load_calendar(caldera, "big", big, a.load_concurrency)
                result["small"] = load_calendar(caldera, "small", small, a.load_concurrency)
            except Exception as e:  # noqa: BLE001
                result["error"] = e

        loader = threading.Thread(target=load, daemon=True)
        loader.start()
        state["load"] = result
    return az, caldera, loader, state


def save_cache(a, az, caldera, state):
    """Stops host and Azurite (which saves its databases), copies the data folder into the cache, restarts both."""
    cache = state["cache_dir"]
    caldera.stop()
    az.stop()
    try:
        os.makedirs(a.cache_dir, exist_ok=True)
        # keep the 3 newest other entries
        entries = sorted((os.path.join(a.cache_dir, e) for e in os.listdir(a.cache_dir)), key=os.path.getmtime)
        for old in entries[:-3]:
            shutil.rmtree(old, ignore_errors=True)
        tmp = cache + ".tmp-%d" % os.getpid()
        shutil.rmtree(tmp, ignore_errors=True)
        shutil.copytree(az.location, os.path.join(tmp, "azurite"))
        with open(os.path.join(tmp, "password"), "w") as f:
            f.write(caldera.password)
        with open(os.path.join(tmp, "complete"), "w") as f:
            f.write(datetime.now().isoformat())
        shutil.rmtree(cache, ignore_errors=True)
        os.rename(tmp, cache)
        log("  Caldera: saved the loaded Azurite data to %s" % cache)
    except OSError as e:
        log("  Caldera: could not save the cache: %s" % e)
    az.start()
    caldera.conn = az.conn
    caldera.start()


# --------------------------------------------------------------------------------------------- requests

def utc(dt):
    return dt.strftime("%Y%m%dT%H%M%SZ")


PROPFIND_ETAG = """<?xml version="1.0" encoding="utf-8"?>
<D:propfind xmlns:D="DAV:"><D:prop><D:getetag/></D:prop></D:propfind>"""


def multiget_body(hrefs):
    return ("""<?xml version="1.0" encoding="utf-8"?>
<C:calendar-multiget xmlns:D="DAV:" xmlns:C="urn:ietf:params:xml:ns:caldav">
  <D:prop><D:getetag/><C:calendar-data/></D:prop>
""" + "".join("  <D:href>%s</D:href>\n" % h for h in hrefs) + "</C:calendar-multiget>")


def query_body(start, end, data=True):
    return """<?xml version="1.0" encoding="utf-8"?>
<C:calendar-query xmlns:D="DAV:" xmlns:C="urn:ietf:params:xml:ns:caldav">
  <D:prop><D:getetag/>%s</D:prop>
  <C:filter><C:comp-filter name="VCALENDAR"><C:comp-filter name="VEVENT">
    <C:time-range start="%s" end="%s"/>
  </C:comp-filter></C:comp-filter></C:filter>
</C:calendar-query>""" % ("<C:calendar-data/>" if data else "", utc(start), utc(end))


def freebusy_body(start, end):
    return """<?xml version="1.0" encoding="utf-8"?>
<C:free-busy-query xmlns:C="urn:ietf:params:xml:ns:caldav"><C:time-range start="%s" end="%s"/></C:free-busy-query>""" % (
        utc(start), utc(end))


def sync_body(token):
    return """<?xml version="1.0" encoding="utf-8"?>
<D:sync-collection xmlns:D="DAV:"><D:sync-token>%s</D:sync-token><D:sync-level>1</D:sync-level>
<D:prop><D:getetag/></D:prop></D:sync-collection>""" % token


# What Thunderbird sends on the first sync of a calendar (CalDavWebDavSyncHandler.doWebDAVSync, see above).
THUNDERBIRD_SYNC = ('<?xml version="1.0" encoding="UTF-8"?>\n<sync-collection xmlns="DAV:"><sync-token/>'
                    "<sync-level>1</sync-level><prop><getcontenttype/><getetag/></prop></sync-collection>")
THUNDERBIRD_HEADERS = {"Content-Type": "text/xml; charset=utf-8", "Depth": "1"}


def get_sync_token(server, path):
    r = server.session().request("PROPFIND", server.url(path), headers=dict(XML_HEADERS, Depth="0"),
                                 data='<?xml version="1.0"?><D:propfind xmlns:D="DAV:"><D:prop><D:sync-token/></D:prop></D:propfind>')
    m = re.search(r"<(?:[\w.-]+:)?sync-token>([^<]+)</", r.text)
    if not m:
        raise Fatal("%s: no sync-token on %s: %d %s" % (server.name, path, r.status_code, r.text[:300]))
    return m.group(1).strip()


def count_responses(status, content):
    return len(RESPONSE_RE.findall(content))


def hrefs_of(content):
    return [h.decode("utf-8", "replace") for h in HREF_RE.findall(content)]


def basenames(content):
    return sorted({h.rstrip("/").rsplit("/", 1)[-1] for h in hrefs_of(content) if not h.endswith("/")})


def uid_of(status, content):
    m = re.search(rb"\nUID:([^\r\n]+)", content)
    return (status, m.group(1).decode() if m else None)


class Op:
    """build(i) -> (method, path, headers, body, ok_statuses); answer(status, content) -> a value that must agree
    across servers for the same i (None: not compared); expect: the answer every request must give."""

    def __init__(self, key, title, build, answer=count_responses, expect=None, writers=None, prepare=None,
                 content_type=None):
        self.key, self.title, self.build, self.answer, self.expect = key, title, build, answer, expect
        self.writers = writers  # fixed number of client threads (the concurrent PUT: 2)
        self.prepare = prepare  # called once before the warm-up (e.g. to read the current sync token)
        self.content_type = content_type  # the answer must have it, else the operation counts as unsupported


def measure(server, op, duration, max_requests, concurrency, min_requests=3, warmup=1):
    """Runs op for `duration` seconds (at least min_requests unless that takes 3x duration; at most max_requests)."""
    if op.prepare:
        op.prepare()
    sess0 = server.session()
    for w in range(warmup):
        method, path, headers, body, ok = op.build(-1 - w)
        try:
            r = sess0.request(method, server.url(path), headers=headers, data=body)
        except requests.RequestException as e:
            return {"error": "warm-up request failed: %s: %s" % (type(e).__name__, e), "status": None}
        ctype = r.headers.get("Content-Type", "")
        if r.status_code not in ok or (op.content_type and op.content_type not in ctype
                                       and not r.content.lstrip().startswith(b"BEGIN:VCALENDAR")):
            return {"error": "HTTP %d %s: %s" % (r.status_code, ctype, r.text[:300].replace("\n", " ")), "status": r.status_code}
        warm_ctype = ctype
    mark = server.mark()
    lock = threading.Lock()
    threads_n = op.writers or concurrency
    st = {"started": 0, "lat": [], "bad": [], "responses": 0, "bytes": 0, "answers": {}, "exc": [],
          "per_thread": [[] for _ in range(threads_n)]}
    t0 = time.perf_counter()

    def worker(k):
        sess = server.session()
        while True:
            with lock:
                elapsed = time.perf_counter() - t0
                if st["started"] >= max_requests or st["exc"] or (
                        elapsed >= duration and (st["started"] >= min_requests or elapsed >= 3 * duration)):
                    return
                i = st["started"]
                st["started"] += 1
            method, path, headers, body, ok = op.build(i)
            s = time.perf_counter()
            try:
                r = sess.request(method, server.url(path), headers=headers, data=body)
                content = r.content
            except Exception as e:  # noqa: BLE001  (timeouts, refused connections: reported, never retried)
                with lock:
                    st["exc"].append("%s: %s" % (type(e).__name__, e))
                return
            lat = time.perf_counter() - s
            with lock:
                st["lat"].append(lat)
                st["per_thread"][k].append(lat)
                st["bytes"] += len(content)
                st["responses"] += len(RESPONSE_RE.findall(content))
                st["answers"][i] = op.answer(r.status_code, content) if op.answer else None
                if r.status_code not in ok:
                    st["bad"].append(r.status_code)

    threads = [threading.Thread(target=worker, args=(k,), daemon=True) for k in range(threads_n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    wall = time.perf_counter() - t0
    lat = sorted(st["lat"])
    n = len(lat)
    if n == 0:
        return {"error": "no request completed: %s" % (st["exc"][:1] or "?"), "status": None}
    res = {"n": n, "wall_s": wall, "rps": n / wall, "p50_ms": 1000 * pct(lat, 50), "p99_ms": 1000 * pct(lat, 99),
           "mean_ms": 1000 * sum(lat) / n, "errors": len(st["bad"]), "responses_per_req": st["responses"] / n,
           "kb_per_req": st["bytes"] / n / 1024, "answers": st["answers"], "threads": threads_n}
    if threads_n > 1:
        res["p50_per_thread_ms"] = [1000 * pct(sorted(x), 50) if x else None for x in st["per_thread"]]
    if op.content_type and warmup and op.content_type not in warm_ctype:
        res["content_type"] = warm_ctype  # the right body with another Content-Type
    if st["bad"]:
        res["error_statuses"] = sorted(set(st["bad"]))
    if st["exc"]:
        res["exceptions"] = st["exc"][:3]
    sc = server.storage_calls_since(mark)
    if sc:
        res["storage"] = sc
    return res


def pct(sorted_values, p):
    """Nearest-rank percentile."""
    if not sorted_values:
        return float("nan")
    k = max(0, min(len(sorted_values) - 1, int(-(-p * len(sorted_values) // 100)) - 1))
    return sorted_values[k]


# --------------------------------------------------------------------------------------------- checks

class Checks:
    """Answer checks. `fatal`: Caldera disagrees with every peer, or with a known answer; `notes`: a peer disagrees
    with Caldera (or with a known answer). Disagreements over many requests of one kind are summed up in one line."""

    def __init__(self):
        self.fatal, self.notes, self.count = [], [], 0
        self.flags = set()  # (group, server) whose answers differed from Caldera's: marked * in the tables
        self._groups = {}  # (group, who) -> [count, total, first example]
        self._totals = {}

    def _add(self, server, text):
        (self.fatal if server == "Caldera" else self.notes).append(text)

    def expect(self, what, server, got, want):
        self.count += 1
        if got != want:
            self._add(server, "%s, %s: %s, expected %s" % (what, server, short(got), short(want)))

    def problem(self, server, text):
        self.count += 1
        self._add(server, text)

    def agree(self, group, what, answers):
        """answers: {server: value}. Caldera must agree with at least one peer; the peers that disagree with
        Caldera get a note. Counted per group (e.g. an operation), reported by summary()."""
        answers = {k: v for k, v in answers.items() if v is not None}
        if len(answers) < 2:
            return
        self.count += 1
        self._totals[group] = self._totals.get(group, 0) + 1
        values = list(answers.values())
        if all(v == values[0] for v in values):
            return
        example = "%s: %s" % (what, "; ".join("%s %s" % (k, short(v, 60)) for k, v in answers.items()))
        c = answers.get("Caldera")
        peers = {k: v for k, v in answers.items() if k != "Caldera"}
        if c is None:
            who = [k for k in peers]
        elif all(c != v for v in peers.values()):
            who = ["Caldera"]
        else:
            who = [k for k, v in peers.items() if v != c]
        for w in who:
            g = self._groups.setdefault((group, w), [0, example])
            g[0] += 1
            if w != "Caldera":
                self.flags.add((group, w))
            else:
                self.flags.update((group, k) for k in peers)

    def per_request(self, group, title, per_server):
        """Compares the answers of measured requests with the same index across servers."""
        answers = {n: r.get("answers") for n, r in per_server.items() if isinstance(r, dict) and r.get("answers")}
        if len(answers) < 2:
            return
        for i in sorted(set.intersection(*(set(a) for a in answers.values()))):
            self.agree(group, "%s, request %d" % (title, i), {n: a[i] for n, a in answers.items()})

    def summary(self):
        """Turns the grouped disagreements into fatal lines and notes (once, before the report)."""
        for (group, who), (count, example) in sorted(self._groups.items()):
            total = self._totals.get(group, count)
            if who == "Caldera":
                self.fatal.append("%s: Caldera differs from every peer on %d of %d (first: %s)" % (group, count, total, example))
            else:
                self.notes.append("%s: %s differs from Caldera on %d of %d (first: %s)" % (group, who, count, total, example))
        self._groups = {}


def short(v, n=160):
    s = str(v)
    return s if len(s) <= n else s[:n] + "..."


# --------------------------------------------------------------------------------------------- operations

def make_ops(server, cal, names, events, week_starts, month_starts, seed, tag, multiget_n=50):
    """The operations on one calendar of one server. events: what was loaded; names: the objects that reads and
    PUTs use (all but the one the sync delta step deletes, so every server keeps the same set of objects)."""
    path = server.cal_path(cal)
    depth1 = dict(XML_HEADERS, Depth="1")
    state = {}
    loaded = len(events)
    keep = set(names)
    events = [e for e in events if e[0] in keep]
    order = list(range(len(events)))
    random.Random(seed).shuffle(order)

    def multiget(i):
        rng = random.Random(i)
        return ("REPORT", path, depth1, multiget_body([path + n for n in rng.sample(names, multiget_n)]), (207,))

    def week(i):
        w = week_starts[i % len(week_starts)]
        return ("REPORT", path, depth1, query_body(w, w + timedelta(days=7), data=False), (207,))

    def month(i):
        m = month_starts[i % len(month_starts)]
        return ("REPORT", path, depth1, query_body(m, next_month(m)), (207,))

    def freebusy(i):
        w = week_starts[i % len(week_starts)]
        return ("REPORT", path, depth1, freebusy_body(w, w + timedelta(days=7)), (200,))

    def get(i):
        return ("GET", path + names[random.Random(1000 + i).randrange(len(names))], {}, None, (200,))

    def read_token():
        state["token"] = get_sync_token(server, path)

    def sync_empty(i):
        return ("REPORT", path, depth1, sync_body(state["token"]), (207,))

    def put(i):  # distinct objects in a seeded order; i < 0 (warm-up) uses the last one
        name, ics = events[order[i % len(order)]]
        return ("PUT", path + name, ICS_HEADERS,
                ics.replace("SUMMARY:", "SUMMARY:%s %d " % (tag, i), 1).encode(), (200, 201, 204))

    return {
        "propfind": Op("propfind", "PROPFIND Depth 1 (getetag)", lambda i: ("PROPFIND", path, depth1, PROPFIND_ETAG, (207,)),
                       expect=loaded + 1),  # read before the delta step changes the calendar
        "multiget": Op("multiget", "calendar-multiget of %d" % multiget_n, multiget, expect=multiget_n),
        "query_week": Op("query_week", "calendar-query week (getetag)", week),
        "query_month": Op("query_month", "calendar-query month (data)", month),
        "get": Op("get", "GET one object", get, answer=uid_of),
        "freebusy": Op("freebusy", "free-busy-query one week", freebusy, answer=None, content_type="text/calendar"),
        "sync_empty": Op("sync_empty", "sync-collection, empty delta", sync_empty, expect=0, prepare=read_token),
        "put": Op("put", "PUT update, 2 writers at once", put, answer=None, writers=2),
    }


def next_month(m):
    return datetime(m.year + (m.month // 12), m.month % 12 + 1, 1)


def first_sync(server, path, batch, cap_s):
    """Thunderbird's first sync of a calendar: sync-collection from an empty token, then multiget batches; stops
    after cap_s seconds (Xandikos needs over an hour for 10,000 objects) and then extrapolates the total."""
    sess = server.new_session()
    mark = server.mark()
    t0 = time.perf_counter()
    r = sess.request("REPORT", server.url(path), headers=THUNDERBIRD_HEADERS, data=THUNDERBIRD_SYNC)
    content = r.content
    t_sync = time.perf_counter() - t0
    if r.status_code != 207:
        return {"error": "sync-collection: HTTP %d %s" % (r.status_code, r.text[:300])}
    items = []
    for block in RESPONSE_RE.split(content)[1:]:
        h = HREF_RE.search(block)
        ctype = re.search(rb"getcontenttype>([^<]*)<", block)
        etag = re.search(rb"getetag>([^<]*)<", block)
        if not h:
            continue
        href = h.group(1).decode()
        ct = ctype.group(1).decode().strip() if ctype else ""
        if (not ct or ct == "text/plain") and href.endswith(".ics"):  # Thunderbird's workaround, kept
            ct = "text/calendar"
        if ct.startswith("text/calendar") and etag and etag.group(1).strip():
            items.append(re.sub(r"^https?://[^/]+", "", href))
    hrefs = len(items)
    requests_n, fetched, bad, stopped = 1, 0, [], False
    while items:
        if time.perf_counter() - t0 > cap_s:
            stopped = True
            break
        chunk = [items.pop() for _ in range(min(batch, len(items)))]  # Thunderbird pops from the end
        r = sess.request("REPORT", server.url(path), headers=THUNDERBIRD_HEADERS, data=multiget_body(chunk))
        requests_n += 1
        got = r.content.count(b"BEGIN:VCALENDAR")
        if r.status_code != 207 or got != len(chunk):
            bad.append("HTTP %d, %d of %d objects" % (r.status_code, got, len(chunk)))
        fetched += got
    total = time.perf_counter() - t0
    res = {"seconds": total, "sync_s": t_sync, "hrefs": hrefs, "fetched": fetched, "requests": requests_n,
           "events_per_s": fetched / total if total else None, "bad_batches": bad[:3], "stopped": stopped}
    if stopped and fetched:
        res["extrapolated_s"] = t_sync + (total - t_sync) * hrefs / fetched
    if mark is not None:
        time.sleep(0.5)
        rows = server._rows_since(mark)
        res["storage_calls_total"] = sum(x[0] for x in rows)
        res["storage_calls_sync"] = rows[0][0] if rows else None
    return res


def read_in_full(server, path, batch):
    """PROPFIND Depth 1, then a multiget of every href; returns the number of objects read."""
    sess = server.session()
    r = sess.request("PROPFIND", server.url(path), headers=dict(XML_HEADERS, Depth="1"), data=PROPFIND_ETAG)
    if r.status_code != 207:
        raise Fatal("%s PROPFIND %s: HTTP %d" % (server.name, path, r.status_code))
    hrefs = [h for h in hrefs_of(r.content) if not h.endswith("/")]
    got = 0
    for k in range(0, len(hrefs), batch):
        r = sess.request("REPORT", server.url(path), headers=dict(XML_HEADERS, Depth="1"), data=multiget_body(hrefs[k:k + batch]))
        got += r.content.count(b"BEGIN:VCALENDAR")
    return len(hrefs), got


# --------------------------------------------------------------------------------------------- the run

def main():
    global TIMEOUT
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--quick", action="store_true", help="1,000 events, scaling 100 vs 1,000, 3 s per operation")
    ap.add_argument("--events", type=int, help="events in the big calendar (default 10000, quick 1000)")
    ap.add_argument("--small", type=int, help="events in the small calendar for the scaling section (default events/10)")
    ap.add_argument("--duration", type=float, help="seconds per operation and server (default 10, quick 3)")
    ap.add_argument("--max-requests", type=int, default=2000, help="cap of requests per operation and server")
    ap.add_argument("--concurrency", type=int, default=1, help="client threads for the read operations (default 1)")
    ap.add_argument("--cold-repeats", type=int, default=5, help="restarts per cold operation (default 5)")
    ap.add_argument("--peer-cold-repeats", type=int, default=2,
                    help="restarts per cold operation for Radicale and Xandikos (default 2; 0 = only Caldera is restarted)")
    ap.add_argument("--first-sync-cap", type=float, default=180,
                    help="stop a server's first sync after this many seconds and extrapolate (default 180)")
    ap.add_argument("--load-concurrency", type=int, default=4, help="client threads while loading Caldera (default 4)")
    ap.add_argument("--seed", type=int, default=42)
    ap.add_argument("--timeout", type=float, default=300, help="seconds per request before it counts as failed (default 300)")
    ap.add_argument("--caldera-dll", default=DEFAULT_DLL, help="built Caldera.LocalHost.dll (dotnet build -c Release first)")
    ap.add_argument("--no-snapshot", action="store_true", help="run the dll in place instead of a private copy")
    ap.add_argument("--no-storage-log", action="store_true", help="run Caldera without --verbose (no storage-call counts)")
    ap.add_argument("--azurite", help="azurite.js (default: node_modules/azurite/dist/src/azurite.js above the repository)")
    ap.add_argument("--cache-dir", default=os.path.join(tempfile.gettempdir(), "caldera-bench-cache"),
                    help="where loaded Caldera data is cached (default $TMPDIR/caldera-bench-cache)")
    ap.add_argument("--no-cache", action="store_true", help="always load Caldera over HTTP (and do not save a cache)")
    ap.add_argument("--radicale", default=shutil.which("radicale") or "/usr/bin/radicale")
    ap.add_argument("--xandikos", default=shutil.which("xandikos") or "/usr/bin/xandikos")
    ap.add_argument("--skip-radicale", action="store_true")
    ap.add_argument("--skip-xandikos", action="store_true")
    ap.add_argument("--keep", action="store_true", help="keep the temporary folder (server data and logs)")
    ap.add_argument("--json", help="also write the results to this file")
    a = ap.parse_args()
    TIMEOUT = a.timeout
    events_n = a.events or (1000 if a.quick else 10000)
    small_n = a.small or max(10, events_n // 10)
    duration = a.duration or (3.0 if a.quick else 10.0)
    signal.signal(signal.SIGTERM, _on_sigterm)

    started = time.time()
    info = {"argv": sys.argv[1:], "events": events_n, "small": small_n, "duration_s": duration, "concurrency": a.concurrency,
            "cold_repeats": a.cold_repeats, "peer_cold_repeats": a.peer_cold_repeats, "load_concurrency": a.load_concurrency, "seed": a.seed, "cpus": os.cpu_count(),
            "loadavg_start": os.getloadavg(), "time": datetime.now().isoformat(timespec="seconds"),
            "caldera_rev": caldera_revision(repo_root_of(a.caldera_dll)),
            "caldera_dll_built": datetime.fromtimestamp(os.path.getmtime(a.caldera_dll)).isoformat(timespec="minutes")
            if os.path.exists(a.caldera_dll) else None,
            "multiget_batch": THUNDERBIRD_MULTIGET_BATCH}
    log("bench: %d events (small %d), %.0f s per operation, %d CPUs, load average %.1f/%.1f/%.1f"
        % (events_n, small_n, duration, os.cpu_count(), *os.getloadavg()))
    if not os.path.exists(a.caldera_dll):
        sys.exit("no %s: run `dotnet build functions/Caldera.LocalHost -c Release` first" % a.caldera_dll)
    azurite_script = a.azurite or find_azurite()
    if not azurite_script:
        sys.exit("no node_modules/azurite: run `npm ci` in the repository")

    t = time.perf_counter()
    big = generate(events_n, a.seed)
    small = generate(small_n, a.seed + 1)
    log("generated %d + %d events in %.1f s" % (events_n, small_n, time.perf_counter() - t))

    workdir = tempfile.mkdtemp(prefix="caldav-bench-")
    servers, az, checks, results = [], None, Checks(), {}
    exit_code = 0
    try:
        dll = a.caldera_dll
        if not a.no_snapshot:  # a private copy of the build: a concurrent rebuild cannot swap binaries mid-run
            dst = os.path.join(workdir, "bin")
            shutil.copytree(os.path.dirname(os.path.abspath(dll)), dst)
            dll = os.path.join(dst, os.path.basename(dll))
        log("starting Azurite and Caldera ...")
        az, caldera, loader, load_state = start_caldera(a, dll, workdir, azurite_script, big, small)
        servers.append(caldera)
        password = caldera.password
        peers = []
        if not a.skip_radicale:
            log("starting Radicale (events written as files) ...")
            peers.append(Radicale(a.radicale, password, workdir, {"big": big, "small": small}))
        if not a.skip_xandikos:
            log("starting Xandikos (events committed with its git store) ...")
            peers.append(Xandikos(a.xandikos, password, workdir, {"big": big, "small": small}))
        for p in peers:
            log("  %s: preloaded in %.1f s, at %s" % (p.name, p.preload_s, p.base))
        servers.extend(peers)
        if loader is not None:
            log("  waiting for Caldera's load ...")
            loader.join()
            if "error" in load_state["load"]:
                raise load_state["load"]["error"]
            if load_state["cache_dir"]:
                save_cache(a, az, caldera, load_state)
        info["load"] = {"caldera": {k: v for k, v in load_state.items() if k != "load"},
                        "caldera_put": load_state.get("load"), "peers": {p.name: p.preload_s for p in peers}}
        info["versions"] = {"Radicale": version_of([a.radicale, "--version"]) if not a.skip_radicale else None,
                            "Xandikos": version_of([a.xandikos, "--version"]) if not a.skip_xandikos else None}
        results = run(servers, caldera, big, small, a, duration, checks, info)
        checks.summary()
    except KeyboardInterrupt:
        log("interrupted: stopping the servers")
        exit_code = 130
    except Fatal as e:
        log("FATAL: %s" % e)
        exit_code = 2
    finally:
        info["caldera_rss_end_mb"] = servers[0].rss() if servers else None
        info["log_findings"] = {s.name: s.log_findings() for s in servers}
        info["peer_rss_end_mb"] = {s.name: s.rss() for s in servers[1:]}
        info["azurite_rss_end_mb"] = rss_mb(az.proc.pid) if az and az.proc and az.proc.poll() is None else None
        for s in servers:
            try:
                s.stop()
            except Exception:  # noqa: BLE001
                pass
        if az:
            az.stop()
        stop_all()
        if a.keep:
            log("kept %s" % workdir)
        else:
            shutil.rmtree(workdir, ignore_errors=True)
    if exit_code:
        sys.exit(exit_code)
    info["loadavg_end"] = os.getloadavg()
    info["wall_s"] = time.time() - started
    report(results, info, [s.name for s in servers], checks)
    if a.json:
        with open(a.json, "w") as f:
            json.dump({"info": info, "results": strip_answers(results),
                       "checks": {"count": checks.count, "fatal": checks.fatal, "notes": checks.notes}}, f, indent=1, default=str)
    if checks.fatal:
        sys.exit(1)


def find_azurite():
    for start in (REPO, os.getcwd()):
        d = start
        while True:
            p = os.path.join(d, "node_modules", "azurite", "dist", "src", "azurite.js")
            if os.path.exists(p):
                return p
            if d == os.path.dirname(d):
                break
            d = os.path.dirname(d)
    return None


def version_of(cmd):
    try:
        out = subprocess.run(cmd, capture_output=True, text=True, timeout=60)
        return (out.stdout or out.stderr).strip().split()[-1]
    except Exception:  # noqa: BLE001
        return "?"


def strip_answers(x):
    if isinstance(x, dict):
        return {k: strip_answers(v) for k, v in x.items() if k != "answers"}
    if isinstance(x, list):
        return [strip_answers(v) for v in x]
    return x


def run(servers, caldera, big, small, a, duration, checks, info):
    results = {"cold": {}, "memory": {}, "ops": {}, "first_sync": {}, "scaling": {}, "crosscheck": {}}
    big_names = [n for n, _ in big]
    deleted = big[(7 * 997 + 13) % len(big)][0]  # deleted by the sync-collection delta step
    live_names = [n for n in big_names if n != deleted]  # reads never ask for it, so answers stay comparable
    small_names = [n for n, _ in small]
    rng = random.Random(a.seed)
    week_starts = [SPAN_START + timedelta(weeks=w) for w in rng.sample(range(100), 16)]
    month_starts = [datetime(2025 + (m // 12), m % 12 + 1, 1) for m in random.Random(a.seed).sample(range(1, 23), 12)]
    ops = {s.name: make_ops(s, "big", live_names, big, week_starts, month_starts, a.seed, "Updated") for s in servers}
    mg = min(50, len(small_names))  # the scaling section's multiget asks the same number of objects on both sizes
    small_ops = {s.name: make_ops(s, "small", small_names, small, week_starts, month_starts, a.seed, "Scaled", mg) for s in servers}
    scale_big_ops = {s.name: make_ops(s, "big", live_names, big, week_starts, month_starts, a.seed, "Scaled", mg) for s in servers}

    # What was loaded must be served, exactly.
    log("checking that every server serves what was loaded ...")
    for s in servers:
        for cal, n in (("big", len(big)), ("small", len(small))):
            r = s.session().request("PROPFIND", s.url(s.cal_path(cal)), headers=dict(XML_HEADERS, Depth="1"), data=PROPFIND_ETAG,
                                    timeout=(10, max(TIMEOUT, 1800)))  # Radicale builds its item cache here
            got = count_responses(r.status_code, r.content)
            if r.status_code != 207 or got != n + 1:
                raise Fatal("%s serves %d responses for %s (HTTP %d), expected %d objects + the collection"
                            % (s.name, got, cal, r.status_code, n))

    # 1. cold
    cold_servers = servers if a.peer_cold_repeats > 0 else [caldera]
    log("cold: %d restarts per operation of Caldera, %d of each peer ..." % (a.cold_repeats, a.peer_cold_repeats))
    for key in ("propfind", "query_week", "multiget"):
        results["cold"][key] = {s.name: {"lat": [], "storage": [], "answers": [], "errors": []} for s in cold_servers}
    for rep in range(max(a.cold_repeats, a.peer_cold_repeats)):
        for key in ("propfind", "query_week", "multiget"):
            answers = {}
            for s in cold_servers:
                if rep >= (a.cold_repeats if s is caldera else a.peer_cold_repeats):
                    continue
                s.restart()
                mark = s.mark()
                method, path, headers, body, ok = ops[s.name][key].build(rep)
                sess = s.new_session()
                t0 = time.perf_counter()
                slot = results["cold"][key][s.name]
                try:
                    r = sess.request(method, s.url(path), headers=headers, data=body)
                    content = r.content
                except requests.RequestException as e:
                    checks.problem(s.name, "cold %s, %s: %s: %s" % (key, s.name, type(e).__name__, e))
                    slot["errors"].append(type(e).__name__)
                    continue
                finally:
                    sess.close()
                lat = time.perf_counter() - t0
                slot["lat"].append(lat)
                if r.status_code not in ok:
                    slot["errors"].append(r.status_code)
                answers[s.name] = count_responses(r.status_code, content)
                slot["answers"].append(answers[s.name])
                fl = s.first_logged_request(mark)
                if fl:
                    slot["storage"].append(fl)
            checks.agree("cold " + key, "repeat %d" % rep, answers)
            if key != "query_week":
                for n, v in answers.items():
                    checks.expect("cold %s" % key, n, v, ops[n][key].expect)
    for s in servers:
        if s not in cold_servers:
            continue
        info.setdefault("start_s", {})[s.name] = pct(sorted(s.start_s), 50)

    # 2. memory: a fresh host, then the big calendar read once in full
    log("memory: restart Caldera, read the big calendar in full ...")
    caldera.restart()
    time.sleep(1)
    results["memory"]["start_mb"] = caldera.rss()
    t0 = time.perf_counter()
    listed, got = read_in_full(caldera, caldera.cal_path("big"), THUNDERBIRD_MULTIGET_BATCH)
    results["memory"]["read_s"] = time.perf_counter() - t0
    results["memory"]["after_full_read_mb"] = caldera.rss()
    checks.expect("memory step: objects read in full", "Caldera", (listed, got), (len(big), len(big)))

    # 3. warm (and 4. first sync, before anything changes)
    log("warm: one PROPFIND Depth 1 per server, then each operation on each server in turn ...")
    for s in servers:
        s.session().request("PROPFIND", s.url(s.cal_path("big")), headers=dict(XML_HEADERS, Depth="1"), data=PROPFIND_ETAG)

    def run_op(key, per_server_ops, bucket, suffix=""):
        bucket[key] = {}
        for s in servers:
            op = per_server_ops[s.name]
            log("  %-34s %s ..." % (op.title, s.name))
            bucket[key][s.name] = res = measure(s, op, duration, a.max_requests, a.concurrency)
            bucket[key]["title"] = op.title
            bucket[key]["group"] = op.title + suffix
            if "error" in res and (op.key != "freebusy" or not res.get("status") or res["status"] >= 500):
                checks.problem(s.name, "%s, %s: %s" % (op.title + suffix, s.name, res["error"][:200]))
            if "error" not in res:
                if res.get("exceptions"):
                    checks.problem(s.name, "%s, %s: requests failed: %s" % (op.title, s.name, res["exceptions"][0]))
                if op.expect is not None:
                    wrong = [v for v in res["answers"].values() if v != op.expect]
                    checks.count += 1
                    if wrong:
                        checks.problem(s.name, "%s, %s: %d of %d answers are not %s (e.g. %s)" % (
                            op.title, s.name, len(wrong), res["n"], op.expect, wrong[0]))
        checks.per_request(bucket[key]["group"], bucket[key]["title"], {n: v for n, v in bucket[key].items() if n in names})

    names = [s.name for s in servers]
    for key in ("propfind", "multiget", "query_week", "query_month", "get", "freebusy", "sync_empty"):
        run_op(key, {s.name: ops[s.name][key] for s in servers}, results["ops"])

    log("first sync as Thunderbird (sync-collection from an empty token + multiget batches of %d) ..." % THUNDERBIRD_MULTIGET_BATCH)
    for s in servers:
        log("  %s ..." % s.name)
        try:
            fs = first_sync(s, s.cal_path("big"), THUNDERBIRD_MULTIGET_BATCH, a.first_sync_cap)
        except requests.RequestException as e:
            fs = {"error": "%s: %s" % (type(e).__name__, e)}
        results["first_sync"][s.name] = fs
        if "error" in fs:
            checks.problem(s.name, "first sync, %s: %s" % (s.name, fs["error"]))
            continue
        checks.expect("first sync: hrefs listed", s.name, fs["hrefs"], len(big))
        if not fs["stopped"]:
            checks.expect("first sync: objects fetched", s.name, fs["fetched"], len(big))
        if fs["bad_batches"]:
            checks.problem(s.name, "first sync, %s: %s" % (s.name, fs["bad_batches"]))

    # sync-collection delta: token, then 5 updates, 2 new objects, 1 delete, then the same delta report again and again
    log("sync-collection delta: %d changes on each server ..." % DELTA_CHANGES)
    tokens, expected_delta = {}, set()
    for s in servers:
        path = s.cal_path("big")
        tokens[s.name] = get_sync_token(s, path)
        sess = s.session()
        changed = []
        for k in range(5):
            name, ics = big[(k * 997 + 13) % len(big)]
            r = sess.put(s.url(path + name), data=ics.replace("SUMMARY:", "SUMMARY:Changed ", 1).encode(), headers=ICS_HEADERS)
            changed.append((r.status_code, "PUT " + name))
        for k in range(2):
            name, ics = small[k]
            r = sess.put(s.url(path + "new-" + name), data=ics.replace("@caldera.test", "-new@caldera.test").encode(), headers=ICS_HEADERS)
            changed.append((r.status_code, "PUT new-" + name))
        r = sess.delete(s.url(path + deleted))
        changed.append((r.status_code, "DELETE " + deleted))
        bad = [c for c in changed if c[0] not in (200, 201, 204)]
        if bad:
            raise Fatal("%s: changes for the sync delta failed: %s" % (s.name, bad))
        expected_delta = {c[1].split(" ", 1)[1] for c in changed}
    delta_answers = {}
    for s in servers:
        r = s.session().request("REPORT", s.url(s.cal_path("big")), headers=dict(XML_HEADERS, Depth="1"), data=sync_body(tokens[s.name]))
        delta_answers[s.name] = basenames(r.content)
        checks.expect("sync-collection delta: changed names", s.name, delta_answers[s.name], sorted(expected_delta))
    delta_op = {s.name: Op("sync_delta", "sync-collection, delta of %d" % DELTA_CHANGES,
                           (lambda p, t: lambda i: ("REPORT", p, dict(XML_HEADERS, Depth="1"), sync_body(t), (207,)))(
                               s.cal_path("big"), tokens[s.name]), expect=DELTA_CHANGES) for s in servers}
    run_op("sync_delta", delta_op, results["ops"])
    run_op("put", {s.name: ops[s.name]["put"] for s in servers}, results["ops"])

    # 5. scaling: the same operations on the small and the big calendar
    log("scaling: %d vs %d events ..." % (len(small), len(big)))
    for s in servers:
        s.session().request("PROPFIND", s.url(s.cal_path("small")), headers=dict(XML_HEADERS, Depth="1"), data=PROPFIND_ETAG)
    for key in ("query_week", "multiget", "get", "sync_empty", "put"):
        for size, table in (("small", small_ops), ("big", scale_big_ops)):
            run_op("%s/%s" % (key, size), {s.name: table[s.name][key] for s in servers}, results["scaling"], " @" + size)

    # Cross-check: the hrefs each server answers for every week and month used above (getetag only).
    log("cross-checking query answers ...")
    windows = [(w, w + timedelta(days=7)) for w in week_starts] + [(m, next_month(m)) for m in month_starts]
    windows.append((SPAN_START - timedelta(days=200), SPAN_START - timedelta(days=193)))  # before the data: empty
    only_c = {s.name: set() for s in servers[1:]}  # hrefs Caldera returns and the peer does not
    only_p = {s.name: set() for s in servers[1:]}  # and the other way round
    for start, end in windows:
        answers = {}
        for s in servers:
            try:
                r = s.session().request("REPORT", s.url(s.cal_path("big")), headers=dict(XML_HEADERS, Depth="1"),
                                        data=query_body(start, end, data=False))
                answers[s.name] = basenames(r.content) if r.status_code == 207 else "HTTP %d" % r.status_code
            except requests.RequestException as e:
                answers[s.name] = type(e).__name__
        checks.agree("query windows (hrefs)", "%s..%s" % (utc(start), utc(end)), answers)
        for n in only_c:
            if isinstance(answers[n], list) and isinstance(answers["Caldera"], list):
                only_c[n] |= set(answers["Caldera"]) - set(answers[n])
                only_p[n] |= set(answers[n]) - set(answers["Caldera"])
    source = dict(big)
    for n in only_c:  # what kind of objects the differences are (helps to tell whose answer is wrong)
        if only_c[n] or only_p[n]:
            kinds = lambda names: "of them %d recurring (RRULE), %d with TZID, %d all-day" % (
                sum("RRULE" in source.get(x, "") for x in names), sum("TZID" in source.get(x, "") for x in names),
                sum("VALUE=DATE:" in source.get(x, "") for x in names)) if names else "none"
            checks.notes.append("query windows (hrefs): %d objects only Caldera returns, not %s (%s); %d only %s returns (%s)" % (
                len(only_c[n]), n, kinds(only_c[n]), len(only_p[n]), n, kinds(only_p[n])))
    results["crosscheck"]["windows"] = len(windows)
    results["memory"]["end_mb"] = caldera.rss()
    return results


# --------------------------------------------------------------------------------------------- report

def fmt(v, nd=1):
    return "-" if v is None else ("%.*f" % (nd, v))


def cell(x, flagged=False):
    if not x:
        return "%-22s" % "-"
    if "error" in x:
        return "%-22s" % ("unsupported (HTTP %s)" % x["status"] if x.get("status") else "failed (see below)")
    s = "%6.1f %7.1f %7.1f" % (x["rps"], x["p50_ms"], x["p99_ms"])
    if x.get("errors"):
        s += " !%d" % x["errors"]
    if flagged:
        s += "*"
    return "%-22s" % s


def best_peer(per, names, metric):
    """(value, peer initial) of the best peer on metric (p50_ms: lowest; rps: highest)."""
    vals = [(per[n][metric], n[0]) for n in names[1:] if isinstance(per.get(n), dict) and metric in per[n]]
    if not vals:
        return None
    return min(vals) if metric == "p50_ms" else max(vals)


def ratios(per, names):
    c = per.get(names[0], {})
    if "p50_ms" not in c:
        return "%-22s" % "-"
    bp, br = best_peer(per, names, "p50_ms"), best_peer(per, names, "rps")
    if not bp:
        return "%-22s" % "-"
    return "%-22s" % ("x%.2f %s  x%.2f %s" % (c["p50_ms"] / bp[0], bp[1], c["rps"] / br[0], br[1]))


def report(results, info, names, checks):
    out = []
    p = out.append
    multi = len(names) > 1
    v = info.get("versions", {})
    p("# caldav_bench.py %s: %d-event calendar (scaling %d vs %d), seed %d, %g s per operation and server, %d client "
      "thread(s) for reads, 2 writers for PUT; Caldera: HEAD %s, dll built %s; %s" % (
          " ".join(info["argv"]) or "(full)", info["events"], info["small"], info["events"], info["seed"], info["duration_s"],
          info["concurrency"], info["caldera_rev"], info["caldera_dll_built"],
          ", ".join("%s %s" % (k, x) for k, x in v.items() if x) or "no peers"))
    p("# machine: %d CPUs, load average %.1f/%.1f/%.1f at start, %.1f/%.1f/%.1f at end; %s; wall time %dm%02ds" % (
        info["cpus"], *info["loadavg_start"], *info["loadavg_end"], info["time"], info["wall_s"] // 60, info["wall_s"] % 60))
    ld = info["load"]["caldera"]
    put = info["load"].get("caldera_put") or {}
    if ld.get("from_cache"):
        p("load Caldera : Azurite data folder from the cache (%s; loaded earlier with PUTs), copied in %.1f s"
          % (ld["cache_key"], ld.get("copy_s", 0)))
    else:
        for cal, n in (("big", info["events"]), ("small", info["small"])):
            x = put.get(cal) or {}
            if x:
                p("load Caldera : %d events PUT in %.1f s (%.1f PUT/s at concurrency %d, %d retried after 409/503)"
                  % (n, x["seconds"], n / x["seconds"], info["load_concurrency"], x["retries"]))
    for n, secs in info["load"]["peers"].items():
        p("load %-8s: %d + %d events written into its storage folder before start%s in %.1f s (not over HTTP)"
          % (n, info["events"], info["small"], " and committed with its git store" if n == "Xandikos" else "", secs))
    p("")

    # cold
    cold = results.get("cold", {})
    if cold:
        p("COLD: the first request after restarting the server process on the same data (storage and file system stay up),")
        p("      Caldera %d times, each peer %d times per operation;" % (info["cold_repeats"], info["peer_cold_repeats"]))
        p("      client-side ms p50 / max; process start to ready p50: %s" % ", ".join(
            "%s %.1f s" % (n, s) for n, s in info.get("start_s", {}).items()))
        hdr = "%-28s" % "operation" + "".join(" | %-18s" % (n + " p50 / max") for n in names if n in next(iter(cold.values()))) \
            + " | Caldera first request: storage calls (table, blob), server ms"
        p(hdr)
        p("-" * len(hdr))
        for key, per in cold.items():
            line = "%-28s" % key.replace("propfind", "PROPFIND Depth 1").replace("query_week", "query week (getetag)").replace("multiget", "multiget of 50")
            for n in names:
                if n not in per:
                    continue
                lat = sorted(per[n]["lat"])
                cellv = "%7.1f / %7.1f" % (1000 * pct(lat, 50), 1000 * lat[-1]) if lat else "-"
                if per[n]["errors"]:
                    cellv += " !%d" % len(per[n]["errors"])
                line += " | %-18s" % cellv
            st = per.get("Caldera", {}).get("storage") or []
            if st:
                calls = sorted(x["calls"] for x in st)
                line += " | %s (%s, %s), server %s ms" % (
                    "/".join(str(x["calls"]) for x in st), fmt(st[0]["table"], 0), fmt(st[0]["blob"], 0),
                    fmt(pct(sorted(x["server_ms"] for x in st), 50), 0))
            p(line)
        if len(next(iter(cold.values()))) == 1 and multi:
            p("      (peers not restarted: --peer-cold-repeats 0; they have no cold numbers to compare)")
        p("")

    m = results.get("memory", {})
    if m:
        p("MEMORY Caldera host RSS: %s MB after start, %s MB after reading the %d-event calendar in full (PROPFIND Depth 1 + "
          "multiget of every href, %.1f s), %s MB at the end; at the end: %s, Azurite %s MB" % (
              fmt(m.get("start_mb"), 0), fmt(m.get("after_full_read_mb"), 0), info["events"], m.get("read_s", 0),
              fmt(info.get("caldera_rss_end_mb"), 0),
              ", ".join("%s %s MB" % (n, fmt(x, 0)) for n, x in info.get("peer_rss_end_mb", {}).items()) or "-",
              fmt(info.get("azurite_rss_end_mb"), 0)))
        p("")

    # warm
    p("WARM (after one PROPFIND Depth 1): req/s, p50, p99 in ms (client side); C/best = Caldera / best peer: p50 (<1 favours")
    p("      Caldera), req/s (>1 favours Caldera), letter = that peer; n = requests measured; resp/req per server; Caldera's")
    p("      storage calls per request. * = this server's answers differ from Caldera's (see ANSWERS); !N = N answers had an")
    p("      unexpected HTTP status")
    hdr = "%-34s" % "operation" + "".join(" | %-22s" % (n + " req/s p50 p99") for n in names)
    if multi:
        hdr += " | %-22s" % "C/best: p50    req/s"
    hdr += " | %-14s | %s" % ("n", "resp/req | Caldera storage calls/req (table, blob) max; server p50")
    p(hdr)
    p("-" * len(hdr))

    def row(title, per):
        line = "%-34s" % title + "".join(" | %s" % cell(per.get(n, {}), (per.get("group"), n) in checks.flags) for n in names)
        if multi:
            line += " | %s" % ratios(per, names)
        line += " | %-14s" % "/".join(str(per.get(n, {}).get("n", "-")) for n in names)
        resp = "/".join(fmt(x.get("responses_per_req"), 0) if "n" in x else "-" for x in (per.get(n, {}) for n in names))
        sc = per.get(names[0], {}).get("storage")
        line += " | %-8s | %s" % (resp, ("%.1f (%.1f, %.1f) max %d; server p50 %.1f ms" % (
            sc["calls"], sc["table"], sc["blob"], sc["max"], sc["server_p50_ms"])) if sc else "-")
        p(line)

    for key, per in results["ops"].items():
        row(per["title"], per)
    put = results["ops"].get("put", {})
    if put:
        p("  PUT p50 per writer (ms): " + "; ".join("%s %s" % (n, " / ".join(fmt(x) for x in put[n].get("p50_per_thread_ms", [])))
                                                for n in names if "p50_per_thread_ms" in put.get(n, {})))
    for key, per in results["ops"].items():
        for n in names:
            x = per.get(n, {})
            if "error" in x:
                p("  %s, %s: not measured: %s" % (per["title"], n, x["error"][:150]))
            elif x.get("error_statuses"):
                p("  %s, %s: %d answers with HTTP %s" % (per["title"], n, x["errors"], x["error_statuses"]))
            if x.get("content_type"):
                p("  %s, %s: the answer is iCalendar but labelled %s" % (per["title"], n, x["content_type"]))
    p("")

    fs = results.get("first_sync", {})
    if fs:
        p("FIRST SYNC as Thunderbird: sync-collection from an empty token (getcontenttype, getetag), then calendar-multiget of")
        p("      %d hrefs per request, one after another (comm-central CalDavRequestHandlers.sys.mjs)" % info["multiget_batch"])
        for n in names:
            x = fs.get(n, {})
            if "error" in x:
                p("  %-9s error: %s" % (n, x["error"][:150]))
            elif x.get("stopped"):
                p("  %-9s stopped after %.0f s (--first-sync-cap) at %d of %d objects, %.0f events/s: about %.0f s for all" % (
                    n, x["seconds"], x["fetched"], x["hrefs"], x["events_per_s"] or 0, x.get("extrapolated_s") or 0))
            elif x:
                p("  %-9s %7.2f s  %7.0f events/s  (%d objects, %d requests, sync-collection %.2f s%s)" % (
                    n, x["seconds"], x["events_per_s"], x["fetched"], x["requests"], x["sync_s"],
                    ", storage calls %d (sync-collection %s)" % (x["storage_calls_total"], x["storage_calls_sync"])
                    if "storage_calls_total" in x else ""))
        p("")

    sc = results.get("scaling", {})
    if sc:
        p("SCALING %d -> %d events: p50 ms small -> big (growth x) per server" % (info["small"], info["events"]))
        for key in ("query_week", "multiget", "get", "sync_empty", "put"):
            s_, b_ = sc.get(key + "/small", {}), sc.get(key + "/big", {})
            if not s_:
                continue
            parts = []
            for n in names:
                g = growth(s_.get(n), b_.get(n))
                star = "*" if (s_.get("group"), n) in checks.flags or (b_.get("group"), n) in checks.flags else ""
                parts.append("%s %s -> %s (%s)%s" % (n, fmt(s_.get(n, {}).get("p50_ms")), fmt(b_.get(n, {}).get("p50_ms")),
                                                     "x%.2f" % g if g else "-", star))
            p("  %-32s %s" % (s_["title"], "; ".join(parts)))
        p("")

    # targets
    p("TARGETS (set for a warm Caldera on a 10,000-event calendar%s)" % (
        "" if info["events"] == 10000 else "; this run has %d events: indicative only" % info["events"]))
    for key, limit in TARGETS_MS.items():
        per = results["ops"].get(key, {})
        c = per.get("Caldera", {})
        v = c.get("p50_ms")
        bp = best_peer(per, names, "p50_ms")
        ahead = ahead_text(per, names, v, bp, checks)
        p("  %-34s p50 %8s ms  target <= %5d ms  %-4s | %s" % (per.get("title", key), fmt(v), limit, passmiss(v, limit), ahead))
    for key in ("query_month", "sync_delta", "freebusy"):  # no latency target, only the peer comparison
        per = results["ops"].get(key, {})
        v = per.get("Caldera", {}).get("p50_ms")
        bp = best_peer(per, names, "p50_ms")
        if key in TARGETS_MS or not per:
            continue
        p("  %-34s p50 %8s ms  %-26s | %s" % (per.get("title", key), fmt(v), "(no target)", ahead_text(per, names, v, bp, checks)))
    x = fs.get("Caldera", {})
    v = x.get("extrapolated_s") if x.get("stopped") else x.get("seconds")
    p("  %-34s %8s s                  target <= %4.0f s   %s" % ("first sync (Thunderbird)", fmt(v, 2), TARGET_FIRST_SYNC_S, passmiss(v, TARGET_FIRST_SYNC_S)))
    for key, limit in TARGETS_COLD_MS.items():
        lat = sorted(results.get("cold", {}).get(key, {}).get("Caldera", {}).get("lat", []))
        v = 1000 * pct(lat, 50) if lat else None
        p("  %-34s p50 %8s ms  target <= %5d ms  %s" % ("cold " + key, fmt(v), limit, passmiss(v, limit)))
    for key in ("query_week", "multiget", "get", "sync_empty", "put"):
        g = growth(sc.get(key + "/small", {}).get("Caldera"), sc.get(key + "/big", {}).get("Caldera"))
        p("  %-34s growth %6s           target <= x%.1f   %s" % ("scaling " + key, "x%.2f" % g if g else "-", TARGET_GROWTH, passmiss(g, TARGET_GROWTH)))
    p("")

    lf = info.get("log_findings", {})
    if lf:
        p("SERVER LOGS (warnings, errors, HTTP 5xx): " + "; ".join(
            "%s %s" % (n, "none" if not c else "%d lines" % c) for n, (c, _) in lf.items()))
        for n, (c, lines) in lf.items():
            for line in lines:
                p("  %s: %s" % (n, line))
        p("")
    p("ANSWERS: %d checks (per-request response counts or UIDs across servers, known counts, %d query windows' hrefs, "
      "the sync delta's names, the first sync's objects)" % (checks.count, results.get("crosscheck", {}).get("windows", 0)))
    for n in checks.notes[:12]:
        p("  note: " + n)
    if len(checks.notes) > 12:
        p("  ... %d more notes (see --json)" % (len(checks.notes) - 12))
    if checks.fatal:
        p("ANSWERS DIFFER: Caldera's answers disagree with the peers or with the known answer:")
        for n in checks.fatal[:20]:
            p("  " + n)
    else:
        p("  Caldera's answers agree with the peers and the known counts.")
    print("\n".join(out), flush=True)


def ahead_text(per, names, v, bp, checks):
    if v is None or not bp:
        return "-"
    if v < bp[0]:
        return "PASS ahead of both peers" if len(names) > 2 else "PASS ahead of the peer"
    peer = next(n for n in names[1:] if n[0] == bp[1])
    return "MISS not ahead of %s%s" % (peer, " (whose answers differ)" if (per.get("group"), peer) in checks.flags else "")


def growth(s, b):
    if not s or not b or "p50_ms" not in s or "p50_ms" not in b or not s["p50_ms"]:
        return None
    return b["p50_ms"] / s["p50_ms"]


def passmiss(v, limit):
    return "-" if v is None else ("PASS" if v <= limit else "MISS")


if __name__ == "__main__":
    main()

#!/usr/bin/env python3
"""CalDAV benchmark: the Caldera local host and Radicale, side by side in one run.

Loads a seeded synthetic calendar (calgen.py) into both servers with PUTs, then times, per server and
alternating between them operation by operation: PROPFIND Depth 1 on the calendar, calendar-multiget of
50, one-week and one-month calendar-query (VEVENT time-range, with calendar-data), free-busy-query,
sync-collection delta after a few changes, GET and PUT of single objects. Prints requests/s, p50 and p99
for both servers and their ratio, Caldera's storage calls per request (from its --verbose request log),
and the one-week query latency on a small and a large calendar (plus a week outside the data, whose
answer is empty on both sizes: any growth there is cost that scales with the calendar, not the answer).

Everything listens on and talks to 127.0.0.1 only.

    python3 tests/bench/caldav_bench.py --quick     # 1,000 events (scaling 100 vs 1,000), ~2-3 minutes
    python3 tests/bench/caldav_bench.py             # 10,000 events (scaling 1,000 vs 10,000)
"""
import argparse
import json
import os
import random
import re
import secrets
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
from datetime import datetime, timedelta

import requests

sys.dont_write_bytecode = True  # no __pycache__ in tests/bench
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from calgen import SPAN_START, generate  # noqa: E402

REPO = os.path.abspath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".."))
DEFAULT_DLL = os.path.join(REPO, "functions", "Caldera.LocalHost", "bin", "Release", "net10.0", "Caldera.LocalHost.dll")
USER = "bench"

RESPONSE_RE = re.compile(rb"<(?:[A-Za-z][\w.-]*:)?response[\s>]")
LOG_RE = re.compile(r"(\w+) (\S+) (\d{3}) in ([\d.]+) ms, storage calls (\d+) \(table (\d+), blob (\d+), queue (\d+)\)")
XML_HEADERS = {"Content-Type": "application/xml; charset=utf-8"}


def log(msg):
    print(msg, file=sys.stderr, flush=True)


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


# --------------------------------------------------------------------------------------------- servers

class Server:
    name = "?"

    def __init__(self):
        self.base = None
        self.password = secrets.token_urlsafe(18)
        self._local = threading.local()

    def session(self):
        s = getattr(self._local, "s", None)
        if s is None:
            s = requests.Session()
            s.auth = (USER, self.password)
            s.trust_env = False  # no proxies: loopback only
            self._local.s = s
        return s

    def cal_path(self, cal):
        raise NotImplementedError

    def url(self, path):
        return self.base + path

    # storage-call accounting (Caldera only)
    def mark(self):
        return None

    def storage_calls_since(self, mark):
        return None

    def stop(self):
        pass


class Caldera(Server):
    name = "Caldera"

    def __init__(self, dll, verbose_log, snapshot):
        super().__init__()
        self.tmp = tempfile.mkdtemp(prefix="caldera-bench-")
        if snapshot:  # a private copy of the build, so a concurrent rebuild cannot swap binaries mid-run
            src = os.path.dirname(os.path.abspath(dll))
            dst = os.path.join(self.tmp, "bin")
            shutil.copytree(src, dst)
            dll = os.path.join(dst, os.path.basename(dll))
        self.logfile = os.path.join(self.tmp, "caldera.log") if verbose_log else None
        args = ["dotnet", dll, "--port", "0", "--in-memory", "--user", USER, "--password", self.password]
        if verbose_log:
            args.append("--verbose")
        err = open(self.logfile, "wb") if self.logfile else subprocess.DEVNULL
        self.proc = subprocess.Popen(args, cwd=REPO, stdout=subprocess.PIPE, stderr=err, text=True)
        deadline = time.time() + 180
        while time.time() < deadline:
            line = self.proc.stdout.readline()
            if not line:
                break
            if line.startswith("CALDERA_URL="):
                self.base = line.split("=", 1)[1].strip().rstrip("/")
                break
        if not self.base:
            self.stop()
            raise RuntimeError("Caldera did not start (see %s)" % (self.logfile or "its stderr"))
        threading.Thread(target=lambda: [None for _ in self.proc.stdout], daemon=True).start()

    def cal_path(self, cal):
        return "/calendars/%s/%s/" % (USER, cal)

    def mark(self):
        if not self.logfile:
            return None
        time.sleep(0.3)  # let the console logger flush
        return os.path.getsize(self.logfile)

    def storage_calls_since(self, mark):
        if mark is None:
            return None
        time.sleep(0.5)
        with open(self.logfile, "rb") as f:
            f.seek(mark)
            text = f.read().decode("utf-8", "replace")
        rows = [(int(m.group(5)), int(m.group(6)), int(m.group(7)), float(m.group(4))) for m in LOG_RE.finditer(text)]
        if not rows:
            return None
        n = len(rows)
        server_ms = sorted(r[3] for r in rows)
        return {"requests": n, "calls": sum(r[0] for r in rows) / n, "table": sum(r[1] for r in rows) / n,
                "blob": sum(r[2] for r in rows) / n, "max": max(r[0] for r in rows), "server_p50_ms": pct(server_ms, 50)}

    def stop(self):
        if self.proc.poll() is not None:  # it died on its own: keep its log
            log("Caldera exited by itself with code %s; its log is kept in %s" % (self.proc.returncode, self.logfile or self.tmp))
            if self.logfile:
                with open(self.logfile, "rb") as f:
                    f.seek(max(0, os.path.getsize(self.logfile) - 3000))
                    log(f.read().decode("utf-8", "replace"))
            return
        self.proc.terminate()
        try:
            self.proc.wait(30)
        except subprocess.TimeoutExpired:
            self.proc.kill()
        shutil.rmtree(self.tmp, ignore_errors=True)


class Radicale(Server):
    name = "Radicale"

    def __init__(self, exe, preload=None):
        """preload: {calendar: [(name, ics), ...]} written straight into Radicale's folder storage before it starts."""
        super().__init__()
        self.tmp = tempfile.mkdtemp(prefix="radicale-bench-")
        self.preloaded = {}
        for cal, events in (preload or {}).items():
            started = time.perf_counter()
            folder = os.path.join(self.tmp, "collections", "collection-root", USER, cal)
            os.makedirs(folder)
            with open(os.path.join(folder, ".Radicale.props"), "w") as f:
                json.dump({"tag": "VCALENDAR", "D:displayname": cal, "C:supported-calendar-component-set": "VEVENT"}, f)
            for name, ics in events:
                with open(os.path.join(folder, name), "w", newline="") as f:
                    f.write(ics)
            self.preloaded[cal] = time.perf_counter() - started
        port = free_port()
        with open(os.path.join(self.tmp, "users"), "w") as f:
            f.write("%s:%s\n" % (USER, self.password))
        cfg = os.path.join(self.tmp, "config")
        with open(cfg, "w") as f:
            f.write("[server]\nhosts = 127.0.0.1:%d\n"
                    "[auth]\ntype = htpasswd\nhtpasswd_filename = %s\nhtpasswd_encryption = plain\ndelay = 0\n"
                    "[rights]\ntype = owner_only\n"
                    "[storage]\nfilesystem_folder = %s\n"
                    "[web]\ntype = none\n"
                    "[logging]\nlevel = warning\n" % (port, os.path.join(self.tmp, "users"), os.path.join(self.tmp, "collections")))
        self.proc = subprocess.Popen([exe, "--config", cfg], stdout=subprocess.DEVNULL,
                                     stderr=open(os.path.join(self.tmp, "radicale.log"), "wb"))
        self.base = "http://127.0.0.1:%d" % port
        deadline = time.time() + 60
        while time.time() < deadline:
            try:
                r = requests.request("PROPFIND", self.base + "/", auth=(USER, self.password), headers={"Depth": "0"}, timeout=5)
                if r.status_code < 500:
                    return
            except requests.ConnectionError:
                pass
            if self.proc.poll() is not None:
                break
            time.sleep(0.2)
        self.stop()
        raise RuntimeError("Radicale did not start")

    def cal_path(self, cal):
        return "/%s/%s/" % (USER, cal)

    def stop(self):
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(30)
            except subprocess.TimeoutExpired:
                self.proc.kill()
        shutil.rmtree(self.tmp, ignore_errors=True)


# --------------------------------------------------------------------------------------------- loading

MKCALENDAR_BODY = """<?xml version="1.0" encoding="utf-8"?>
<C:mkcalendar xmlns:D="DAV:" xmlns:C="urn:ietf:params:xml:ns:caldav">
  <D:set><D:prop><D:displayname>%s</D:displayname>
    <C:supported-calendar-component-set><C:comp name="VEVENT"/></C:supported-calendar-component-set>
  </D:prop></D:set>
</C:mkcalendar>"""


def run_parallel(n_items, concurrency, fn):
    """Calls fn(i) for i in range(n_items) on `concurrency` threads; returns the exceptions raised."""
    lock, nxt, errors = threading.Lock(), [0], []

    def worker():
        while True:
            with lock:
                i = nxt[0]
                nxt[0] += 1
            if i >= n_items:
                return
            try:
                fn(i)
            except Exception as e:  # noqa: BLE001
                with lock:
                    errors.append(e)

    threads = [threading.Thread(target=worker) for _ in range(concurrency)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return errors


def load_calendar(server, cal, events, concurrency):
    path = server.cal_path(cal)
    r = server.session().request("MKCALENDAR", server.url(path), data=MKCALENDAR_BODY % cal, headers=XML_HEADERS)
    if r.status_code != 201:
        raise RuntimeError("%s MKCALENDAR %s: %d %s" % (server.name, path, r.status_code, r.text[:300]))

    retries = [0]

    def put(i):
        name, ics = events[i]
        for attempt in range(5):
            r = server.session().put(server.url(path + name), data=ics.encode(),
                                     headers={"Content-Type": "text/calendar; charset=utf-8", "If-None-Match": "*"})
            if r.status_code != 409 and r.status_code != 503:
                break
            retries[0] += 1  # Caldera answers 409 "try again" when concurrent writes to one calendar collide
            time.sleep(0.05 * (attempt + 1))
        if r.status_code not in (200, 201, 204):
            raise RuntimeError("%s PUT %s: %d %s" % (server.name, name, r.status_code, r.text[:300]))

    started = time.perf_counter()
    errors = run_parallel(len(events), concurrency, put)
    elapsed = time.perf_counter() - started
    if errors:
        raise RuntimeError("%d of %d PUTs failed on %s, first: %s" % (len(errors), len(events), server.name, errors[0]))
    log("  %s: loaded %d events into %s in %.1f s (%.0f PUT/s at concurrency %d, %d retried after 409/503)"
        % (server.name, len(events), cal, elapsed, len(events) / elapsed, concurrency, retries[0]))
    server.load_retries = getattr(server, "load_retries", 0) + retries[0]
    return elapsed


# --------------------------------------------------------------------------------------------- requests

def utc(dt):
    return dt.strftime("%Y%m%dT%H%M%SZ")


def propfind_body():
    return """<?xml version="1.0" encoding="utf-8"?>
<D:propfind xmlns:D="DAV:"><D:prop><D:resourcetype/><D:getetag/><D:getcontenttype/></D:prop></D:propfind>"""


def multiget_body(hrefs):
    return ("""<?xml version="1.0" encoding="utf-8"?>
<C:calendar-multiget xmlns:D="DAV:" xmlns:C="urn:ietf:params:xml:ns:caldav">
  <D:prop><D:getetag/><C:calendar-data/></D:prop>
""" + "".join("  <D:href>%s</D:href>\n" % h for h in hrefs) + "</C:calendar-multiget>")


def query_body(start, end):
    return """<?xml version="1.0" encoding="utf-8"?>
<C:calendar-query xmlns:D="DAV:" xmlns:C="urn:ietf:params:xml:ns:caldav">
  <D:prop><D:getetag/><C:calendar-data/></D:prop>
  <C:filter><C:comp-filter name="VCALENDAR"><C:comp-filter name="VEVENT">
    <C:time-range start="%s" end="%s"/>
  </C:comp-filter></C:comp-filter></C:filter>
</C:calendar-query>""" % (utc(start), utc(end))


def freebusy_body(start, end):
    return """<?xml version="1.0" encoding="utf-8"?>
<C:free-busy-query xmlns:C="urn:ietf:params:xml:ns:caldav"><C:time-range start="%s" end="%s"/></C:free-busy-query>""" % (
        utc(start), utc(end))


def sync_body(token):
    return """<?xml version="1.0" encoding="utf-8"?>
<D:sync-collection xmlns:D="DAV:"><D:sync-token>%s</D:sync-token><D:sync-level>1</D:sync-level>
<D:prop><D:getetag/></D:prop></D:sync-collection>""" % token


def get_sync_token(server, path):
    r = server.session().request("PROPFIND", server.url(path), headers=dict(XML_HEADERS, Depth="0"),
                                 data='<?xml version="1.0"?><D:propfind xmlns:D="DAV:"><D:prop><D:sync-token/></D:prop></D:propfind>')
    m = re.search(r"<(?:\w+:)?sync-token>([^<]+)</", r.text)
    if not m:
        raise RuntimeError("%s: no sync-token on %s: %d %s" % (server.name, path, r.status_code, r.text[:300]))
    return m.group(1).strip()


class Op:
    """One benchmarked operation: build(i) -> (method, path_suffix_or_full_path, headers, body, ok_statuses)."""

    def __init__(self, key, title, build, mutating=False, content_type=None):
        self.key, self.title, self.build, self.mutating = key, title, build, mutating
        self.content_type = content_type  # the answer must have it, else the operation counts as unsupported


def measure(server, op, duration, max_requests, concurrency, min_requests=3, warmup=1):
    """Runs op for `duration` seconds (at least min_requests, at most max_requests) on `concurrency` threads."""
    sess0 = server.session()
    for w in range(warmup):
        method, url, headers, body, ok = op.build(-1 - w)
        r = sess0.request(method, server.url(url), headers=headers, data=body)
        if r.status_code not in ok or (op.content_type and op.content_type not in r.headers.get("Content-Type", "")):
            return {"error": "HTTP %d %s: %s" % (r.status_code, r.headers.get("Content-Type", ""), r.text[:300].replace("\n", " ")),
                    "status": r.status_code}
    mark = server.mark()
    lock = threading.Lock()
    state = {"started": 0, "lat": [], "bad": [], "responses": 0, "bytes": 0}
    t0 = time.perf_counter()

    def worker():
        sess = server.session()
        while True:
            with lock:
                elapsed = time.perf_counter() - t0
                if state["started"] >= max_requests or (elapsed >= duration and state["started"] >= min_requests):
                    return
                i = state["started"]
                state["started"] += 1
            method, url, headers, body, ok = op.build(i)
            s = time.perf_counter()
            r = sess.request(method, server.url(url), headers=headers, data=body)
            content = r.content
            lat = time.perf_counter() - s
            with lock:
                state["lat"].append(lat)
                state["bytes"] += len(content)
                state["responses"] += len(RESPONSE_RE.findall(content))
                if r.status_code not in ok:
                    state["bad"].append(r.status_code)

    threads = [threading.Thread(target=worker) for _ in range(concurrency)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    wall = time.perf_counter() - t0
    lat = sorted(state["lat"])
    n = len(lat)
    res = {"n": n, "wall_s": wall, "rps": n / wall, "p50_ms": 1000 * pct(lat, 50), "p99_ms": 1000 * pct(lat, 99),
           "mean_ms": 1000 * sum(lat) / n, "errors": len(state["bad"]), "responses_per_req": state["responses"] / n,
           "kb_per_req": state["bytes"] / n / 1024}
    if state["bad"]:
        res["error_statuses"] = sorted(set(state["bad"]))
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


# --------------------------------------------------------------------------------------------- the run

def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--quick", action="store_true", help="1,000 events, scaling 100 vs 1,000, 3 s per operation")
    ap.add_argument("--events", type=int, help="events in the main calendar (default 10000, quick 1000)")
    ap.add_argument("--small", type=int, help="events in the small calendar for the scaling test (default events/10)")
    ap.add_argument("--duration", type=float, help="seconds per operation and server (default 10, quick 3)")
    ap.add_argument("--max-requests", type=int, default=2000, help="cap of requests per operation and server")
    ap.add_argument("--concurrency", type=int, default=2, help="client threads while measuring (default 2)")
    ap.add_argument("--load-concurrency", type=int, default=4, help="client threads while loading (default 4)")
    ap.add_argument("--seed", type=int, default=42)
    ap.add_argument("--caldera-dll", default=DEFAULT_DLL, help="built Caldera.LocalHost.dll (dotnet build -c Release first)")
    ap.add_argument("--no-snapshot", action="store_true", help="run the dll in place instead of a private copy")
    ap.add_argument("--no-storage-log", action="store_true", help="run Caldera without --verbose (no storage-call counts)")
    ap.add_argument("--radicale", default=shutil.which("radicale") or "radicale")
    ap.add_argument("--skip-radicale", action="store_true")
    ap.add_argument("--radicale-put-limit", type=int, default=500,
                    help="Radicale calendars larger than this are written as files into its storage folder before it "
                         "starts instead of PUT one by one (Radicale's PUT slows down with the calendar size: ~4 PUT/s at "
                         "1,000 events on a loaded 2-core box); default 500")
    ap.add_argument("--json", help="also write the results to this file")
    a = ap.parse_args()
    events_n = a.events or (1000 if a.quick else 10000)
    small_n = a.small or max(10, events_n // 10)
    duration = a.duration or (3.0 if a.quick else 10.0)

    info = {"events": events_n, "small": small_n, "duration_s": duration, "concurrency": a.concurrency,
            "load_concurrency": a.load_concurrency, "seed": a.seed, "cpus": os.cpu_count(), "loadavg_start": os.getloadavg(), "time": datetime.now().isoformat(timespec="seconds")}
    log("bench: %d events (small %d), %.0f s per operation, concurrency %d, %d CPUs, load average %.1f/%.1f/%.1f"
        % (events_n, small_n, duration, a.concurrency, os.cpu_count(), *os.getloadavg()))

    t_gen = time.perf_counter()
    big = generate(events_n, a.seed)
    small = generate(small_n, a.seed + 1)
    log("generated %d + %d events in %.1f s" % (events_n, small_n, time.perf_counter() - t_gen))

    if not os.path.exists(a.caldera_dll):
        sys.exit("no %s: run `dotnet build -c Release functions/Caldera.LocalHost` first" % a.caldera_dll)
    servers = []
    try:
        log("starting Caldera ...")
        servers.append(Caldera(a.caldera_dll, not a.no_storage_log, not a.no_snapshot))
        log("  Caldera at %s" % servers[-1].base)
        if not a.skip_radicale:
            log("starting Radicale ...")
            preload = {cal: evs for cal, evs in (("big", big), ("small", small)) if len(evs) > a.radicale_put_limit}
            servers.append(Radicale(a.radicale, preload))
            for cal, secs in servers[-1].preloaded.items():
                log("  Radicale: wrote %d events of %s as files in %.1f s (no HTTP)" % (len(preload[cal]), cal, secs))
            log("  Radicale at %s" % servers[-1].base)
        results = run(servers, big, small, a, duration, info)
    finally:
        for s in servers:
            s.stop()
    info["loadavg_end"] = os.getloadavg()
    report(results, info, [s.name for s in servers])
    if a.json:
        with open(a.json, "w") as f:
            json.dump({"info": info, "results": results}, f, indent=1)


def run(servers, big, small, a, duration, info):
    results = {"load": {}, "ops": {}, "scaling": {}}
    # Both servers load at the same time (the machine is the same; it halves the wall time of the run).
    log("loading %s at once ..." % " and ".join(s.name for s in servers))
    failures = []

    def load(s):
        try:
            pre = getattr(s, "preloaded", {})
            results["load"][s.name] = {
                "big_s": None if "big" in pre else load_calendar(s, "big", big, a.load_concurrency),
                "small_s": None if "small" in pre else load_calendar(s, "small", small, a.load_concurrency)}
        except Exception as e:  # noqa: BLE001
            failures.append(e)

    loaders = [threading.Thread(target=load, args=(s,)) for s in servers]
    for t in loaders:
        t.start()
    for t in loaders:
        t.join()
    if failures:
        raise failures[0]
    names = [n for n, _ in big]
    big_path = {s.name: s.cal_path("big") for s in servers}

    def weeks(k, seed):
        rng = random.Random(seed)
        return [SPAN_START + timedelta(weeks=w) for w in rng.sample(range(100), k)]

    week_starts = weeks(16, a.seed)
    month_starts = [datetime(2025 + (m // 12), m % 12 + 1, 1) for m in random.Random(a.seed).sample(range(1, 23), 12)]

    def ops_for(server):
        path = big_path[server.name]
        depth1 = dict(XML_HEADERS, Depth="1")

        def multiget(i):
            rng = random.Random(i)
            return ("REPORT", path, depth1, multiget_body([path + n for n in rng.sample(names, min(50, len(names)))]), (207,))

        def week(i):
            w = week_starts[i % len(week_starts)]
            return ("REPORT", path, depth1, query_body(w, w + timedelta(days=7)), (207,))

        def month(i):
            m = month_starts[i % len(month_starts)]
            nm = datetime(m.year + (m.month // 12), m.month % 12 + 1, 1)
            return ("REPORT", path, depth1, query_body(m, nm), (207,))

        def freebusy(i):
            w = week_starts[i % len(week_starts)]
            return ("REPORT", path, depth1, freebusy_body(w, w + timedelta(days=7)), (200,))

        def get(i):
            return ("GET", path + names[random.Random(1000 + i).randrange(len(names))], {}, None, (200,))

        return [
            Op("propfind", "PROPFIND Depth 1 (calendar)", lambda i: ("PROPFIND", path, depth1, propfind_body(), (207,))),
            Op("multiget", "calendar-multiget of 50", multiget),
            Op("query_week", "calendar-query one week", week),
            Op("query_month", "calendar-query one month", month),
            Op("freebusy", "free-busy-query one week", freebusy, content_type="text/calendar"),
            Op("get", "GET one object", get),
        ]

    def run_op(key, per_server_ops):
        results["ops"][key] = {}
        for s in servers:
            op = per_server_ops[s.name]
            log("  %-32s %s ..." % (op.title, s.name))
            results["ops"][key][s.name] = measure(s, op, duration, a.max_requests, a.concurrency)
            results["ops"][key]["title"] = op.title

    log("measuring ...")
    all_ops = {s.name: ops_for(s) for s in servers}
    for idx, op in enumerate(all_ops[servers[0].name]):
        run_op(op.key, {s.name: all_ops[s.name][idx] for s in servers})

    # Scaling: one-week query on the small and the big calendar; plus a week before the data (empty answer).
    log("scaling (one-week query, %d vs %d events) ..." % (len(small), len(big)))
    empty_week = SPAN_START - timedelta(days=200)
    for cal in ("small", "big"):
        for kind in ("week", "empty_week"):
            key = "%s/%s" % (kind, cal)
            results["scaling"][key] = {}
            for s in servers:
                p = s.cal_path(cal)
                if kind == "week":
                    build = (lambda p: lambda i: ("REPORT", p, dict(XML_HEADERS, Depth="1"),
                                                  query_body(week_starts[i % len(week_starts)], week_starts[i % len(week_starts)] + timedelta(days=7)), (207,)))(p)
                else:
                    build = (lambda p: lambda i: ("REPORT", p, dict(XML_HEADERS, Depth="1"),
                                                  query_body(empty_week, empty_week + timedelta(days=7)), (207,)))(p)
                log("  %-32s %s ..." % (key, s.name))
                results["scaling"][key][s.name] = measure(s, Op(key, key, build), duration, a.max_requests, a.concurrency)

    # Cross-check: the hrefs each server answers for every week and month used above.
    if len(servers) == 2:
        log("cross-checking query answers ...")
        windows = [(w, w + timedelta(days=7)) for w in week_starts]
        windows += [(m, datetime(m.year + (m.month // 12), m.month % 12 + 1, 1)) for m in month_starts]
        windows.append((empty_week, empty_week + timedelta(days=7)))
        diffs = []
        for start, end in windows:
            answers = []
            for s in servers:
                r = s.session().request("REPORT", s.url(big_path[s.name]), headers=dict(XML_HEADERS, Depth="1"),
                                        data=query_body(start, end).replace("<C:calendar-data/>", ""))
                answers.append({h.rsplit("/", 1)[-1] for h in re.findall(r"<(?:\w+:)?href>([^<]+)</", r.text)})
            if answers[0] != answers[1]:
                diffs.append({"start": utc(start), "end": utc(end), "only_" + servers[0].name: sorted(answers[0] - answers[1]),
                              "only_" + servers[1].name: sorted(answers[1] - answers[0])})
        results["crosscheck"] = {"windows": len(windows), "differing": diffs}

    # sync-collection delta: token, then a few changes (5 updates, 2 new, 1 delete), then the delta report.
    tokens = {}
    for s in servers:
        path = big_path[s.name]
        tokens[s.name] = get_sync_token(s, path)
        sess = s.session()
        for k in range(5):
            name, ics = big[(k * 997 + 13) % len(big)]
            sess.put(s.url(path + name), data=ics.replace("SUMMARY:", "SUMMARY:Changed ", 1).encode(),
                     headers={"Content-Type": "text/calendar; charset=utf-8"}).raise_for_status()
        for k in range(2):
            name, ics = small[k]
            sess.put(s.url(path + "new-" + name), data=ics.replace("@caldera.test", "-new@caldera.test").encode(),
                     headers={"Content-Type": "text/calendar; charset=utf-8"}).raise_for_status()
        sess.delete(s.url(path + big[(7 * 997 + 13) % len(big)][0])).raise_for_status()
    run_op("sync_delta", {s.name: Op("sync_delta", "sync-collection delta (8 changes)",
                                     (lambda p, t: lambda i: ("REPORT", p, dict(XML_HEADERS, Depth="1"), sync_body(t), (207,)))(big_path[s.name], tokens[s.name]))
                          for s in servers})

    # PUT: update distinct existing objects (no precondition), in a seeded order.
    order = list(range(len(big)))
    random.Random(a.seed).shuffle(order)

    def put_op(path):
        def build(i):
            name, ics = big[order[i % len(order)]] if i >= 0 else big[order[-1]]
            return ("PUT", path + name, {"Content-Type": "text/calendar; charset=utf-8"},
                    ics.replace("SUMMARY:", "SUMMARY:Updated %d " % i, 1).encode(), (200, 201, 204))
        return Op("put", "PUT one object (update)", build, mutating=True)

    run_op("put", {s.name: put_op(big_path[s.name]) for s in servers})
    return results


def fmt(v, nd=1):
    return "-" if v is None else ("%.*f" % (nd, v))


def report(results, info, names):
    out = []
    p = out.append
    p("")
    p("CalDAV benchmark: %d-event calendar (seed %d), %.0f s per operation, %d client threads" %
      (info["events"], info["seed"], info["duration_s"], info["concurrency"]))
    p("machine: %d CPUs, load average %.1f at start, %.1f at end (%s)" %
      (info["cpus"], info["loadavg_start"][0], info["loadavg_end"][0], info["time"]))
    for n in names:
        ld = results["load"][n]
        for cal, count in (("big", info["events"]), ("small", info["small"])):
            secs = ld["%s_s" % cal]
            if secs is None:
                p("load %-8s: %d events written as files into its storage folder before start (not over HTTP)" % (n, count))
            else:
                p("load %-8s: %d events PUT in %.1f s (%.1f PUT/s at concurrency %d, both servers loading at once)"
                  % (n, count, secs, count / secs, info["load_concurrency"]))
    p("")
    two = len(names) == 2
    hdr = "%-34s | %-27s" % ("operation", names[0] + " req/s  p50  p99 (ms)")
    if two:
        hdr += " | %-27s | %-22s" % (names[1] + " req/s  p50  p99 (ms)", "ratio C/R: req/s  p50")
    hdr += " | %s" % "resp/req | Caldera storage calls/req (table, blob)"
    p(hdr)
    p("-" * len(hdr))

    def row(title, per):
        c = per.get(names[0], {})
        line = "%-34s | %s" % (title, cell(c))
        if two:
            r = per.get(names[1], {})
            line += " | %s | %s" % (cell(r), ratio(c, r))
        resp = "/".join(fmt(x.get("responses_per_req"), 0) if "n" in x else "-" for x in (per.get(n, {}) for n in names))
        sc = c.get("storage")
        line += " | %-8s | %s" % (resp, ("%.1f (%.1f, %.1f) max %d; server p50 %.0f ms" % (
            sc["calls"], sc["table"], sc["blob"], sc["max"], sc["server_p50_ms"])) if sc else "-")
        p(line)

    for key, per in results["ops"].items():
        row(per["title"], per)
    for key, per in results["ops"].items():
        for n in names:
            if "error" in per.get(n, {}):
                p("  %s, %s: not measured: %s" % (per["title"], n, per[n]["error"][:160]))
    cc = results.get("crosscheck")
    if cc:
        p("query answers (hrefs) compared on %d windows: %d differ" % (cc["windows"], len(cc["differing"])))
        for d in cc["differing"][:6]:
            p("  %s..%s: %s" % (d["start"], d["end"], "; ".join("%s %s" % (k, ",".join(v[:5]) + (" +%d" % (len(v) - 5) if len(v) > 5 else ""))
                                                             for k, v in d.items() if k.startswith("only_") and v)))
    p("")
    p("one-week calendar-query latency vs calendar size (%d -> %d events):" % (info["small"], info["events"]))
    for key, per in results["scaling"].items():
        row(key.replace("/small", " @%d" % info["small"]).replace("/big", " @%d" % info["events"]), per)
    for n in names:
        for kind in ("week", "empty_week"):
            s, b = results["scaling"]["%s/small" % kind].get(n, {}), results["scaling"]["%s/big" % kind].get(n, {})
            if "p50_ms" in s and "p50_ms" in b:
                p("  %-8s %-10s p50 %.1f -> %.1f ms (x%.2f), matches %.0f -> %.0f" %
                  (n, kind, s["p50_ms"], b["p50_ms"], b["p50_ms"] / s["p50_ms"], s["responses_per_req"], b["responses_per_req"]))
    print("\n".join(out), flush=True)


def cell(x):
    if not x:
        return "%-27s" % "-"
    if "error" in x:
        return "%-27s" % ("unsupported (HTTP %s)" % x.get("status", "?"))
    s = "%7.1f %6.1f %7.1f" % (x["rps"], x["p50_ms"], x["p99_ms"])
    if x.get("errors"):
        s += " !%d" % x["errors"]
    return "%-27s" % s


def ratio(c, r):
    if not c or not r or "rps" not in c or "rps" not in r:
        return "%-22s" % "-"
    return "%-22s" % ("x%.2f  x%.2f" % (c["rps"] / r["rps"], c["p50_ms"] / r["p50_ms"]))


if __name__ == "__main__":
    main()

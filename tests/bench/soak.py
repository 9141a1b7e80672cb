#!/usr/bin/env python3
"""Soak: bounded mixed CalDAV traffic from several simulated devices against the local host, for minutes.

    python3 tests/bench/soak.py                       # 10 minutes, 3 users x 2 devices (issue 13's soak)
    python3 tests/bench/soak.py --minutes 1           # a smoke run

Needs a Release build of the local host (`dotnet build functions/Caldera.LocalHost -c Release`), Azurite in
node_modules (`npm ci`) and python3 with requests. Everything listens on and talks to 127.0.0.1 only.

What it does. Starts its own Azurite (a data folder in a temporary directory) and the local host on it (--verbose,
so every request is logged), makes --users users through the management API, each with one calendar preloaded with
--events events, and runs --devices devices per user (threads, each with its own keep-alive session). A device
behaves like a syncing client: sync-collection from its token then calendar-multiget of what changed, PROPFIND
Depth 1 of the home, a one-week calendar-query, GET, free-busy, PUT of a new event (If-None-Match: *), PUT of an
update (If-Match), DELETE (If-Match). The devices of one user share the calendar, so their If-Match writes race
for real (a 412 is a correct answer then). New events and deletes keep each calendar near its preloaded size, so
the data stays bounded and memory should stay flat.

What it checks (exit status 1 when any fails):
 - no 5xx and no answer outside the statuses each operation may correctly give;
 - no warning, error or exception in the host's log;
 - at the end every device, after one last sync, holds exactly the hrefs and ETags a PROPFIND Depth 1 lists
   (every change was seen by sync);
 - memory flat: the host's RSS in the last fifth of the run is at most 1.25 x + 32 MB its RSS after the first
   fifth (warm-up).
It prints requests, statuses, p50/p99 per operation, throughput, the RSS series and the machine's load.
"""
import argparse
import os
import random
import re
import shutil
import sys
import tempfile
import threading
import time
import uuid
from collections import Counter, defaultdict
from datetime import datetime, timedelta, timezone

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import caldav_bench as cb  # noqa: E402  (shared process, Azurite and HTTP helpers)
import calgen  # noqa: E402

ALLOWED = {
    "sync": {207},
    "multiget": {207},
    "propfind_home": {207},
    "query_week": {207},
    "freebusy": {200},
    "get": {200, 404},           # another device may have deleted it since this one's last sync
    "put_new": {201},
    "put_update": {204, 412, 404},
    "delete": {204, 412, 404},
}
ETAG_RE = re.compile(rb"<(?:[A-Za-z][\w.-]*:)?getetag>([^<]+)</")
RESPONSE_RE = re.compile(rb"<(?:[A-Za-z][\w.-]*:)?response>(.*?)</(?:[A-Za-z][\w.-]*:)?response>", re.S)
STATUS_RE = re.compile(rb"<(?:[A-Za-z][\w.-]*:)?status>HTTP/1.1 (\d{3})")
TOKEN_RE = re.compile(rb"<(?:[A-Za-z][\w.-]*:)?sync-token>([^<]+)</")


def unescape(b):
    return b.decode().replace("&quot;", '"').replace("&amp;", "&")


class Stats:
    def __init__(self):
        self.lock = threading.Lock()
        self.times = defaultdict(list)
        self.statuses = defaultdict(Counter)
        self.unexpected = []

    def add(self, op, status, seconds, detail=""):
        with self.lock:
            self.times[op].append(seconds)
            self.statuses[op][status] += 1
            if status not in ALLOWED[op] and len(self.unexpected) < 20:
                self.unexpected.append("%s -> %s %s" % (op, status, detail[:200]))

    def bad(self):
        return sum(n for op, c in self.statuses.items() for s, n in c.items() if s not in ALLOWED[op])

    def fivexx(self):
        return sum(n for c in self.statuses.values() for s, n in c.items() if s >= 500)


class Device:
    """One syncing client of a user's calendar: its sync token and the hrefs/ETags it holds."""

    def __init__(self, base, user, password, cal, stats, rng, target):
        self.base, self.user, self.cal, self.stats, self.rng, self.target = base, user, cal, stats, rng, target
        self.s = cb.Client((user, password))
        self.token = None
        self.known = {}

    def req(self, op, method, path, **kw):
        t0 = time.perf_counter()
        try:
            r = self.s.request(method, self.base + path, **kw)
            status, content = r.status_code, r.content
        except Exception as e:  # noqa: BLE001 -- a failed request counts as status 0
            status, content = 0, str(e).encode()
        self.stats.add(op, status, time.perf_counter() - t0, "%s %s: %s" % (method, path, content[:160]))
        return status, content

    def sync(self):
        body = cb.sync_body(self.token or "")
        status, content = self.req("sync", "REPORT", self.cal, data=body, headers={**cb.XML_HEADERS, "Depth": "1"})
        if status != 207:
            return
        changed = []
        for block in RESPONSE_RE.findall(content):
            href = unescape(cb.HREF_RE.search(block).group(1))
            if href.rstrip("/") == self.cal.rstrip("/"):
                continue
            statuses = STATUS_RE.findall(block)
            if statuses and statuses[0] == b"404" and not ETAG_RE.search(block):
                self.known.pop(href, None)
            else:
                changed.append(href)
        for i in range(0, len(changed), 100):
            chunk = changed[i:i + 100]
            st, mg = self.req("multiget", "REPORT", self.cal, data=cb.multiget_body(chunk),
                              headers={**cb.XML_HEADERS, "Depth": "1"})
            if st != 207:
                return  # keep the old token: the next sync asks again
            for block in RESPONSE_RE.findall(mg):
                href = unescape(cb.HREF_RE.search(block).group(1))
                etag = ETAG_RE.search(block)
                if etag:
                    self.known[href] = unescape(etag.group(1))
                else:
                    self.known.pop(href, None)
        token = TOKEN_RE.search(content)
        if token:
            self.token = unescape(token.group(1))

    def step(self, week_start):
        r = self.rng.random()
        hrefs = list(self.known)
        if r < 0.25 or not hrefs:
            self.sync()
        elif r < 0.35:
            self.req("propfind_home", "PROPFIND", "/calendars/%s/" % self.user,
                     data=b'<?xml version="1.0"?><d:propfind xmlns:d="DAV:" xmlns:cs="http://calendarserver.org/ns/">'
                          b'<d:prop><d:resourcetype/><d:displayname/><cs:getctag/><d:sync-token/></d:prop></d:propfind>',
                     headers={**cb.XML_HEADERS, "Depth": "1"})
        elif r < 0.50:
            self.req("query_week", "REPORT", self.cal, data=cb.query_body(week_start, week_start + timedelta(days=7), False),
                     headers={**cb.XML_HEADERS, "Depth": "1"})
        elif r < 0.65:
            self.req("get", "GET", self.rng.choice(hrefs))
        elif r < 0.70:
            self.req("freebusy", "REPORT", self.cal, data=cb.freebusy_body(week_start, week_start + timedelta(days=7)),
                     headers={**cb.XML_HEADERS, "Depth": "1"})
        elif r < 0.85:
            # An edit as a client makes it: read the object, change it, write it back on the ETag it read.
            href = self.rng.choice(hrefs)
            t0 = time.perf_counter()
            try:
                got = self.s.get(self.base + href)
            except Exception as e:  # noqa: BLE001
                self.stats.add("get", 0, time.perf_counter() - t0, str(e))
                return
            self.stats.add("get", got.status_code, time.perf_counter() - t0, href)
            if got.status_code != 200:
                return
            body = re.sub(r"(?m)^SUMMARY[^\r\n]*", "SUMMARY:soak edit %d" % self.rng.randrange(10 ** 6), got.text, count=1)
            status, _ = self.req("put_update", "PUT", href, data=body.encode(),
                                 headers={**cb.ICS_HEADERS, "If-Match": got.headers["ETag"]})
            if status == 204:
                self.known.pop(href, None)  # its new ETag comes with the next sync
        elif len(hrefs) < self.target:
            uid = "soak-%s" % uuid.uuid4()
            self.req("put_new", "PUT", self.cal + uid + ".ics", data=event(uid, week_start, self.rng).encode(),
                     headers={**cb.ICS_HEADERS, "If-None-Match": "*"})
        else:
            href = self.rng.choice(hrefs)
            status, _ = self.req("delete", "DELETE", href, headers={"If-Match": self.known[href]})
            if status in (204, 404):
                self.known.pop(href, None)


def event(uid, week_start, rng):
    start = week_start + timedelta(hours=rng.randrange(0, 24 * 7))
    stamp = datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%SZ")
    return ("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Caldera//soak//EN\r\nBEGIN:VEVENT\r\nUID:%s\r\n"
            "DTSTAMP:%s\r\nDTSTART:%s\r\nDTEND:%s\r\nSUMMARY:soak %d\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n") % (
        uid, stamp, cb.utc(start), cb.utc(start + timedelta(hours=1)), rng.randrange(10 ** 6))


def listing(session, base, cal):
    r = session.request("PROPFIND", base + cal, headers={**cb.XML_HEADERS, "Depth": "1"},
                        data=b'<?xml version="1.0"?><d:propfind xmlns:d="DAV:"><d:prop><d:getetag/></d:prop></d:propfind>')
    out = {}
    for block in RESPONSE_RE.findall(r.content):
        href = unescape(cb.HREF_RE.search(block).group(1))
        etag = ETAG_RE.search(block)
        if etag and href.rstrip("/") != cal.rstrip("/"):
            out[href] = unescape(etag.group(1))
    return out


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--minutes", type=float, default=10)
    ap.add_argument("--users", type=int, default=3)
    ap.add_argument("--devices", type=int, default=2, help="devices (client threads) per user")
    ap.add_argument("--events", type=int, default=300, help="events preloaded per user's calendar")
    ap.add_argument("--seed", type=int, default=13)
    ap.add_argument("--caldera-dll", default=cb.DEFAULT_DLL)
    ap.add_argument("--keep", action="store_true", help="keep the temporary folder (data and logs)")
    a = ap.parse_args()
    if not os.path.exists(a.caldera_dll):
        sys.exit("no %s: run `dotnet build functions/Caldera.LocalHost -c Release` first" % a.caldera_dll)
    azurite_js = cb.find_azurite()
    if not azurite_js:
        sys.exit("no Azurite in node_modules: run `npm ci` first")

    work = tempfile.mkdtemp(prefix="caldera-soak-")
    load_start = os.getloadavg()
    key = "soak-" + uuid.uuid4().hex
    os.environ["CALDERA_FUNCTION_KEY"] = key
    failures = []
    try:
        az = cb.Azurite(azurite_js, os.path.join(work, "azurite"), os.path.join(work, "azurite.log"))
        host = cb.Caldera(a.caldera_dll, az.conn, work, "soak-owner-password", verbose=True)
        admin = cb.Client(None)
        admin.headers["x-functions-key"] = key
        rng = random.Random(a.seed)
        week_start = datetime(2026, 12, 7, tzinfo=timezone.utc)
        stats = Stats()
        devices, cals = [], []
        for u in range(a.users):
            user, password = "soak%d" % u, "soak-password-%d-long" % u
            r = admin.post(host.base + "/manage/users", json={"userName": user})
            assert r.status_code == 201, r.text
            r = admin.post(host.base + "/manage/users/%s/passwords" % user, json={"label": "soak", "password": password})
            assert r.status_code == 201, r.text
            cal = "/calendars/%s/soak/" % user
            owner = cb.Client((user, password))
            r = owner.request("MKCALENDAR", host.base + cal)
            assert r.status_code == 201, r.text
            events = calgen.generate(a.events, seed=a.seed + u)
            errors = cb.run_parallel(len(events), 4, lambda i, ev=events: owner.put(
                host.base + cal + ev[i][0], data=ev[i][1].encode(), headers=cb.ICS_HEADERS).raise_for_status())
            assert not errors, "loading %s failed: %s" % (cal, errors[:3])
            cals.append((owner, cal))
            for d in range(a.devices):
                dev = Device(host.base, user, password, cal, stats, random.Random(rng.random()), a.events)
                dev.sync()
                devices.append(dev)
        cb.log("loaded %d users x %d events; soaking for %.1f minutes with %d devices"
               % (a.users, a.events, a.minutes, len(devices)))

        deadline = time.time() + a.minutes * 60
        rss = []
        stop = threading.Event()

        def run(dev):
            while time.time() < deadline and not stop.is_set():
                dev.step(week_start)

        threads = [threading.Thread(target=run, args=(d,), daemon=True) for d in devices]
        t0 = time.time()
        for t in threads:
            t.start()
        while any(t.is_alive() for t in threads):
            rss.append((time.time() - t0, host.rss()))
            time.sleep(5)
        elapsed = time.time() - t0

        for dev in devices:  # the last sync: every device must now hold what the server lists
            dev.sync()
        for dev in devices:
            owner, cal = next(c for c in cals if c[1] == dev.cal)
            truth = listing(owner, host.base, cal)
            if dev.known != truth:
                missing = set(truth) - set(dev.known)
                extra = set(dev.known) - set(truth)
                stale = [h for h in truth if h in dev.known and dev.known[h] != truth[h]]
                failures.append("%s device out of step after its last sync: %d missing, %d extra, %d stale ETags"
                                % (dev.user, len(missing), len(extra), len(stale)))

        time.sleep(1)
        n_log, lines = host.log_findings()
        total = sum(len(v) for v in stats.times.values())
        fifth = max(1, len(rss) // 5)
        warm = sorted(m for _, m in rss[fifth - 1:2 * fifth] if m) or [0]
        late = sorted(m for _, m in rss[-fifth:] if m) or [0]
        warm_mb, late_mb = warm[len(warm) // 2], late[len(late) // 2]

        p = print
        p("Caldera soak, %s, %d cores, load %.2f %.2f %.2f at start, %.2f %.2f %.2f at end" % (
            datetime.now().isoformat(timespec="minutes"), os.cpu_count(), *load_start, *os.getloadavg()))
        p("users %d x devices %d, %d events each, %.1f minutes: %d requests, %.1f req/s" % (
            a.users, a.devices, a.events, elapsed / 60, total, total / elapsed))
        p("%-14s %8s %9s %9s  %s" % ("operation", "requests", "p50 ms", "p99 ms", "statuses"))
        for op in ALLOWED:
            t = sorted(stats.times.get(op, []))
            if not t:
                continue
            p("%-14s %8d %9.1f %9.1f  %s" % (op, len(t), cb.pct(t, 50) * 1000, cb.pct(t, 99) * 1000,
                                           " ".join("%s:%d" % kv for kv in sorted(stats.statuses[op].items()))))
        p("5xx: %d; answers outside the allowed statuses: %d" % (stats.fivexx(), stats.bad()))
        for u in stats.unexpected[:10]:
            p("  " + u)
        p("host log warnings/errors/exceptions/5xx lines: %d" % n_log)
        for line in lines:
            p("  " + line)
        p("RSS MB (every 5 s, sampled): " + " ".join("%.0f" % m for _, m in rss[::max(1, len(rss) // 24)] if m))
        p("RSS after warm-up (median of the 2nd fifth) %.0f MB, at the end (median of the last fifth) %.0f MB, max %.0f MB"
          % (warm_mb, late_mb, max((m for _, m in rss if m), default=0)))
        if stats.fivexx():
            failures.append("%d answers were 5xx" % stats.fivexx())
        if stats.bad():
            failures.append("%d answers outside the allowed statuses" % stats.bad())
        if n_log:
            failures.append("%d warning/error lines in the host log" % n_log)
        if late_mb > warm_mb * 1.25 + 32:
            failures.append("memory grew: %.0f MB -> %.0f MB" % (warm_mb, late_mb))
        p("devices in step with the server after the last sync: %s" % (
            "all %d" % len(devices) if not any("out of step" in f for f in failures) else "NO"))
        p("RESULT: " + ("PASS" if not failures else "FAIL: " + "; ".join(failures)))
    finally:
        cb.stop_all()
        if a.keep:
            cb.log("kept %s" % work)
        else:
            shutil.rmtree(work, ignore_errors=True)
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()

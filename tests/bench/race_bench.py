#!/usr/bin/env python3
"""Race bench: N parallel writers (N = 2, 8, 32) on one calendar of the Caldera local host, over loopback HTTP.

    python3 tests/bench/race_bench.py                      # starts Azurite + one host, N = 2 8 32
    python3 tests/bench/race_bench.py --hosts 2            # two hosts on one Azurite: writers alternate between them
    python3 tests/bench/race_bench.py --url http://127.0.0.1:7070/ --user caldera --password PW   # a running host

Needs a Release build of the local host (`dotnet build functions/Caldera.LocalHost -c Release`) and Azurite in
node_modules (`npm ci`) unless --url is given. Plain http.client and threads, no other package.

Scenarios, each on a fresh calendar, for each N:
  same  N clients loop GET -> PUT If-Match on one object; one in five instead DELETEs it with If-Match, and a client
        that finds it gone makes it again with If-None-Match: *. Expected answers: 201/204 (won), 412 (another
        client won first), 404 (GET or DELETE of a deleted object).
  diff  N clients each create, update (If-Match) and delete (one in three) their own objects of the calendar.
A 503 must carry Retry-After; the client waits that long (capped at 1 s) and sends the same request again, at most 5
times. Printed per N: requests, 2xx, 412, 404, 503 (= retries), other answers, the share of write operations decided
(2xx or 412) by their first request ("first try"), writes per second, and (hosts started here, run with --verbose)
the write attempts the servers retried themselves after losing to a concurrent writer ("write retries" in their log). Afterwards the final state is checked:
`same`: the successful writes form one chain (each one's If-Match is the ETag the previous success left) and a GET
answers the last; `diff`: PROPFIND Depth 1 lists exactly the objects acknowledged last. A check that fails ends the
run with exit status 1. Every process the script starts is stopped at exit.
"""
import argparse
import base64
import http.client
import os
import random
import re
import subprocess
import sys
import threading
import time
import uuid
from urllib.parse import urlsplit

sys.dont_write_bytecode = True
HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from caldav_bench import Azurite, find_azurite, spawn, stop_all, DEFAULT_DLL  # noqa: E402

USER = "racer"
HOST_LOGS = []  # the started hosts' logs (--verbose): each request's line ends with "write retries N"
RETRIES_RE = re.compile(r"write retries (\d+)")


def server_retries():
    """Write attempts retried inside the started hosts so far (None for hosts given by --url)."""
    if not HOST_LOGS:
        return None
    total = 0
    for path in HOST_LOGS:
        with open(path, encoding="utf-8", errors="replace") as f:
            total += sum(int(m) for m in RETRIES_RE.findall(f.read()))
    return total
MAX_RETRIES = 5


def event(uid, summary):
    return ("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//race bench//EN\r\nBEGIN:VEVENT\r\nUID:%s\r\n"
            "DTSTAMP:20240101T000000Z\r\nDTSTART:20240110T100000Z\r\nDTEND:20240110T110000Z\r\nSUMMARY:%s\r\n"
            "END:VEVENT\r\nEND:VCALENDAR\r\n" % (uid, summary)).encode()


class Client:
    """One keep-alive connection; counts answers into a shared tally."""

    def __init__(self, base, user, auth, tally):
        self.user = user
        u = urlsplit(base)
        self.host, self.port = u.hostname, u.port
        self.auth, self.tally = auth, tally
        self.conn = None

    def send(self, method, path, body=None, headers=None):
        """(status, headers dict, body); 503 answers are retried after Retry-After, at most MAX_RETRIES times."""
        for attempt in range(MAX_RETRIES + 1):
            status, hdrs, data = self._once(method, path, body, headers)
            self.tally.count(method, status, first=attempt == 0)
            if status != 503:
                return status, hdrs, data
            if "retry-after" not in hdrs:
                self.tally.fail("503 without Retry-After on %s %s" % (method, path))
            time.sleep(min(float(hdrs.get("retry-after", "1")), 1.0) * random.uniform(0.5, 1.0))
        return status, hdrs, data

    def _once(self, method, path, body, headers):
        h = {"Authorization": self.auth}
        h.update(headers or {})
        for attempt in range(2):
            if self.conn is None:
                self.conn = http.client.HTTPConnection(self.host, self.port, timeout=120)
            try:
                self.conn.request(method, path, body=body, headers=h)
                r = self.conn.getresponse()
                data = r.read()
                return r.status, {k.lower(): v for k, v in r.getheaders()}, data
            except (ConnectionError, http.client.HTTPException):
                self.conn.close()
                self.conn = None
                if attempt:
                    raise
        raise AssertionError("unreachable")


class Tally:
    def __init__(self):
        self.lock = threading.Lock()
        self.requests = self.retries = self.other = 0
        self.by_status = {}
        self.ops = self.first_try = 0
        self.failures = []

    def count(self, method, status, first):
        with self.lock:
            self.requests += 1
            self.by_status[status] = self.by_status.get(status, 0) + 1
            if status == 503:
                self.retries += 1
            if method in ("PUT", "DELETE") and first:
                self.ops += 1
                if status in (200, 201, 204, 412, 404):
                    self.first_try += 1

    def fail(self, message):
        with self.lock:
            self.failures.append(message)


def same_object(clients, path, rounds, tally):
    """Returns the successes as (If-Match sent or None, ETag after or None for a delete)."""
    item = path + "item.ics"
    uid = "same-" + uuid.uuid4().hex
    st, h, _ = clients[0].send("PUT", item, event(uid, "v0"), {"Content-Type": "text/calendar", "If-None-Match": "*"})
    if st != 201:
        tally.fail("seed PUT answered %d" % st)
    successes, lock = [(None, h.get("etag"))], threading.Lock()
    start = threading.Barrier(len(clients))

    def run(i, c):
        start.wait()
        for r in range(rounds):
            st, h, _ = c.send("GET", item)
            if st == 404:
                st, h, _ = c.send("PUT", item, event(uid, "c%d r%d" % (i, r)), {"Content-Type": "text/calendar", "If-None-Match": "*"})
                if st == 201:
                    with lock:
                        successes.append((None, h.get("etag")))
                elif st != 412:
                    tally.fail("create answered %d" % st)
                continue
            if st != 200:
                tally.fail("GET answered %d" % st)
                continue
            etag = h["etag"]
            if random.random() < 0.2:
                st, h, _ = c.send("DELETE", item, headers={"If-Match": etag})
                if st == 204:
                    with lock:
                        successes.append((etag, None))
                elif st not in (412, 404):
                    tally.fail("DELETE answered %d" % st)
            else:
                st, h, _ = c.send("PUT", item, event(uid, "c%d r%d" % (i, r)), {"Content-Type": "text/calendar", "If-Match": etag})
                if st == 204:
                    with lock:
                        successes.append((etag, h.get("etag")))
                elif st not in (412, 404):  # 404: deleted between the GET and the PUT; If-Match then fails as 412
                    tally.fail("PUT If-Match answered %d" % st)

    run_threads(clients, run)
    return check_history(clients[0], item, successes, tally)


def check_history(client, item, successes, tally):
    """The successes (If-Match, or None for a create; ETag after, or None for a delete) must form one history: ETags
    are unique per write, so from each create the links are followed by the ETag each one left. Every success must be
    on a link, no two may start from one ETag (a lost update), and all segments but one must end in a delete (the
    order of the segments is not visible from outside), the other one in what a final GET answers."""
    by_start, creates = {}, []
    for s in successes:
        if s[0] is None:
            creates.append(s)
        elif s[0] in by_start:
            tally.fail("two successful writes both started from ETag %s: a lost update" % s[0])
        else:
            by_start[s[0]] = s
    linked, open_ends = 0, []
    for create in creates:
        current = create[1]
        linked += 1
        while current is not None and current in by_start:
            current = by_start.pop(current)[1]
            linked += 1
        if current is not None:
            open_ends.append(current)
    if linked != len(successes):
        tally.fail("only %d of %d successful writes form one history" % (linked, len(successes)))
    st, h, _ = client.send("GET", item)
    final = h.get("etag") if st == 200 else None
    if open_ends != ([final] if final else []):
        tally.fail("the history ends in %s, a final GET answers %s" % (open_ends, final))
    return len(successes)


def different_objects(clients, path, rounds, tally):
    expected, lock = {}, threading.Lock()
    start = threading.Barrier(len(clients))

    def run(i, c):
        start.wait()
        for r in range(rounds):
            name = "c%d-%d.ics" % (i, r)
            uid = uuid.uuid4().hex
            st, h, _ = c.send("PUT", path + name, event(uid, "new"), {"Content-Type": "text/calendar", "If-None-Match": "*"})
            if st != 201:
                tally.fail("create %s answered %d" % (name, st))
                continue
            st, h, _ = c.send("PUT", path + name, event(uid, "updated"), {"Content-Type": "text/calendar", "If-Match": h["etag"]})
            if st != 204:
                tally.fail("update %s answered %d" % (name, st))
                continue
            etag = h["etag"]
            if r % 3 == 2:
                st, _, _ = c.send("DELETE", path + name, headers={"If-Match": etag})
                if st != 204:
                    tally.fail("delete %s answered %d" % (name, st))
                continue
            with lock:
                expected[path + name] = etag

    run_threads(clients, run)
    body = b'<D:propfind xmlns:D="DAV:"><D:prop><D:getetag/></D:prop></D:propfind>'
    st, _, data = clients[0].send("PROPFIND", path, body, {"Depth": "1", "Content-Type": "application/xml"})
    import xml.etree.ElementTree as ET
    listed = {}
    for resp in ET.fromstring(data).findall("{DAV:}response"):
        href = resp.findtext("{DAV:}href")
        tag = resp.findtext(".//{DAV:}getetag")
        if href != path:
            listed[href] = tag
    if listed != expected:
        tally.fail("PROPFIND lists %d objects, %d acknowledged; differing: %s" % (
            len(listed), len(expected), sorted(set(listed.items()) ^ set(expected.items()))[:5]))
    return len(expected)


def run_threads(clients, fn):
    threads = [threading.Thread(target=fn, args=(i, c)) for i, c in enumerate(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()


def make_calendar(client, name):
    path = "/calendars/%s/%s/" % (client.user, name)
    body = (b'<C:mkcalendar xmlns:D="DAV:" xmlns:C="urn:ietf:params:xml:ns:caldav"><D:set><D:prop>'
            b'<D:displayname>race</D:displayname></D:prop></D:set></C:mkcalendar>')
    st, _, _ = client.send("MKCALENDAR", path, body, {"Content-Type": "application/xml"})
    if st != 201:
        raise SystemExit("MKCALENDAR %s answered %d" % (path, st))
    return path


def start_hosts(count, dll):
    script = find_azurite()
    if not script:
        raise SystemExit("no node_modules/azurite: run `npm ci` in the repository")
    import tempfile
    work = tempfile.mkdtemp(prefix="race-bench-")
    az = Azurite(script, os.path.join(work, "azurite"), os.path.join(work, "azurite.log"))
    password = "race-bench-password-" + uuid.uuid4().hex[:8]
    urls = []
    global HOST_LOGS
    HOST_LOGS = [os.path.join(work, "host%d.log" % n) for n in range(count)]
    for n in range(count):
        args = ["dotnet", dll, "--port", "0", "--storage", az.conn, "--verbose"]
        args += ["--user", USER, "--password", password] if n == 0 else ["--user", USER]
        log = open(os.path.join(work, "host%d.log" % n), "ab")
        p = spawn(args, cwd=work, stdout=subprocess.PIPE, stderr=log, text=True)
        deadline = time.time() + 180
        for line in p.stdout:
            if line.startswith("CALDERA_URL="):
                urls.append(line.split("=", 1)[1].strip())
                break
            if time.time() > deadline:
                break
        if len(urls) != n + 1:
            raise SystemExit("host %d did not start; see %s" % (n, work))
        threading.Thread(target=lambda s: [None for _ in s], args=(p.stdout,), daemon=True).start()
    return urls, password


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--url", action="append", help="a running host (repeat for several instances on one storage)")
    ap.add_argument("--user", default=USER)
    ap.add_argument("--password")
    ap.add_argument("--hosts", type=int, default=1, help="hosts to start on one Azurite (without --url)")
    ap.add_argument("--dll", default=DEFAULT_DLL)
    ap.add_argument("--n", type=int, nargs="+", default=[2, 8, 32])
    ap.add_argument("--rounds", type=int, default=0, help="rounds per client (default: 160 / N, at least 5)")
    a = ap.parse_args()
    if a.url:
        urls, password = a.url, a.password
    else:
        urls, password = start_hosts(a.hosts, a.dll)
        a.user = USER
    auth = "Basic " + base64.b64encode(("%s:%s" % (a.user, password)).encode()).decode()
    with open("/proc/loadavg") as f:
        load_start = f.read().split()[:3]
    print("race bench %s  cores %d  hosts %d  load at start %s" % (
        time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()), os.cpu_count(), len(urls), " ".join(load_start)))
    print("%-5s %4s %6s %6s %6s %5s %5s %5s %5s %9s %8s %6s" % (
        "scen", "N", "rounds", "reqs", "2xx", "412", "404", "503", "other", "first-try", "writes/s", "kept") + "  srv-retries")
    failed = False
    for n in a.n:
        rounds = a.rounds or max(5, 160 // n)
        for scenario in ("same", "diff"):
            tally = Tally()
            clients = []
            for i in range(n):
                clients.append(Client(urls[i % len(urls)], a.user, auth, tally))
            path = make_calendar(clients[0], "race-%s-%d-%s" % (scenario, n, uuid.uuid4().hex[:6]))
            retried_before = server_retries()
            t0 = time.perf_counter()
            kept = (same_object if scenario == "same" else different_objects)(clients, path, rounds, tally)
            elapsed = time.perf_counter() - t0
            ok = sum(v for k, v in tally.by_status.items() if 200 <= k < 300)
            other = sum(v for k, v in tally.by_status.items() if not (200 <= k < 300 or k in (412, 404, 503)))
            writes = tally.ops
            time.sleep(0.5)  # let the hosts' loggers flush
            retried = server_retries()
            print("%-5s %4d %6d %6d %6d %5d %5d %5d %5d %8.1f%% %8.1f %6d  %s" % (
                scenario, n, rounds, tally.requests, ok, tally.by_status.get(412, 0), tally.by_status.get(404, 0),
                tally.retries, other, 100.0 * tally.first_try / max(writes, 1), writes / elapsed, kept,
                "-" if retried is None else "%d" % (retried - retried_before)), flush=True)
            for message in tally.failures[:10]:
                print("  FAIL: " + message)
            failed |= bool(tally.failures) or other > 0
    with open("/proc/loadavg") as f:
        print("load at end %s" % " ".join(f.read().split()[:3]))
    print("RESULT: %s" % ("FAILED" if failed else "all answers correct, final state checked"))
    stop_all()
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()

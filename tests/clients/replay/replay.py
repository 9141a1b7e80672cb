#!/usr/bin/python3
"""Replays recorded client conversations (*.req files) against a CalDAV server and checks every answer.

Standard library only. Used by tests/clients/apple and tests/clients/davx5: each scenario.py calls run_folder().
The file format is described in tests/clients/replay/README.md. In short:

    # source: <repository> <file> - what this request represents
    # title: what the step does
    PROPFIND {principal}
    Depth: 0
    Content-Type: text/xml; charset=utf-8

    <?xml version="1.0"?> ... body ...
    ### expect
    status 207
    prop {principal} C:calendar-home-set/D:href capture=home

A file may hold several requests, each started by its own comment header; the runner sends them in order.
"""

import base64
import http.client
import os
import re
import sys
import time
import urllib.parse
import uuid
import xml.etree.ElementTree as ET

NAMESPACES = {
    "D": "DAV:",
    "C": "urn:ietf:params:xml:ns:caldav",
    "CS": "http://calendarserver.org/ns/",
    "ICAL": "http://apple.com/ns/ical/",
    "CR": "urn:ietf:params:xml:ns:carddav",
    "ME": "http://me.com/_namespace/",
    "P": "https://bitfire.at/webdav-push",
    "X": "urn:x-caldera",
}


class ReplayFailure(Exception):
    """One assertion (or a request) did not hold; the message says which and why."""


def qname(prefixed):
    """D:href -> {DAV:}href; a path step may carry an ElementTree predicate: C:comp[@name='VEVENT']."""
    match = re.fullmatch(r"([A-Za-z]+):([A-Za-z0-9_.-]+)(\[.*\])?", prefixed)
    if not match or match.group(1) not in NAMESPACES:
        raise ReplayFailure(f"bad property name {prefixed!r} (use one of the prefixes {', '.join(NAMESPACES)})")
    return "{%s}%s%s" % (NAMESPACES[match.group(1)], match.group(2), match.group(3) or "")


def et_path(path):
    return "/".join(qname(step) for step in path.split("/"))


def normalize_href(href, base):
    """A response href or a variable as a decoded absolute path, for comparison."""
    parts = urllib.parse.urlsplit(urllib.parse.urljoin(base, href.strip()))
    return urllib.parse.unquote(parts.path)


class Exchange:
    """One request as sent and its response as received."""

    def __init__(self, method, url, headers, body, status, reason, response_headers, response_body):
        self.method, self.url, self.headers, self.body = method, url, headers, body
        self.status, self.reason = status, reason
        self.response_headers = response_headers  # list of (name, value)
        self.response_body = response_body
        self._multistatus = None

    def header(self, name):
        values = [v for k, v in self.response_headers if k.lower() == name.lower()]
        return values[0] if values else None

    def text(self):
        return self.response_body.decode("utf-8", "replace")

    def multistatus(self):
        if self._multistatus is None:
            try:
                root = ET.fromstring(self.response_body)
            except ET.ParseError as e:
                raise ReplayFailure(f"response is not XML: {e}")
            if root.tag != qname("D:multistatus"):
                raise ReplayFailure(f"response root is {root.tag}, not DAV:multistatus")
            self._multistatus = root
        return self._multistatus

    def responses(self, base):
        """(href, response element) for every top-level DAV:response."""
        return [(normalize_href(r.findtext(qname("D:href")) or "", base), r)
                for r in self.multistatus().findall(qname("D:response"))]


class Replayer:
    def __init__(self, url, user, password, artifacts, log_name):
        self.base = url.rstrip("/") + "/"
        split = urllib.parse.urlsplit(self.base)
        self.scheme, self.netloc = split.scheme, split.netloc
        self.auth = "Basic " + base64.b64encode(f"{user}:{password}".encode()).decode()
        self.vars = {"base": split.path, "user": user, "run": uuid.uuid4().hex[:10]}
        self.lists = {}
        self.transcript = open(os.path.join(artifacts, log_name), "w", encoding="utf-8") if artifacts else None
        self.last = None
        self.count = 0

    def close(self):
        if self.transcript:
            self.transcript.close()

    # ---- variables -------------------------------------------------------------------------------------------------

    def expand(self, text, escape=None):
        """Replaces {name} with a captured value and {hrefs:LIST:FROM:TO} with DAV:href elements of a captured list."""

        def one(match):
            name = match.group(1)
            if name.startswith("hrefs:"):
                _, list_name, start, end = (name.split(":") + ["", ""])[:4]
                if list_name not in self.lists:
                    raise ReplayFailure(f"no captured list {list_name!r}")
                chosen = self.lists[list_name][int(start or 0):int(end) if end else None]
                return "".join(f"<href xmlns=\"DAV:\">{urllib.parse.quote(h)}</href>" for h in chosen)
            if name not in self.vars:
                raise ReplayFailure(f"variable {{{name}}} was never captured")
            value = self.vars[name]
            return escape(value) if escape else value

        return re.sub(r"\{([A-Za-z0-9_:.\-]+)\}", one, text)

    def capture(self, name, value):
        if value is None or value == "":
            raise ReplayFailure(f"nothing to capture into {{{name}}}")
        self.vars[name] = value

    # ---- HTTP --------------------------------------------------------------------------------------------------------

    def send(self, method, target, headers, body, auth=True, follow=True):
        url = urllib.parse.urljoin(self.base, target)
        for _ in range(5):
            split = urllib.parse.urlsplit(url)
            conn_class = http.client.HTTPSConnection if split.scheme == "https" else http.client.HTTPConnection
            conn = conn_class(split.netloc, timeout=60)
            path = split.path + ("?" + split.query if split.query else "")
            sent = dict(headers)
            if auth:
                sent["Authorization"] = self.auth
            data = body.encode("utf-8") if body else None
            try:
                conn.request(method, path, body=data, headers=sent)
                response = conn.getresponse()
                exchange = Exchange(method, url, sent, body, response.status, response.reason,
                                    response.getheaders(), response.read())
            finally:
                conn.close()
            self.log(exchange)
            # Both clients follow a redirect of a PROPFIND with the same method and body (DAVx5 via okhttp and
            # dav4jvm's followRedirects; Apple's sim client re-issues the PROPFIND at the Location).
            if follow and exchange.status in (301, 302, 307, 308) and exchange.header("Location"):
                url = urllib.parse.urljoin(url, exchange.header("Location"))
                continue
            return exchange
        raise ReplayFailure(f"too many redirects from {target}")

    def log(self, exchange):
        if not self.transcript:
            return
        shown = {k: ("Basic ***" if k == "Authorization" else v) for k, v in exchange.headers.items()}
        self.transcript.write(f">>> {exchange.method} {exchange.url}\n")
        for k, v in shown.items():
            self.transcript.write(f"{k}: {v}\n")
        if exchange.body:
            self.transcript.write("\n" + exchange.body.rstrip() + "\n")
        self.transcript.write(f"<<< {exchange.status} {exchange.reason}\n")
        for k, v in exchange.response_headers:
            self.transcript.write(f"{k}: {v}\n")
        if exchange.response_body:
            self.transcript.write("\n" + exchange.text().rstrip() + "\n")
        self.transcript.write("\n")
        self.transcript.flush()

    # ---- steps ---------------------------------------------------------------------------------------------------------

    def run_step(self, step):
        """Sends one parsed request and checks its expectations."""
        self.count += 1
        request_line = self.expand(step.request_line)
        method, target = request_line.split(None, 1)
        headers = {}
        for line in step.headers:
            name, value = line.split(":", 1)
            headers[name.strip()] = self.expand(value.strip())
        body = self.expand(step.body, escape=xml_text) if step.body else ""
        if body and step.crlf:
            body = body.replace("\r\n", "\n").replace("\n", "\r\n")
        exchange = self.send(method, target.strip(), headers, body,
                             auth=step.options.get("auth", "basic") != "none",
                             follow=step.options.get("redirects", "follow") != "manual")
        self.last = exchange
        for line in step.expect:
            try:
                check(self, exchange, line)
            except ReplayFailure as e:
                raise ReplayFailure(f"{line.strip()}: {e} (got {exchange.status} for {method} {target.strip()})")


def xml_text(value):
    return value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


# ---- parsing request files ------------------------------------------------------------------------------------------


class Step:
    def __init__(self, source, title, options, request_line, headers, body, expect, crlf):
        self.source, self.title, self.options = source, title, options
        self.request_line, self.headers, self.body, self.expect, self.crlf = request_line, headers, body, expect, crlf


def parse_file(path):
    """A file holds one or more requests; each begins with '#' comment lines (source:, title:, option:)."""
    with open(path, encoding="utf-8") as f:
        lines = f.read().split("\n")
    steps, i = [], 0
    while i < len(lines):
        while i < len(lines) and not lines[i].strip():
            i += 1
        if i >= len(lines):
            break
        source, title, options = [], None, {}
        while i < len(lines) and lines[i].startswith("#"):
            comment = lines[i][1:].strip()
            if comment.startswith("source:"):
                source.append(comment[len("source:"):].strip())
            elif comment.startswith("title:"):
                title = comment[len("title:"):].strip()
            elif comment.startswith("option:"):
                key, _, value = comment[len("option:"):].strip().partition("=")
                options[key.strip()] = value.strip()
            elif source and not comment.startswith("-"):
                source.append(comment)
            i += 1
        if not source or not title:
            raise ReplayFailure(f"{path}:{i}: every request needs '# source:' and '# title:' header lines")
        request_line = lines[i].strip()
        i += 1
        headers = []
        while i < len(lines) and lines[i].strip():
            headers.append(lines[i])
            i += 1
        i += 1
        body_lines = []
        while i < len(lines) and lines[i].strip() != "### expect":
            body_lines.append(lines[i])
            i += 1
        if i >= len(lines):
            raise ReplayFailure(f"{path}: request {request_line!r} has no '### expect' block")
        i += 1
        expect = []
        while i < len(lines) and not lines[i].startswith("#"):
            if lines[i].strip():
                expect.append(lines[i].strip())
            i += 1
        body = "\n".join(body_lines).strip("\n")
        is_ical = any(h.lower().startswith("content-type:") and "text/calendar" in h.lower() for h in headers)
        steps.append(Step(" ".join(source), title, options, request_line, headers, body + ("\n" if body else ""),
                          expect, crlf=is_ical))
    return steps


# ---- assertions -----------------------------------------------------------------------------------------------------


def match_value(actual, operator, expected, replayer):
    """'= text' (exact, variables expanded), '~ regex' / '!~ regex' (variables expanded and escaped)."""
    if operator not in ("=", "~", "!~"):
        raise ReplayFailure(f"unknown operator {operator!r} (use =, ~ or !~)")
    if operator == "=":
        wanted = replayer.expand(expected)
        if actual != wanted:
            raise ReplayFailure(f"value is {actual!r}, expected {wanted!r}")
    elif operator in ("~", "!~"):
        # iCalendar lines may be folded anywhere (RFC 5545 section 3.1): match the unfolded text
        actual = re.sub(r"\r?\n[ \t]", "", actual or "")
    if operator == "~":
        pattern = replayer.expand(expected, escape=re.escape)
        if not re.search(pattern, actual or "", re.S):
            raise ReplayFailure(f"value {shorten(actual)!r} does not match /{pattern}/")
    elif operator == "!~":
        pattern = replayer.expand(expected, escape=re.escape)
        if re.search(pattern, actual or "", re.S):
            raise ReplayFailure(f"value {shorten(actual)!r} matches /{pattern}/ but must not")


def shorten(text, limit=300):
    text = text or ""
    return text if len(text) <= limit else text[:limit] + "..."


def find_response(replayer, exchange, href):
    wanted = normalize_href(replayer.expand(href), replayer.base)
    for got, element in exchange.responses(replayer.base):
        if got == wanted or got.rstrip("/") == wanted.rstrip("/"):
            return element
    raise ReplayFailure(f"no response for {wanted} (hrefs: {', '.join(h for h, _ in exchange.responses(replayer.base))})")


def propstats(response):
    """(status code, prop element) for each propstat of a response."""
    result = []
    for propstat in response.findall(qname("D:propstat")):
        status = propstat.findtext(qname("D:status")) or ""
        code = int(status.split()[1]) if len(status.split()) > 1 else 0
        result.append((code, propstat.find(qname("D:prop"))))
    return result


def element_text(element):
    if element is None:
        return None
    if len(element):
        return ET.tostring(element, encoding="unicode")
    return (element.text or "").strip()


def split_tail(rest):
    """'NAME [= v | ~ re | !~ re] [capture=VAR]' -> (name, operator, value, capture var)."""
    capture_var = None
    m = re.search(r"\s+capture=(\S+)$", rest)
    if m:
        capture_var = m.group(1)
        rest = rest[:m.start()]
    parts = rest.split(None, 2)
    name = parts[0]
    operator = parts[1] if len(parts) > 1 else None
    value = parts[2] if len(parts) > 2 else ""
    return name, operator, value, capture_var


def check(replayer, exchange, line):
    word, _, rest = line.partition(" ")
    rest = rest.strip()
    if word == "status":
        allowed = [int(s) for s in rest.split("|")]
        if exchange.status not in allowed:
            raise ReplayFailure(f"status {exchange.status}, expected {rest}; body: {shorten(exchange.text())}")
    elif word == "header":
        name, operator, value, capture_var = split_tail(rest)
        actual = exchange.header(name)
        if actual is None:
            raise ReplayFailure(f"no {name} header")
        if operator:
            match_value(actual, operator, value, replayer)
        if capture_var:
            replayer.capture(capture_var, actual)
    elif word == "no-header":
        if exchange.header(rest) is not None:
            raise ReplayFailure(f"header {rest}: {exchange.header(rest)} is present but must not be")
    elif word == "body":
        operator, _, value = rest.partition(" ")
        match_value(exchange.text(), operator, value, replayer)
    elif word == "lacks":
        # lacks HREF NAME/CHILD: the property is found (200) but has no CHILD, e.g. a resourcetype without C:calendar
        href, _, path = rest.partition(" ")
        top, _, below = path.partition("/")
        response = find_response(replayer, exchange, href)
        for code, prop in propstats(response):
            element = prop.find(qname(top)) if prop is not None else None
            if element is not None:
                if code != 200:
                    raise ReplayFailure(f"{top} is in a {code} propstat, expected 200")
                if element.find(et_path(below)) is not None:
                    raise ReplayFailure(f"{top} has {below} but must not: {shorten(element_text(element))}")
                return
        raise ReplayFailure(f"{top} is in no propstat")
    elif word in ("prop", "notfound", "absent", "forbidden"):
        href, _, tail = rest.partition(" ")
        name, operator, value, capture_var = split_tail(tail)
        response = find_response(replayer, exchange, href)
        top, _, below = name.partition("/")
        expected_code = {"prop": 200, "notfound": 404, "forbidden": 403}.get(word)
        holders = [(code, prop.find(qname(top))) for code, prop in propstats(response) if prop is not None]
        holders = [(code, el) for code, el in holders if el is not None]
        if word == "absent":
            if holders:
                raise ReplayFailure(f"{top} is in a {holders[0][0]} propstat but must be left out")
            return
        if not holders:
            raise ReplayFailure(f"{top} is in no propstat")
        code, element = holders[0]
        if code != expected_code:
            raise ReplayFailure(f"{top} is in a {code} propstat, expected {expected_code}")
        if word != "prop":
            return
        if below:
            values = element.findall(et_path(below))
            if not values:
                raise ReplayFailure(f"{top} has no {below}: {shorten(element_text(element))}")
            found = [element_text(v) for v in values]
        else:
            found = [element_text(element)]
        chosen = found[0]
        if operator:
            # several values (e.g. the hrefs of an address set): the first that matches is the one checked and captured
            errors = []
            for candidate in found:
                try:
                    match_value(candidate, operator, value, replayer)
                    chosen = candidate
                    break
                except ReplayFailure as e:
                    errors.append(str(e))
            else:
                raise ReplayFailure("; ".join(errors))
        if capture_var:
            replayer.capture(capture_var, chosen)
    elif word == "response-status":
        href, _, code = rest.partition(" ")
        response = find_response(replayer, exchange, href)
        status = response.findtext(qname("D:status")) or ""
        if f" {code.strip()} " not in f" {status} ":
            raise ReplayFailure(f"response status is {status!r}, expected {code}")
        if code.strip() == "507" and response.find(qname("D:error") + "/" + qname("D:number-of-matches-within-limits")) is None:
            raise ReplayFailure("a 507 must name DAV:number-of-matches-within-limits")
    elif word == "no-response":
        wanted = normalize_href(replayer.expand(rest), replayer.base)
        if any(h.rstrip("/") == wanted.rstrip("/") for h, _ in exchange.responses(replayer.base)):
            raise ReplayFailure(f"a response for {wanted} is present but must not be")
    elif word == "members":
        # members HREF COUNT [capture=LIST]: responses strictly below HREF with a 200 propstat
        href, _, tail = rest.partition(" ")
        count, _, capture_part = tail.partition(" ")
        prefix = normalize_href(replayer.expand(href), replayer.base).rstrip("/") + "/"
        members = sorted(h for h, r in exchange.responses(replayer.base)
                         if h.startswith(prefix) and h != prefix and any(c == 200 for c, _ in propstats(r)))
        if count != "*" and len(members) != int(count):
            raise ReplayFailure(f"{len(members)} members, expected {count}: {members}")
        if capture_part.startswith("capture="):
            name = capture_part[len("capture="):]
            replayer.lists[name] = members
    elif word == "collect":
        # collect LIST: appends this response's member hrefs (200 propstats) to LIST, for a paged sync
        name = rest
        members = [h for h, r in exchange.responses(replayer.base) if any(c == 200 for c, _ in propstats(r))]
        replayer.lists[name] = sorted(set(replayer.lists.get(name, []) + members))
    elif word == "same-list":
        a, b = rest.split()
        left, right = sorted(replayer.lists.get(a, [])), sorted(replayer.lists.get(b, []))
        if left != right:
            raise ReplayFailure(f"{a} and {b} differ: only in {a}: {sorted(set(left) - set(right))}, "
                                f"only in {b}: {sorted(set(right) - set(left))}")
    elif word == "list-size":
        name, _, count = rest.partition(" ")
        size = len(replayer.lists.get(name, []))
        if size != int(count):
            raise ReplayFailure(f"list {name} has {size} hrefs, expected {count}")
    elif word == "find":
        # find PATH capture=VAR: the first response whose 200 propstat has PATH (e.g. D:resourcetype/C:calendar)
        path, _, capture_part = rest.partition(" capture=")
        top, _, below = path.partition("/")
        for href, response in exchange.responses(replayer.base):
            for code, prop in propstats(response):
                element = prop.find(qname(top)) if code == 200 and prop is not None else None
                if element is not None and (not below or element.find(et_path(below)) is not None):
                    replayer.capture(capture_part.strip(), href)
                    return
        raise ReplayFailure(f"no response has {path}")
    elif word == "sync-token":
        token = exchange.multistatus().findtext(qname("D:sync-token"))
        name, operator, value, capture_var = split_tail("token " + rest) if rest else ("token", None, "", None)
        if not token:
            raise ReplayFailure("the multistatus has no DAV:sync-token")
        if operator:
            match_value(token, operator, value, replayer)
        if capture_var:
            replayer.capture(capture_var, token)
    elif word == "error":
        try:
            condition = ET.fromstring(exchange.response_body).find(qname(rest)) if exchange.response_body else None
        except ET.ParseError:
            condition = None
        if condition is None:
            raise ReplayFailure(f"the DAV:error body does not name {rest}: {shorten(exchange.text())}")
    elif word in ("differs", "same"):
        a, b = rest.split()
        left, right = replayer.expand("{" + a + "}"), replayer.expand("{" + b + "}")
        if (left == right) != (word == "same"):
            raise ReplayFailure(f"{{{a}}}={left!r} and {{{b}}}={right!r}")
    elif word == "capture":
        # capture VAR = TEXT (a value made of other variables, e.g. an href built the way the client builds it)
        name, _, value = rest.partition("=")
        replayer.capture(name.strip(), replayer.expand(value.strip()))
    elif word == "forget":
        replayer.vars.pop(rest, None)
    else:
        raise ReplayFailure(f"unknown assertion {word!r}")


def run_repeated(replayer, step):
    """Runs a step once, or as its options say; returns how many requests it sent.

    option: repeat=N            N times with {i} = 01..N (the same request for N resources)
    option: repeat-while-507=M  again while the answer holds a 507 for the request URL (a truncated sync), at most M times
    """
    if "repeat" in step.options:
        count = int(step.options["repeat"])
        for i in range(1, count + 1):
            replayer.vars["i"] = f"{i:02d}"
            replayer.run_step(step)
        return count
    if "repeat-while-507" in step.options:
        limit = int(step.options["repeat-while-507"])
        for sent in range(1, limit + 1):
            replayer.run_step(step)
            if not truncated(replayer, replayer.last):
                return sent
        raise ReplayFailure(f"still truncated (507) after {limit} follow-up requests")
    replayer.run_step(step)
    return 1


def truncated(replayer, exchange):
    target = normalize_href(exchange.url, replayer.base).rstrip("/")
    for href, response in exchange.responses(replayer.base):
        if href.rstrip("/") == target and " 507 " in f" {response.findtext(qname('D:status')) or ''} ":
            return True
    return False


# ---- entry point --------------------------------------------------------------------------------------------------


def run_folder(folder, argv, client_name):
    """scenario.py URL USER PASSWORD --artifacts DIR: runs folder/requests/*.req in name order."""
    args = [a for a in argv[1:]]
    artifacts = None
    if "--artifacts" in args:
        at = args.index("--artifacts")
        artifacts = args[at + 1]
        del args[at:at + 2]
        os.makedirs(artifacts, exist_ok=True)
    if len(args) < 3:
        print(f"usage: {argv[0]} URL USER PASSWORD [--artifacts DIR]")
        return 2
    url, user, password = args[:3]
    replayer = Replayer(url, user, password, artifacts, f"{client_name}-transcript.txt")
    started = time.monotonic()
    files = sorted(f for f in os.listdir(os.path.join(folder, "requests")) if f.endswith(".req"))
    try:
        for name in files:
            for step in parse_file(os.path.join(folder, "requests", name)):
                try:
                    sent = run_repeated(replayer, step)
                except (ReplayFailure, OSError, http.client.HTTPException, ET.ParseError) as e:
                    print(f"FAIL {name}: {step.title}: {e}")
                    print(f"     source: {step.source}")
                    return 1
                print(f"ok {name}: {step.title}" + (f" ({sent} requests)" if sent > 1 else ""))
    finally:
        replayer.close()
    print(f"ok {client_name}: {replayer.count} requests replayed in {time.monotonic() - started:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(run_folder(os.path.dirname(os.path.abspath(__file__)), sys.argv, "replay"))

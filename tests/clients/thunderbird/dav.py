"""The server side of the checks: plain CalDAV over HTTP (standard library + python3-icalendar), independent of
Thunderbird, so every step is checked against what the server really stores."""
import base64
import urllib.error
import urllib.parse
import urllib.request
import xml.etree.ElementTree as ET

import icalendar

NS = {"d": "DAV:", "c": "urn:ietf:params:xml:ns:caldav"}


class Dav:
    def __init__(self, url, user, password, timeout=15.0):
        self.base = url if url.endswith("/") else url + "/"
        self.auth = "Basic " + base64.b64encode(f"{user}:{password}".encode()).decode()
        self.timeout = timeout

    def request(self, method, url, body=None, headers=None, ok=(200, 201, 204, 207)):
        req = urllib.request.Request(urllib.parse.urljoin(self.base, url), data=body.encode() if isinstance(body, str) else body,
                                     method=method)
        req.add_header("Authorization", self.auth)
        for k, v in (headers or {}).items():
            req.add_header(k, v)
        try:
            with urllib.request.urlopen(req, timeout=self.timeout) as resp:
                return resp.status, dict(resp.headers), resp.read()
        except urllib.error.HTTPError as e:
            if e.code in ok:
                return e.code, dict(e.headers), e.read()
            raise AssertionError(f"{method} {url} answered {e.code}: {e.read()[:300]!r}") from None

    def propfind(self, url, depth, props):
        body = ('<?xml version="1.0" encoding="utf-8"?><d:propfind xmlns:d="DAV:" xmlns:c="urn:ietf:params:xml:ns:caldav">'
                "<d:prop>" + "".join(f"<{p}/>" for p in props) + "</d:prop></d:propfind>")
        status, _, data = self.request("PROPFIND", url, body, {"Depth": str(depth), "Content-Type": "application/xml"})
        if status != 207:
            raise AssertionError(f"PROPFIND {url} answered {status}")
        out = {}
        for response in ET.fromstring(data).findall("d:response", NS):
            href = urllib.parse.unquote(response.find("d:href", NS).text)
            found = {}
            for propstat in response.findall("d:propstat", NS):
                if " 200 " in (propstat.findtext("d:status", "", NS) + " "):
                    for prop in propstat.find("d:prop", NS):
                        found[prop.tag] = prop
            out[href] = found
        return out

    def first_href(self, url, prop, inner):
        props = self.propfind(url, 0, [prop])
        for found in props.values():
            el = found.get(_tag(prop))
            if el is not None and el.find(inner, NS) is not None:
                return el.find(inner, NS).text
        raise AssertionError(f"{url} has no {prop}")

    def calendars(self):
        """Discovers the user's calendars the RFC 6764 way: principal, home set, collections (path -> components)."""
        principal = self.first_href("", "d:current-user-principal", "d:href")
        home = self.first_href(principal, "c:calendar-home-set", "d:href")
        listing = self.propfind(home, 1, ["d:resourcetype", "d:displayname", "c:supported-calendar-component-set"])
        calendars = {}
        self.displaynames = {}
        for href, props in listing.items():
            rt = props.get("{DAV:}resourcetype")
            if rt is not None and rt.find("c:calendar", NS) is not None:
                comps = props.get("{urn:ietf:params:xml:ns:caldav}supported-calendar-component-set")
                names = {c.get("name") for c in comps} if comps is not None else {"VEVENT", "VTODO"}
                calendars[href] = names
                name = props.get("{DAV:}displayname")
                self.displaynames[href] = name.text if name is not None else None
        return principal, home, calendars

    def user_address(self, principal):
        """The principal's first mailto: calendar user address (RFC 6638 calendar-user-address-set)."""
        props = self.propfind(principal, 0, ["c:calendar-user-address-set"])
        for found in props.values():
            el = found.get("{urn:ietf:params:xml:ns:caldav}calendar-user-address-set")
            for href in el.findall("d:href", NS) if el is not None else []:
                if href.text.lower().startswith("mailto:"):
                    return href.text
        raise AssertionError(f"{principal} has no mailto: calendar-user-address")

    def outbox(self, principal):
        """The principal's schedule-outbox-URL (RFC 6638), or None on a server without scheduling."""
        props = self.propfind(principal, 0, ["c:schedule-outbox-URL"])
        for found in props.values():
            el = found.get("{urn:ietf:params:xml:ns:caldav}schedule-outbox-URL")
            if el is not None and el.find("d:href", NS) is not None:
                return el.find("d:href", NS).text
        return None

    def objects(self, calendar):
        """Every calendar object of the collection, in one calendar-query: href -> (etag, parsed VCALENDAR)."""
        body = ('<?xml version="1.0" encoding="utf-8"?><c:calendar-query xmlns:d="DAV:" xmlns:c="urn:ietf:params:xml:ns:caldav">'
                '<d:prop><d:getetag/><c:calendar-data/></d:prop><c:filter><c:comp-filter name="VCALENDAR"/></c:filter>'
                "</c:calendar-query>")
        status, _, data = self.request("REPORT", calendar, body, {"Depth": "1", "Content-Type": "application/xml"})
        if status != 207:
            raise AssertionError(f"REPORT calendar-query {calendar} answered {status}")
        out = {}
        for response in ET.fromstring(data).findall("d:response", NS):
            href = urllib.parse.unquote(response.find("d:href", NS).text)
            etag = response.findtext(".//d:getetag", None, NS)
            ics = response.findtext(".//c:calendar-data", None, NS)
            if ics is None:
                raise AssertionError(f"calendar-query of {calendar}: no calendar-data for {href}")
            out[href] = (etag, icalendar.Calendar.from_ical(ics))
        return out

    def put(self, href, ics, etag=None):
        headers = {"Content-Type": "text/calendar; charset=utf-8"}
        headers["If-Match" if etag else "If-None-Match"] = etag or "*"
        status, resp_headers, _ = self.request("PUT", href, ics, headers)
        if status not in (201, 204):
            raise AssertionError(f"PUT {href} answered {status}")
        return resp_headers.get("ETag")

    def delete(self, href):
        status, _, _ = self.request("DELETE", href)
        if status not in (200, 204):
            raise AssertionError(f"DELETE {href} answered {status}")

    def status(self, href):
        return self.request("GET", href, ok=(200, 404, 410))[0]


def _tag(prop):
    prefix, name = prop.split(":")
    return "{" + NS[prefix] + "}" + name


def components(vcal, kind):
    return [c for c in vcal.walk() if c.name == kind]

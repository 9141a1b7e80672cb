"""The server's side of a client scenario: a small CalDAV client over plain HTTP (standard library only),
independent of the client under test, so each step is checked against what the server really stores.

Hrefs come back as the server wrote them (paths such as "/calendars/user/default/x.ics"; not unquoted, so
they address the same resource when sent back); every method takes a path or a URL (relative ones are
resolved against the base URL). Unexpected statuses raise ScenarioFailure.
"""

import base64
import collections
import datetime
import urllib.error
import urllib.parse
import urllib.request
import xml.etree.ElementTree as ET

from scenario_kit import check

NS = {"d": "DAV:", "c": "urn:ietf:params:xml:ns:caldav", "cs": "http://calendarserver.org/ns/",
      "i": "http://apple.com/ns/ical/"}
XMLNS = " ".join('xmlns:%s="%s"' % item for item in NS.items())
XML = {"Content-Type": "application/xml; charset=utf-8"}


def clark(name):
    """"d:getetag" -> "{DAV:}getetag"."""
    prefix, local = name.split(":")
    return "{%s}%s" % (NS[prefix], local)


class Response(collections.namedtuple("Response", "status headers body")):
    """status, headers (case-insensitive), body (bytes)."""

    @property
    def text(self):
        return self.body.decode("utf-8", "replace")


class Props(dict):
    """The properties of one href that answered 200: clark tag -> Element."""

    def element(self, name):
        return self.get(clark(name))

    def text(self, name):
        el = self.element(name)
        return el.text if el is not None else None

    def hrefs(self, name):
        el = self.element(name)
        return [h.text for h in el.findall("d:href", NS)] if el is not None else []


CalendarInfo = collections.namedtuple("CalendarInfo", "components displayname")


class CalDAV:
    def __init__(self, url, user, password, timeout=60):
        self.base = url if url.endswith("/") else url + "/"
        self.auth = "Basic " + base64.b64encode(("%s:%s" % (user, password)).encode()).decode()
        self.timeout = timeout

    def url(self, href):
        # quote() only what urllib cannot send (spaces, non-ASCII); hrefs stay as they are otherwise
        return urllib.parse.quote(urllib.parse.urljoin(self.base, href), safe=":/?#[]@!$&'()*+,;=%~")

    def path(self, href):
        return urllib.parse.urlsplit(self.url(href)).path

    def request(self, method, href, body=None, headers=None, expect=(200, 201, 204, 207)):
        """One request with Basic auth; expect=None accepts any status."""
        req = urllib.request.Request(self.url(href), method=method,
                                     data=body.encode("utf-8") if isinstance(body, str) else body)
        req.add_header("Authorization", self.auth)
        for key, value in (headers or {}).items():
            req.add_header(key, value)
        try:
            with urllib.request.urlopen(req, timeout=self.timeout) as resp:
                response = Response(resp.status, resp.headers, resp.read())
        except urllib.error.HTTPError as e:
            response = Response(e.code, e.headers, e.read())
        check(expect is None or response.status in expect, "%s %s answered %s, expected %s:\n%s"
              % (method, href, response.status, expect, response.text[:1500]))
        return response

    # --- reading -----------------------------------------------------------------------------

    def multistatus(self, method, href, body, depth):
        """{href path: Props} of a PROPFIND or REPORT answer (207 required)."""
        data = self.request(method, href, body, dict(XML, Depth=str(depth)), expect=(207,)).body
        out = {}
        for response in ET.fromstring(data).findall("d:response", NS):
            props = Props()
            for propstat in response.findall("d:propstat", NS):
                if " 200 " in (propstat.findtext("d:status", "", NS) + " "):
                    for prop in propstat.find("d:prop", NS):
                        props[prop.tag] = prop
            out[response.findtext("d:href", "", NS)] = props
        return out

    def propfind(self, href, depth, props):
        """props: prefixed names of NS, e.g. ["d:getetag", "c:calendar-home-set"]."""
        body = ('<?xml version="1.0" encoding="utf-8"?><d:propfind %s><d:prop>%s</d:prop></d:propfind>'
                % (XMLNS, "".join("<%s/>" % p for p in props)))
        return self.multistatus("PROPFIND", href, body, depth)

    def prop(self, href, name):
        """One property of one resource (Depth 0), as Props, or None where it did not answer 200."""
        return next((p for p in self.propfind(href, 0, [name]).values() if p.element(name) is not None), None)

    def members(self, collection):
        """{href path: etag} of a collection's members (PROPFIND Depth 1, the collection left out)."""
        own = self.path(collection).rstrip("/")
        return {href: props.text("d:getetag") for href, props in
                self.propfind(collection, 1, ["d:resourcetype", "d:getetag"]).items() if href.rstrip("/") != own}

    def calendar_query(self, collection, component=None, start=None, end=None, data=True):
        """{href path: (etag, calendar-data text or None)} of the objects a calendar-query finds:
        every object, or those with a `component` overlapping [start, end) (UTC stamps)."""
        inner = ""
        if component:
            time_range = '<c:time-range start="%s" end="%s"/>' % (start, end) if start else ""
            inner = '<c:comp-filter name="%s">%s</c:comp-filter>' % (component, time_range)
        body = ('<?xml version="1.0" encoding="utf-8"?><c:calendar-query %s><d:prop><d:getetag/>%s</d:prop>'
                '<c:filter><c:comp-filter name="VCALENDAR">%s</c:comp-filter></c:filter></c:calendar-query>'
                % (XMLNS, "<c:calendar-data/>" if data else "", inner))
        out = {}
        for href, props in self.multistatus("REPORT", collection, body, 1).items():
            text = props.text("c:calendar-data")
            check(not data or text, "calendar-query of %s: no calendar-data for %s" % (collection, href))
            out[href] = (props.text("d:getetag"), text)
        return out

    def objects(self, collection, parse=lambda text: text):
        """{href path: (etag, parse(calendar-data))} of every object, in one calendar-query."""
        return {href: (etag, parse(text)) for href, (etag, text) in self.calendar_query(collection).items()}

    def query_day(self, collection, day):
        """hrefs of the VEVENTs a time-range calendar-query finds on that day (UTC, a day wide)."""
        end = day + datetime.timedelta(days=1)
        return set(self.calendar_query(collection, "VEVENT", day.strftime("%Y%m%dT000000Z"),
                                       end.strftime("%Y%m%dT000000Z"), data=False))

    def objects_by_get(self, collection, parse=lambda text: text):
        """The same as objects(), read the way simple clients read: PROPFIND Depth 1, then a GET of each
        member (200 required; the ETag is the GET's)."""
        out = {}
        for href in self.members(collection):
            r = self.request("GET", href, expect=(200,))
            out[href] = (r.headers.get("ETag"), parse(r.text))
        return out

    def ctag(self, collection):
        props = self.prop(collection, "cs:getctag")
        return props.text("cs:getctag") if props else None

    def is_calendar(self, href):
        """Whether href is a calendar collection (False where it does not exist)."""
        body = '<?xml version="1.0" encoding="utf-8"?><d:propfind %s><d:prop><d:resourcetype/></d:prop></d:propfind>' % XMLNS
        r = self.request("PROPFIND", href, body, dict(XML, Depth="0"), expect=None)
        return r.status == 207 and ET.fromstring(r.body).find(".//c:calendar", NS) is not None

    # --- discovery (RFC 6764: principal, then calendar home) ---------------------------------

    def first_href(self, href, name):
        props = self.prop(href, name)
        check(props and props.hrefs(name), "%s has no %s" % (href, name))
        return props.hrefs(name)[0]

    def calendar_home(self):
        return self.first_href(self.first_href("", "d:current-user-principal"), "c:calendar-home-set")

    def calendars(self):
        """(principal, home, {calendar path: CalendarInfo(components, displayname)})."""
        principal = self.first_href("", "d:current-user-principal")
        home = self.first_href(principal, "c:calendar-home-set")
        found = {}
        for href, props in self.propfind(home, 1, ["d:resourcetype", "d:displayname",
                                                   "c:supported-calendar-component-set"]).items():
            kind = props.element("d:resourcetype")
            if kind is not None and kind.find("c:calendar", NS) is not None:
                comps = props.element("c:supported-calendar-component-set")
                names = {c.get("name") for c in comps} if comps is not None else {"VEVENT", "VTODO"}
                found[href] = CalendarInfo(names, props.text("d:displayname"))
        return principal, home, found

    def user_address(self, principal):
        """The principal's first mailto: calendar user address (RFC 6638 calendar-user-address-set)."""
        props = self.prop(principal, "c:calendar-user-address-set")
        mailto = [h for h in (props.hrefs("c:calendar-user-address-set") if props else []) if h.lower().startswith("mailto:")]
        check(mailto, "%s has no mailto: calendar-user-address" % principal)
        return mailto[0]

    def outbox(self, principal):
        """The principal's schedule-outbox-URL (RFC 6638), or None on a server without scheduling."""
        props = self.prop(principal, "c:schedule-outbox-URL")
        return (props.hrefs("c:schedule-outbox-URL") or [None])[0] if props else None

    # --- writing -----------------------------------------------------------------------------

    def mkcalendar(self, href, displayname=None):
        body = None
        if displayname is not None:
            body = ('<?xml version="1.0" encoding="utf-8"?><c:mkcalendar %s><d:set><d:prop><d:displayname>%s'
                    '</d:displayname></d:prop></d:set></c:mkcalendar>' % (XMLNS, _escape(displayname)))
        self.request("MKCALENDAR", href, body, XML if body else None, expect=(201,))

    def proppatch(self, href, values):
        """Sets {prefixed name: text}; every property must answer 200."""
        props = "".join("<%s>%s</%s>" % (name, _escape(value), name) for name, value in values.items())
        body = ('<?xml version="1.0" encoding="utf-8"?><d:propertyupdate %s><d:set><d:prop>%s</d:prop></d:set>'
                '</d:propertyupdate>' % (XMLNS, props))
        r = self.request("PROPPATCH", href, body, XML, expect=(207,))
        statuses = [s.text for s in ET.fromstring(r.body).iter("{DAV:}status")]
        check(statuses and all(" 200 " in s + " " for s in statuses), "PROPPATCH %s refused:\n%s" % (href, r.text))

    def put(self, href, ics, etag=None):
        """Creates (If-None-Match: *) or, given its ETag, replaces (If-Match); returns the new ETag, if any."""
        headers = {"Content-Type": "text/calendar; charset=utf-8"}
        headers.update({"If-Match": etag} if etag else {"If-None-Match": "*"})
        return self.request("PUT", href, ics, headers, expect=(201, 204)).headers.get("ETag")

    def delete(self, href, etag=None):
        self.request("DELETE", href, headers={"If-Match": etag} if etag else None, expect=(204,))


def _escape(text):
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")

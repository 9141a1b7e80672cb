"""The server's side of the scenario over plain CalDAV (requests), as another client would see it.

Talks to the server directly (not through the recording proxy): finds the
calendars of the user's home, reads every object of a calendar with one
calendar-query REPORT, and writes with PUT/DELETE guarded by ETags.
"""

import xml.etree.ElementTree as ET
from urllib.parse import urljoin, urlparse

import requests

NS = {"d": "DAV:", "c": "urn:ietf:params:xml:ns:caldav"}


class ServerDav:
    def __init__(self, url, user, password):
        self.base = url if url.endswith("/") else url + "/"
        self.session = requests.Session()
        self.session.auth = (user, password)

    def request(self, method, url, body=None, headers=None, expect=(200, 201, 204, 207)):
        response = self.session.request(method, urljoin(self.base, url), data=body, headers=headers or {}, timeout=30)
        if response.status_code not in expect:
            raise AssertionError("%s %s -> %d %s" % (method, url, response.status_code, response.text[:500]))
        return response

    def propfind(self, url, props, depth="0"):
        body = '<?xml version="1.0"?><d:propfind xmlns:d="DAV:" xmlns:c="urn:ietf:params:xml:ns:caldav"><d:prop>%s</d:prop></d:propfind>' % props
        xml = self.request("PROPFIND", url, body, {"Depth": depth, "Content-Type": "application/xml"}).content
        return ET.fromstring(xml)

    def calendar_home(self):
        root = self.propfind(self.base, "<d:current-user-principal/>")
        principal = root.find(".//d:current-user-principal/d:href", NS).text
        root = self.propfind(principal, "<c:calendar-home-set/>")
        return urljoin(self.base, root.find(".//c:calendar-home-set/d:href", NS).text)

    def calendars(self):
        """Absolute URLs of the calendar collections in the user's calendar home."""
        home = self.calendar_home()
        root = self.propfind(home, "<d:resourcetype/>", depth="1")
        found = []
        for response in root.findall("d:response", NS):
            if response.find(".//d:resourcetype/c:calendar", NS) is not None:
                found.append(urljoin(home, response.find("d:href", NS).text))
        return found

    def objects(self, calendar_url):
        """{href path: (etag, calendar-data)} for every object of the calendar."""
        body = ('<?xml version="1.0"?><c:calendar-query xmlns:d="DAV:" xmlns:c="urn:ietf:params:xml:ns:caldav">'
                '<d:prop><d:getetag/><c:calendar-data/></d:prop>'
                '<c:filter><c:comp-filter name="VCALENDAR"/></c:filter></c:calendar-query>')
        xml = self.request("REPORT", calendar_url, body, {"Depth": "1", "Content-Type": "application/xml"}).content
        result = {}
        for response in ET.fromstring(xml).findall("d:response", NS):
            data = response.find(".//c:calendar-data", NS)
            if data is None or not data.text:
                continue
            href = urlparse(urljoin(calendar_url, response.find("d:href", NS).text)).path
            result[href] = (response.find(".//d:getetag", NS).text, data.text)
        return result

    def ctag(self, calendar_url):
        root = self.propfind(calendar_url, '<cs:getctag xmlns:cs="http://calendarserver.org/ns/"/>')
        node = root.find(".//{http://calendarserver.org/ns/}getctag")
        return node.text if node is not None else None

    def put(self, url, text, etag=None, create=False):
        headers = {"Content-Type": "text/calendar; charset=utf-8"}
        if create:
            headers["If-None-Match"] = "*"
        elif etag:
            headers["If-Match"] = etag
        return self.request("PUT", url, text.encode("utf-8"), headers, expect=(201, 204))

    def delete(self, url, etag=None):
        return self.request("DELETE", url, headers={"If-Match": etag} if etag else {}, expect=(204,))

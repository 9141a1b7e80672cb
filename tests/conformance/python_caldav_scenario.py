#!/usr/bin/python3
"""CalDAV conformance scenario driven by python-caldav (Debian's python3-caldav, 0.11).

Usage: python_caldav_scenario.py URL USER PASSWORD [--expect-default-calendar]

Server-agnostic: it discovers everything from URL (the server's base URL)
through DAV:current-user-principal and CALDAV:calendar-home-set. Each step
prints `ok <step>`; the first failing step prints `FAIL <step>: <why>` plus the
last HTTP exchanges with the server, and the script exits non-zero.
"""

import datetime
import sys
import traceback
import uuid
from urllib.parse import urljoin

import requests

import caldav
from caldav import error
from caldav.elements import dav

# ---------------------------------------------------------------- HTTP trace --

_TRACE = []  # (method, url, request headers, request body, status, response headers, response body)
_TRACE_KEEP = 6


def _short(data, limit=1500):
    if data is None:
        return ""
    if isinstance(data, bytes):
        data = data.decode("utf-8", "replace")
    data = str(data)
    return data if len(data) <= limit else data[:limit] + "\n... (%d more chars)" % (len(data) - limit)


def _install_trace(session):
    """Record every HTTP exchange (401 challenges and redirects included), so a failure can
    show what the server answered."""

    def hook(response, *args, **kwargs):
        req = response.request
        headers = {k: ("<redacted>" if k.lower() == "authorization" else v) for k, v in req.headers.items()}
        _TRACE.append((req.method, req.url, headers, req.body, response.status_code,
                       dict(response.headers), response.content))
        del _TRACE[:-_TRACE_KEEP]

    session.hooks["response"].append(hook)


def _dump_trace():
    if not _TRACE:
        return
    print("---- last %d HTTP exchanges with the server ----" % len(_TRACE))
    for method, url, req_headers, req_body, status, resp_headers, resp_body in _TRACE:
        print(">>> %s %s" % (method, url))
        for k, v in req_headers.items():
            print(">>> %s: %s" % (k, v))
        if req_body:
            print(_short(req_body))
        print("<<< %s" % status)
        for k, v in resp_headers.items():
            print("<<< %s: %s" % (k, v))
        if resp_body:
            print(_short(resp_body))
        print("----")


# ------------------------------------------------------------------ helpers --


class ScenarioFailure(Exception):
    pass


def check(condition, message):
    if not condition:
        raise ScenarioFailure(message)


def step(name):
    def wrap(fn):
        def run(*args, **kwargs):
            try:
                result = fn(*args, **kwargs)
            except Exception as exc:  # noqa: BLE001 - every failure is reported the same way
                detail = str(exc) or exc.__class__.__name__
                print("FAIL %s: %s: %s" % (name, exc.__class__.__name__, detail))
                if not isinstance(exc, ScenarioFailure):
                    traceback.print_exc(file=sys.stdout)
                _dump_trace()
                raise SystemExit(1)
            print("ok %s" % name, flush=True)
            return result

        return run

    return wrap


def uids_of(objects):
    return sorted(str(o.icalendar_component["UID"]) for o in objects)


def summary_of(obj):
    return str(obj.icalendar_component.get("SUMMARY"))


def etag_of_get(client, url):
    """ETag as returned by a plain GET of the resource."""
    r = client.request(str(url))
    check(r.status == 200, "GET %s answered %s, expected 200" % (url, r.status))
    etag = r.headers.get("ETag")
    check(etag, "GET %s returned no ETag header" % url)
    return etag, r.raw


def same_url(a, b):
    return str(a).rstrip("/") == str(b).rstrip("/")


# ------------------------------------------------------------ the test data --

RUN = uuid.uuid4().hex[:12]
UID_SINGLE = "single-%s@conformance.caldera" % RUN
UID_WEEKLY = "weekly-%s@conformance.caldera" % RUN
UID_OUTSIDE = "outside-%s@conformance.caldera" % RUN
STAMP = datetime.datetime.now(datetime.timezone.utc).strftime("%Y%m%dT%H%M%SZ")

# Search window: the week of Monday 2030-01-07 (UTC).
RANGE_START = datetime.datetime(2030, 1, 7, 0, 0, tzinfo=datetime.timezone.utc)
RANGE_END = datetime.datetime(2030, 1, 14, 0, 0, tzinfo=datetime.timezone.utc)

ICS_SINGLE = """BEGIN:VCALENDAR
VERSION:2.0
PRODID:-//Caldera//conformance python-caldav//EN
BEGIN:VEVENT
UID:%s
DTSTAMP:%s
DTSTART:20300109T100000Z
DTEND:20300109T110000Z
SUMMARY:Conformance single event
DESCRIPTION:Plain event inside the search window
LOCATION:Room 1
END:VEVENT
END:VCALENDAR
""" % (UID_SINGLE, STAMP)

# Weekly on Tuesdays from 2029-12-04 (four weeks before the window), 10 occurrences
# (last one 2030-02-05), in a real time zone with its VTIMEZONE, as clients send it.
ICS_WEEKLY = """BEGIN:VCALENDAR
VERSION:2.0
PRODID:-//Caldera//conformance python-caldav//EN
BEGIN:VTIMEZONE
TZID:Europe/Berlin
BEGIN:DAYLIGHT
TZOFFSETFROM:+0100
TZOFFSETTO:+0200
TZNAME:CEST
DTSTART:19700329T020000
RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU
END:DAYLIGHT
BEGIN:STANDARD
TZOFFSETFROM:+0200
TZOFFSETTO:+0100
TZNAME:CET
DTSTART:19701025T030000
RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU
END:STANDARD
END:VTIMEZONE
BEGIN:VEVENT
UID:%s
DTSTAMP:%s
DTSTART;TZID=Europe/Berlin:20291204T090000
DTEND;TZID=Europe/Berlin:20291204T093000
RRULE:FREQ=WEEKLY;COUNT=10
SUMMARY:Conformance weekly meeting
END:VEVENT
END:VCALENDAR
""" % (UID_WEEKLY, STAMP)

ICS_OUTSIDE = """BEGIN:VCALENDAR
VERSION:2.0
PRODID:-//Caldera//conformance python-caldav//EN
BEGIN:VEVENT
UID:%s
DTSTAMP:%s
DTSTART:20300304T100000Z
DTEND:20300304T110000Z
SUMMARY:Conformance event outside the window
END:VEVENT
END:VCALENDAR
""" % (UID_OUTSIDE, STAMP)


UID_TODO_OPEN = "todo-open-%s@conformance.caldera" % RUN
UID_TODO_DONE = "todo-done-%s@conformance.caldera" % RUN

ICS_TODO_OPEN = """BEGIN:VCALENDAR
VERSION:2.0
PRODID:-//Caldera//conformance python-caldav//EN
BEGIN:VTODO
UID:%s
DTSTAMP:%s
DUE:20300110T170000Z
STATUS:NEEDS-ACTION
SUMMARY:Conformance open task
END:VTODO
END:VCALENDAR
""" % (UID_TODO_OPEN, STAMP)

ICS_TODO_DONE = """BEGIN:VCALENDAR
VERSION:2.0
PRODID:-//Caldera//conformance python-caldav//EN
BEGIN:VTODO
UID:%s
DTSTAMP:%s
DUE:20300103T170000Z
STATUS:COMPLETED
COMPLETED:20300102T120000Z
SUMMARY:Conformance finished task
END:VTODO
END:VCALENDAR
""" % (UID_TODO_DONE, STAMP)


# ------------------------------------------------------------------- steps --


@step("well-known")
def well_known(base_url, user, password):
    """RFC 6764: /.well-known/caldav redirects to the context path."""
    url = urljoin(base_url, "/.well-known/caldav")
    session = requests.Session()
    _install_trace(session)
    r = session.request("PROPFIND", url, auth=(user, password), allow_redirects=False,
                        headers={"Depth": "0"}, timeout=30)
    check(r.status_code in (301, 302, 303, 307, 308),
          "PROPFIND %s answered %s, expected a redirect (RFC 6764)" % (url, r.status_code))
    location = r.headers.get("Location")
    check(location, "redirect from %s has no Location header" % url)
    print("  /.well-known/caldav -> %s %s" % (r.status_code, location))


@step("discover")
def discover(client):
    principal = client.principal()
    check(principal.url is not None, "no DAV:current-user-principal")
    home = principal.calendar_home_set
    check(home is not None and home.url is not None, "no CALDAV:calendar-home-set on %s" % principal.url)
    print("  principal=%s home=%s" % (principal.url, home.url))
    return principal


@step("list-calendars")
def list_calendars(principal, expect_default):
    calendars = principal.calendars()
    for c in calendars:
        print("  calendar %s (%s)" % (c.url, c.name))
    if expect_default:
        check(len(calendars) >= 1, "a new user should have a default calendar, found none")
    return calendars


@step("create-calendar")
def create_calendar(principal, before):
    cal_id = "conformance-%s" % RUN
    name = "Conformance %s" % RUN
    cal = principal.make_calendar(name=name, cal_id=cal_id)
    after = principal.calendars()
    check(len(after) == len(before) + 1,
          "calendar count went from %d to %d after MKCALENDAR, expected +1" % (len(before), len(after)))
    found = [c for c in after if same_url(c.url, cal.url)]
    check(found, "new calendar %s not listed in the calendar home: %s" % (cal.url, [str(c.url) for c in after]))
    display = found[0].get_display_name()
    check(display == name, "displayname is %r, expected %r" % (display, name))
    check(cal.events() == [], "a new calendar should be empty")
    print("  created %s" % cal.url)
    return cal


@step("save-events")
def save_events(cal):
    saved = {}
    for uid, ics in ((UID_SINGLE, ICS_SINGLE), (UID_WEEKLY, ICS_WEEKLY), (UID_OUTSIDE, ICS_OUTSIDE)):
        ev = cal.save_event(ics)
        check(str(ev.url).startswith(str(cal.url)), "event URL %s is not inside %s" % (ev.url, cal.url))
        saved[uid] = ev
    events = cal.events()
    check(uids_of(events) == sorted(saved), "calendar lists %s, expected %s" % (uids_of(events), sorted(saved)))
    return saved


@step("search-time-range")
def search_time_range(cal):
    found = cal.search(start=RANGE_START, end=RANGE_END, event=True)
    got = uids_of(found)
    expected = sorted([UID_SINGLE, UID_WEEKLY])
    check(UID_OUTSIDE not in got, "event outside the window was returned: %s" % got)
    check(UID_SINGLE in got, "single event inside the window not found: %s" % got)
    check(UID_WEEKLY in got,
          "weekly event (first occurrence 4 weeks earlier, one occurrence 2030-01-08) not found: %s" % got)
    check(got == expected, "window search returned %s, expected %s" % (got, expected))


@step("search-recurrence-bounds")
def search_recurrence_bounds(cal):
    # COUNT=10 ends the series on 2030-02-05: a window after it must not match it.
    later = cal.search(start=datetime.datetime(2030, 2, 10, tzinfo=datetime.timezone.utc),
                       end=datetime.datetime(2030, 2, 17, tzinfo=datetime.timezone.utc), event=True)
    check(uids_of(later) == [], "window 2030-02-10..17 (after the series' COUNT) returned %s" % uids_of(later))
    # Wednesday 2030-01-23 in Berlin (a day without an occurrence of the Tuesday series).
    gap = cal.search(start=datetime.datetime(2030, 1, 23, tzinfo=datetime.timezone.utc),
                     end=datetime.datetime(2030, 1, 24, tzinfo=datetime.timezone.utc), event=True)
    check(uids_of(gap) == [], "window on a day without occurrences returned %s" % uids_of(gap))
    # The last occurrence, Tuesday 2030-02-05 09:00 Berlin = 08:00Z.
    last = cal.search(start=datetime.datetime(2030, 2, 5, 7, 30, tzinfo=datetime.timezone.utc),
                      end=datetime.datetime(2030, 2, 5, 8, 15, tzinfo=datetime.timezone.utc), event=True)
    check(uids_of(last) == [UID_WEEKLY], "window around the last occurrence returned %s" % uids_of(last))


@step("search-expand")
def search_expand(cal):
    """Server-side expansion (RFC 4791 §9.6.5): each instance of the window, in UTC, with RECURRENCE-ID."""
    start = datetime.datetime(2030, 1, 1, tzinfo=datetime.timezone.utc)
    end = datetime.datetime(2030, 1, 22, tzinfo=datetime.timezone.utc)
    found = cal.search(start=start, end=end, event=True, expand=True)
    reports = [t for t in _TRACE if t[0] == "REPORT"]
    check(reports, "no REPORT was sent for the expanded search")
    raw = _short(reports[-1][6], 100000)
    # python-caldav expands on the client when the server leaves RRULE in: make sure the server did the work.
    check("RRULE" not in raw, "the server returned RRULE in an expanded answer:\n%s" % _short(raw))
    check("RECURRENCE-ID" in raw, "expanded instances carry no RECURRENCE-ID:\n%s" % _short(raw))
    instances = []
    for obj in found:
        comp = obj.icalendar_component
        instances.append((str(comp["UID"]), comp["DTSTART"].dt.astimezone(datetime.timezone.utc)))
    instances.sort(key=lambda x: x[1])
    utc = datetime.timezone.utc
    expected = [
        (UID_WEEKLY, datetime.datetime(2030, 1, 1, 8, 0, tzinfo=utc)),
        (UID_WEEKLY, datetime.datetime(2030, 1, 8, 8, 0, tzinfo=utc)),
        (UID_SINGLE, datetime.datetime(2030, 1, 9, 10, 0, tzinfo=utc)),
        (UID_WEEKLY, datetime.datetime(2030, 1, 15, 8, 0, tzinfo=utc)),
    ]
    check(instances == expected, "expanded instances are %s, expected %s" % (instances, expected))
    print("  %d instances, expanded by the server" % len(instances))


@step("search-todo")
def search_todo(cal):
    """todo=True asks for pending tasks (is-not-defined COMPLETED, STATUS text-match negated)."""
    cal.save_todo(ICS_TODO_OPEN)
    cal.save_todo(ICS_TODO_DONE)
    pending = uids_of(cal.search(todo=True))
    check(pending == [UID_TODO_OPEN], "pending tasks are %s, expected only the open one" % pending)
    everything = uids_of(cal.search(todo=True, include_completed=True))
    check(everything == sorted([UID_TODO_OPEN, UID_TODO_DONE]), "all tasks are %s" % everything)
    events = uids_of(cal.search(event=True, start=RANGE_START, end=RANGE_END))
    check(UID_TODO_OPEN not in events, "a VTODO was returned by an event search: %s" % events)


@step("fetch-by-url")
def fetch_by_url(cal, saved):
    ev = cal.event_by_url(saved[UID_SINGLE].url)
    comp = ev.icalendar_component
    check(str(comp["UID"]) == UID_SINGLE, "UID is %s" % comp.get("UID"))
    check(summary_of(ev) == "Conformance single event", "SUMMARY is %r" % summary_of(ev))
    check(str(comp.get("LOCATION")) == "Room 1", "LOCATION is %r" % comp.get("LOCATION"))
    start = comp["DTSTART"].dt
    check(start == datetime.datetime(2030, 1, 9, 10, 0, tzinfo=datetime.timezone.utc)
          or start.isoformat() == "2030-01-09T10:00:00+00:00", "DTSTART is %r" % start)
    weekly = cal.event_by_url(saved[UID_WEEKLY].url)
    wcomp = weekly.icalendar_component
    check("RRULE" in wcomp, "RRULE lost on the weekly event")
    rrule = wcomp["RRULE"]
    check(rrule.get("FREQ") == ["WEEKLY"] and rrule.get("COUNT") == [10], "RRULE is %r" % rrule.to_ical())
    check(wcomp["DTSTART"].params.get("TZID") == "Europe/Berlin",
          "DTSTART lost its TZID: %r" % wcomp["DTSTART"].to_ical())


@step("fetch-by-uid")
def fetch_by_uid(cal, saved):
    for uid in (UID_SINGLE, UID_WEEKLY):
        ev = cal.event_by_uid(uid)
        check(same_url(ev.url, saved[uid].url), "event_by_uid(%s) gave %s, expected %s" % (uid, ev.url, saved[uid].url))
        check(str(ev.icalendar_component["UID"]) == uid, "wrong UID in data")
    try:
        cal.event_by_uid("no-such-uid-%s" % RUN)
    except error.NotFoundError:
        pass
    else:
        raise ScenarioFailure("event_by_uid of an unknown UID returned something")


@step("sync-token")
def sync_token_start(cal):
    objs = cal.objects_by_sync_token(load_objects=False)
    check(objs.sync_token, "sync-collection REPORT returned no sync-token")
    # Three events from save-events and two tasks from search-todo.
    check(len(list(objs)) == 5, "initial sync-collection listed %d objects, expected 5" % len(list(objs)))
    return objs


@step("modify")
def modify(client, cal, saved):
    url = saved[UID_SINGLE].url
    etag_before, _ = etag_of_get(client, url)
    ev = cal.event_by_url(url)
    ev.icalendar_component["SUMMARY"] = "Conformance single event (renamed)"
    ev.save()
    again = cal.event_by_url(url)
    check(summary_of(again) == "Conformance single event (renamed)",
          "SUMMARY after save is %r" % summary_of(again))
    etag_after, _ = etag_of_get(client, url)
    check(etag_after != etag_before, "ETag did not change on modification (%s)" % etag_after)
    found = cal.search(start=RANGE_START, end=RANGE_END, event=True)
    renamed = [summary_of(o) for o in found if str(o.icalendar_component["UID"]) == UID_SINGLE]
    check(renamed == ["Conformance single event (renamed)"], "search returns stale data: %s" % renamed)
    print("  ETag %s -> %s" % (etag_before, etag_after))


@step("sync-token-changes")
def sync_token_changes(objs, saved):
    updated, deleted = objs.sync()
    check([str(o.url) for o in updated] == [str(saved[UID_SINGLE].url)],
          "sync after modify reported updated=%s deleted=%s, expected only %s"
          % ([str(o.url) for o in updated], [str(o.url) for o in deleted], saved[UID_SINGLE].url))


@step("delete-event")
def delete_event(cal, saved):
    url = saved[UID_OUTSIDE].url
    cal.event_by_url(url).delete()
    try:
        cal.event_by_url(url)
    except error.NotFoundError:
        pass
    else:
        raise ScenarioFailure("GET %s still succeeds after DELETE" % url)
    remaining = uids_of(cal.events())
    check(remaining == sorted([UID_SINGLE, UID_WEEKLY]), "after delete the calendar lists %s" % remaining)
    try:
        cal.event_by_uid(UID_OUTSIDE)
    except error.NotFoundError:
        pass
    else:
        raise ScenarioFailure("deleted event still found by UID")


@step("sync-token-deletion")
def sync_token_deletion(objs, saved):
    updated, deleted = objs.sync()
    check([str(o.url) for o in deleted] == [str(saved[UID_OUTSIDE].url)],
          "sync after delete reported updated=%s deleted=%s, expected deleted %s"
          % ([str(o.url) for o in updated], [str(o.url) for o in deleted], saved[UID_OUTSIDE].url))


@step("delete-calendar")
def delete_calendar(client, principal, cal, before):
    url = cal.url
    cal.delete()
    after = principal.calendars()
    check(not [c for c in after if same_url(c.url, url)], "deleted calendar %s is still listed" % url)
    check(len(after) == len(before), "calendar count is %d, expected %d as before the scenario" % (len(after), len(before)))
    r = client.propfind(str(url), depth=0)
    check(r.status == 404, "PROPFIND on the deleted calendar answered %s, expected 404" % r.status)


def main(argv):
    args = [a for a in argv[1:] if not a.startswith("--")]
    flags = {a for a in argv[1:] if a.startswith("--")}
    if len(args) != 3:
        print(__doc__)
        return 2
    url, user, password = args
    if not url.endswith("/"):
        url += "/"

    print("python-caldav scenario against %s as %s (run %s)" % (url, user, RUN))
    if "--skip-well-known" not in flags:
        well_known(url, user, password)
    client = caldav.DAVClient(url=url, username=user, password=password, timeout=60)
    _install_trace(client.session)
    principal = discover(client)
    before = list_calendars(principal, "--expect-default-calendar" in flags)
    cal = create_calendar(principal, before)
    try:
        saved = save_events(cal)
        search_time_range(cal)
        search_recurrence_bounds(cal)
        search_expand(cal)
        search_todo(cal)
        fetch_by_url(cal, saved)
        fetch_by_uid(cal, saved)
        objs = sync_token_start(cal)
        modify(client, cal, saved)
        sync_token_changes(objs, saved)
        delete_event(cal, saved)
        sync_token_deletion(objs, saved)
    except SystemExit:
        try:  # best effort, so failed runs against a persistent server do not pile up
            cal.delete()
        except Exception:  # noqa: BLE001
            pass
        raise
    delete_calendar(client, principal, cal, before)
    print("python-caldav scenario passed")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))

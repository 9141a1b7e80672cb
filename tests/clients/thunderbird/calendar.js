// Installed once into Thunderbird's main window (chrome context, via Marionette) as window.calderaTest.
// Every step of scenario.py calls one of these functions; each drives Thunderbird's own calendar code
// (provider detection, calICalendarManager, calICalendar) the way its dialogs and views do.
/* eslint-disable no-undef */
const { cal } = ChromeUtils.importESModule("resource:///modules/calendar/calUtils.sys.mjs");
const { CalEvent } = ChromeUtils.importESModule("resource:///modules/CalEvent.sys.mjs");
const { CalTodo } = ChromeUtils.importESModule("resource:///modules/CalTodo.sys.mjs");
const { CalAlarm } = ChromeUtils.importESModule("resource:///modules/CalAlarm.sys.mjs");
const { CalAttendee } = ChromeUtils.importESModule("resource:///modules/CalAttendee.sys.mjs");
const { CalRecurrenceInfo } = ChromeUtils.importESModule("resource:///modules/CalRecurrenceInfo.sys.mjs");

const state = { requests: [], detected: [], calendar: null, loads: 0 };

// Every HTTP request Thunderbird makes, with the root element of its body (which REPORT, which PROPFIND)
// and the status of its answer: the conversation as the client sees it.
function bodyRoot(channel) {
  // Read a clone: reading or seeking the request's own upload stream breaks its resending after a 401.
  try {
    const upload = channel.QueryInterface(Ci.nsIUploadChannel).uploadStream;
    if (!(upload instanceof Ci.nsICloneableInputStream) || !upload.cloneable) return "";
    const copy = upload.clone();
    const text = NetUtil.readInputStreamToString(copy, Math.min(copy.available(), 2048), { charset: "UTF-8" });
    copy.close();
    const match = text.match(/<(?![?!])([A-Za-z0-9_.-]+:)?([A-Za-z0-9_-]+)/);
    return match ? match[2] : text.startsWith("BEGIN:VCALENDAR") ? "VCALENDAR" : "";
  } catch (e) {
    return "";
  }
}
const { NetUtil } = ChromeUtils.importESModule("resource://gre/modules/NetUtil.sys.mjs");
const httpObserver = {
  observe(subject, topic) {
    const channel = subject.QueryInterface(Ci.nsIHttpChannel);
    if (channel.URI.scheme != "http" && channel.URI.scheme != "https") return;
    if (!state.origin || channel.URI.prePath != state.origin) return;
    if (topic == "http-on-modify-request") {
      let depth = "";
      let ifMatch = "";
      try { depth = channel.getRequestHeader("Depth"); } catch (e) { /* none */ }
      try { ifMatch = "If-Match: " + channel.getRequestHeader("If-Match"); } catch (e) { /* none */ }
      try { ifMatch = ifMatch || "If-None-Match: " + channel.getRequestHeader("If-None-Match"); } catch (e) { /* none */ }
      state.requests.push({
        channelId: channel.channelId, method: channel.requestMethod, path: channel.URI.pathQueryRef,
        depth, body: bodyRoot(channel), cond: ifMatch, status: null,
      });
    } else {
      const entry = state.requests.findLast(r => r.channelId == channel.channelId);
      if (entry) {
        entry.status = channel.responseStatus;
        try { entry.location = channel.getResponseHeader("Location"); } catch (e) { /* none */ }
        try { entry.dav = channel.getResponseHeader("DAV"); } catch (e) { /* none */ }
      }
    }
  },
};

function date(spec) {
  // "20261207T100000" in Thunderbird's default (local) timezone, as the event dialog makes them.
  const dt = cal.createDateTime(spec);
  dt.timezone = cal.dtz.defaultTimezone;
  return dt;
}

function describe(item) {
  const d = {
    id: item.id, title: item.title, type: item.isEvent() ? "event" : "task",
    start: item.isEvent() ? item.startDate?.icalString : item.entryDate?.icalString,
    end: item.isEvent() ? item.endDate?.icalString : item.dueDate?.icalString,
    tz: (item.isEvent() ? item.startDate : item.entryDate)?.timezone?.tzid ?? null,
    location: item.getProperty("LOCATION"),
    allDay: item.isEvent() ? item.startDate.isDate : false,
    transp: item.getProperty("TRANSP"),
    alarms: item.getAlarms().map(a => a.offset?.icalString ?? null),
    organizer: item.organizer?.id ?? null,
    attendees: item.getAttendees().map(a => `${a.id} ${a.participationStatus}`),
    rrules: [], exdates: [], exceptions: [],
  };
  if (item.isTodo()) {
    d.status = item.status;
    d.completed = item.completedDate?.icalString ?? null;
    d.percent = item.percentComplete;
  }
  const info = item.recurrenceInfo;
  if (info) {
    for (const ritem of info.getRecurrenceItems()) {
      if (ritem instanceof Ci.calIRecurrenceRule) d.rrules.push(ritem.icalString.trim());
      else if (ritem.isNegative) d.exdates.push(ritem.date.icalString);
    }
    for (const rid of info.getExceptionIds()) {
      const ex = info.getExceptionFor(rid);
      d.exceptions.push({ rid: rid.icalString, title: ex.title, start: ex.startDate.icalString });
    }
  }
  return d;
}

function observeLoads(calendar) {
  calendar.addObserver({
    QueryInterface: ChromeUtils.generateQI(["calIObserver"]),
    onStartBatch() {}, onEndBatch() {}, onAddItem() {}, onModifyItem() {}, onDeleteItem() {},
    onError(c, errNo, message) { state.errors = (state.errors || []).concat([`${errNo}: ${message}`]); },
    onPropertyChanged() {}, onPropertyDeleting() {},
    onLoad() { state.loads++; },
  });
}

async function waitFor(what, predicate, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await predicate();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise(r => setTimeout(r, 100));
  }
}

function consoleStorage() {
  return Cc["@mozilla.org/consoleAPI-storage;1"].getService(Ci.nsIConsoleAPIStorage);
}

async function findItem(title) {
  const items = await state.calendar.getItemsAsArray(Ci.calICalendar.ITEM_FILTER_ALL_ITEMS, 0, null, null);
  return items.find(i => i.title == title) ?? null;
}

async function mustFind(title) {
  const item = await findItem(title);
  if (!item) throw new Error(`Thunderbird's calendar has no item titled "${title}"`);
  return item;
}

window.calderaTest = {
  state,

  watch(origin) {
    state.origin = origin;
    Services.obs.addObserver(httpObserver, "http-on-modify-request");
    Services.obs.addObserver(httpObserver, "http-on-examine-response");
    return Promise.resolve(true);
  },

  requestsSince(index) {
    return Promise.resolve(state.requests.slice(index).map(({ channelId, ...r }) => r));
  },

  // What the "New Calendar > On the Network" dialog does: detection with the user name, the password and
  // the location, "remember password" on (the password goes to the login manager).
  async discover(username, password, location) {
    // The dialog's first try is without a password; only an AuthFailedError makes it ask for one.
    let first = "(no error)";
    try {
      await cal.provider.detection.detect(username, undefined, location, false, [], {});
    } catch (e) {
      first = e.name || String(e);
    }
    state.consoleMark = Date.now(); // what that try logs (auth failures) is expected, not a server error
    const results = await cal.provider.detection.detect(username, password, location, true, [], {});
    state.detected = [];
    for (const [provider, calendars] of results) {
      for (const c of calendars) state.detected.push({ provider: provider.type, calendar: c });
    }
    const logins = await Services.logins.searchLoginsAsync({ origin: Services.io.newURI(location).prePath });
    return {
      withoutPassword: first,
      calendars: state.detected.map(d => ({
        provider: d.provider, uri: d.calendar.uri.spec, name: d.calendar.name, readOnly: d.calendar.readOnly,
      })),
      logins: logins.map(l => ({ username: l.username, realm: l.httpRealm, hasPassword: l.password.length > 0 })),
    };
  },

  // The dialog's prepareNetworkCalendar + createNetworkCalendars for one detected calendar (offline cache
  // on, the dialog's default), then waits for its first sync to finish.
  async register(uri, timeoutMs) {
    const found = state.detected.find(d => d.provider == "caldav" && d.calendar.uri.spec == uri);
    if (!found) throw new Error(`${uri} was not among the detected calendars`);
    const calendar = found.calendar;
    if (!calendar.getProperty("cache.always")) {
      calendar.setProperty("cache.enabled", calendar.getProperty("cache.supported") !== false);
    }
    cal.manager.registerCalendar(calendar);
    state.calendar = cal.manager.getCalendarById(calendar.id);
    cal.view.getCompositeCalendar(window).defaultCalendar = state.calendar; // selected in the calendar list
    observeLoads(state.calendar);
    await waitFor("the first sync", () => state.loads > 0, timeoutMs);
    return {
      id: state.calendar.id, type: state.calendar.type, cached: state.calendar.getProperty("cache.enabled"),
      readOnly: state.calendar.readOnly, disabled: !!state.calendar.getProperty("disabled"),
      status: state.calendar.getProperty("currentStatus"),
      autoSchedule: state.calendar.getProperty("capabilities.autoschedule.supported"),
      items: (await state.calendar.getItemsAsArray(Ci.calICalendar.ITEM_FILTER_ALL_ITEMS, 0, null, null)).length,
    };
  },

  // After a restart: the calendar registered in the first session, as the profile brings it back.
  async attach(uri, timeoutMs) {
    state.calendar = await waitFor("the calendar from the profile",
      () => cal.manager.getCalendars().find(c => c.uri.spec == uri), timeoutMs);
    observeLoads(state.calendar);
    return {
      disabled: !!state.calendar.getProperty("disabled"),
      windows: [...Services.wm.getEnumerator(null)].map(w => w.location.href),
    };
  },

  async refresh(timeoutMs) {
    const before = state.loads;
    state.calendar.refresh();
    await waitFor("the refresh", () => state.loads > before, timeoutMs);
    return true;
  },

  async items() {
    const items = await state.calendar.getItemsAsArray(Ci.calICalendar.ITEM_FILTER_ALL_ITEMS, 0, null, null);
    return items.map(describe);
  },

  // As the event dialog makes them: its defaults (setDefaultItemValues: TRANSP opaque, or transparent when all
  // day), then what the user filled in. options: location, rrule, allDay, alarmMinutes, attendees (addresses).
  async createEvent(title, start, end, options = {}) {
    const event = new CalEvent();
    const allDay = !!options.allDay;
    const startDate = allDay ? cal.createDateTime(start) : date(start);
    const endDate = allDay ? cal.createDateTime(end) : date(end);
    window.setDefaultItemValues(event, state.calendar, startDate, endDate, null, allDay);
    event.title = title;
    if (options.location) event.setProperty("LOCATION", options.location);
    if (options.rrule) {
      event.recurrenceInfo = new CalRecurrenceInfo(event);
      event.recurrenceInfo.appendRecurrenceItem(cal.createRecurrenceRule(options.rrule));
    }
    if (options.alarmMinutes) {
      const alarm = new CalAlarm();
      alarm.action = "DISPLAY";
      alarm.related = Ci.calIAlarm.ALARM_RELATED_START;
      alarm.offset = cal.createDuration(`-PT${options.alarmMinutes}M`);
      event.addAlarm(alarm);
    }
    if (options.attendees?.length) {
      // The organizer is the calendar's own user address, as the attendee dialog sets it.
      const organizer = new CalAttendee();
      organizer.id = options.organizer ?? state.calendar.getProperty("organizerId");
      if (!organizer.id) throw new Error("the calendar has no organizerId (no calendar-user-address-set learned)");
      organizer.isOrganizer = true;
      event.organizer = organizer;
      for (const address of options.attendees) {
        const attendee = new CalAttendee();
        attendee.id = address;
        attendee.participationStatus = "NEEDS-ACTION";
        attendee.role = "REQ-PARTICIPANT";
        attendee.rsvp = "TRUE";
        attendee.userType = "INDIVIDUAL";
        event.addAttendee(attendee);
      }
    }
    return describe(await state.calendar.addItem(event));
  },

  async editEvent(title, newTitle, newStart, newEnd) {
    const old = await mustFind(title);
    const changed = old.clone();
    changed.title = newTitle;
    if (newStart) changed.startDate = date(newStart);
    if (newEnd) changed.endDate = date(newEnd);
    return describe(await state.calendar.modifyItem(changed, old));
  },

  // Like dragging one occurrence in the week view: an exception with its own time (and title).
  async moveOccurrence(title, occurrenceStart, newStart, newEnd, newTitle) {
    const old = await mustFind(title);
    const parent = old.clone();
    const occurrence = parent.recurrenceInfo.getOccurrenceFor(date(occurrenceStart));
    if (!occurrence) throw new Error(`"${title}" has no occurrence at ${occurrenceStart}`);
    const moved = occurrence.clone();
    moved.startDate = date(newStart);
    moved.endDate = date(newEnd);
    if (newTitle) moved.title = newTitle;
    parent.recurrenceInfo.modifyException(moved, true);
    return describe(await state.calendar.modifyItem(parent, old));
  },

  // Like "Delete only this occurrence": an EXDATE on the parent.
  async deleteOccurrence(title, occurrenceStart) {
    const old = await mustFind(title);
    const parent = old.clone();
    parent.recurrenceInfo.removeOccurrenceAt(date(occurrenceStart));
    return describe(await state.calendar.modifyItem(parent, old));
  },

  async deleteItem(title) {
    await state.calendar.deleteItem(await mustFind(title));
    return true;
  },

  async createTask(title, due) {
    const todo = new CalTodo();
    todo.title = title;
    todo.dueDate = date(due);
    return describe(await state.calendar.addItem(todo));
  },

  // The task list's "Mark Completed".
  async completeTask(title) {
    const old = await mustFind(title);
    const done = old.clone();
    done.isCompleted = true;
    return describe(await state.calendar.modifyItem(done, old));
  },

  // What the attendee dialog's availability grid asks: free/busy of a calendar user over the CalDAV outbox.
  async freeBusy(address, start, end, timeoutMs) {
    const intervals = [];
    await new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no free/busy answer within ${timeoutMs} ms`)), timeoutMs);
      cal.freeBusyService.getFreeBusyIntervals(address, date(start), date(end), Ci.calIFreeBusyInterval.BUSY_ALL, {
        QueryInterface: ChromeUtils.generateQI(["calIGenericOperationListener"]),
        onResult(operation, result) {
          if (Array.isArray(result)) intervals.push(...result);
          if (!operation || !operation.isPending) {
            clearTimeout(timer);
            resolve();
          }
        },
      });
    });
    const utc = dt => dt.getInTimezone(cal.dtz.UTC).icalString;
    const names = ["FREE", "BUSY", "BUSY_UNAVAILABLE", "BUSY_TENTATIVE", "UNKNOWN"];
    const name = type => names.find(n => Ci.calIFreeBusyInterval[n] == type) ?? String(type);
    return intervals.map(i => ({ type: name(i.freeBusyType), start: utc(i.interval.start), end: utc(i.interval.end) }));
  },

  // Thunderbird's error console and the console API log (where the calendar's own logger writes).
  async console() {
    const messages = Services.console.getMessageArray() || [];
    // By when each was logged (the console API's storage may record a message after its call returns).
    const mark = state.consoleMark || 0;
    const out = messages.map(m => {
      const late = m.timeStamp > mark;
      if (m instanceof Ci.nsIScriptError) {
        const kind = m.flags & Ci.nsIScriptError.warningFlag ? "warning" : m.flags & Ci.nsIScriptError.infoFlag ? "info" : "error";
        return { kind, source: m.sourceName || "", text: m.errorMessage, category: m.category, late };
      }
      return { kind: "message", source: "", text: m.message, category: "", late };
    });
    try {
      for (const e of consoleStorage().getEvents()) {
        const text = (e.arguments || []).map(a => {
          try { return typeof a == "string" ? a : a?.message ?? JSON.stringify(a); } catch (x) { return String(a); }
        }).join(" ");
        out.push({
          kind: "console." + e.level, source: e.filename || "", text: (e.prefix ? e.prefix + ": " : "") + text,
          category: "consoleAPI", late: e.timeStamp > mark,
        });
      }
    } catch (e) {
      out.push({ kind: "note", source: "", text: "console API storage unreadable: " + e, category: "" });
    }
    return out;
  },

  // The calendar tab, week view, at the week of `day`; answers with the titles the view shows.
  async showWeek(day, timeoutMs) {
    document.getElementById("tabmail").openTab("calendar");
    await waitFor("the calendar tab", () => window.gCurrentMode == "calendar", timeoutMs);
    window.switchCalendarView("week", true);
    if (!document.getElementById("bottom-events-box").hidden) window.toggleUnifinder(); // more room for the week
    await waitFor("the week view", () => window.currentView()?.id == "week-view", timeoutMs);
    const view = window.currentView();
    view.goToDay(date(day));
    const titles = () => [...view.querySelectorAll("calendar-event-box, calendar-editable-item")]
      .map(b => b.occurrence?.title).filter(Boolean);
    await waitFor("events in the week view", () => titles().length > 0, timeoutMs);
    await new Promise(r => setTimeout(r, 500)); // let the layout settle before the screenshot
    return titles();
  },

  // The Tasks tab with its task list; answers with the titles it shows.
  async showTasks(timeoutMs) {
    document.getElementById("tabmail").openTab("tasks");
    const tree = () => document.getElementById("calendar-task-tree");
    const titles = () => {
      const t = tree();
      return t?.mTaskArray ? t.mTaskArray.map(i => i.title) : [];
    };
    await waitFor("the task list", () => titles().length > 0, timeoutMs);
    await new Promise(r => setTimeout(r, 500));
    return titles();
  },
};
